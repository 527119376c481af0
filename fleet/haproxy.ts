// HAProxy as a child process in the foreground (-db), with its generated config and admin socket in
// a temporary directory that goes when it stops.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyConfig, type HaproxyConfigInput } from './haproxy-config.ts';
import { runtimeCommand, serverStats, type ServerStat } from './haproxy-runtime.ts';
import { FleetSetupError } from './errors.ts';

/** The backend section's name in the generated config. */
const BACKEND = 'hexd';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;
/** How often the admin socket is asked while waiting for a state: a local socket round trip. */
const POLL_MS = 50;

export interface Haproxy {
  configText: string;
  pid: number;
  stats(): Promise<ServerStat[]>;
  /** Runtime API: `drain` sends a backend no new clients (its open connections stay); `ready` undoes it. */
  setServerState(server: string, state: 'drain' | 'ready'): Promise<void>;
  socketPath: string;
  /** Resolves with the stats once `ready` holds for them; rejects after `timeoutMs`. */
  waitForStats(ready: (stats: ServerStat[]) => boolean, timeoutMs: number, what: string): Promise<ServerStat[]>;
  /** SIGTERM (then SIGKILL), and the temporary directory removed. Idempotent. */
  stop(): Promise<void>;
  /** The same, at once and synchronously, for a process that is exiting. */
  killNow(): void;
}

/** Starts HAProxy and waits until every backend passes its health check. */
export async function startHaproxy(input: Omit<HaproxyConfigInput, 'statsSocket'>): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'hexd-fleet-'));
  const socketPath = join(dir, 'admin.sock');
  const configText = haproxyConfig({ ...input, statsSocket: socketPath });
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(configFile, configText);
  let child: ChildProcess;
  try {
    child = spawn('haproxy', ['-db', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = once(child, 'exit').then(() => undefined, () => undefined);
  const spawnError = once(child, 'error').then(([err]) => err as NodeJS.ErrnoException);
  const killNow = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  let stopping: Promise<void> | undefined;
  const haproxy: Haproxy = {
    configText,
    pid: child.pid ?? 0,
    socketPath,
    stats: () => serverStats(socketPath, BACKEND),
    async setServerState(server, state) {
      const answer = await runtimeCommand(socketPath, `set server ${BACKEND}/${server} state ${state}`);
      if (answer.trim() !== '') throw new FleetSetupError(`haproxy refused to set ${server} to ${state}: ${answer.trim()}`);
    },
    async waitForStats(ready, timeoutMs, what) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) throw new FleetSetupError(`haproxy exited while waiting for ${what}: ${stderr.join('').trim().split('\n').join(' / ')}`);
        const stats = await haproxy.stats().catch(() => null); // the socket appears once the config is loaded
        if (stats !== null && ready(stats)) return stats;
        if (performance.now() > deadline) {
          throw new FleetSetupError(`haproxy: no ${what} within ${timeoutMs} ms (servers: ${stats?.map((s) => `${s.name} ${s.status}`).join(', ') ?? 'no answer'})`);
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
    killNow,
  };
  const failed = await Promise.race([spawnError, haproxy.waitForStats((stats) => stats.length === input.backends.length && stats.every((s) => s.status === 'UP'), START_TIMEOUT_MS, 'backends all UP').then(() => null, (err: unknown) => err as Error)]);
  if (failed !== null) {
    await haproxy.stop();
    const why = (failed as NodeJS.ErrnoException).code === 'ENOENT' ? 'haproxy is not installed (apt-get install haproxy)' : failed.message;
    throw new FleetSetupError(why);
  }
  return haproxy;
}
