// Servers for tests: in this process on port 0, or as the real command in a child process.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { serverOptions, type ServerOptions, type Variant } from '../../servers/shared/options.ts';
import { createServer } from '../../servers/variants.ts';
import type { HexServer } from '../../servers/shared/hex-server.ts';
import { parseReadyLine } from '../../common/ready-line.ts';
import { killTree } from './kill-tree.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The pinned Node 26 that npm scripts use; tests spawn it directly. */
export const NODE = process.execPath;

export interface RunningServer {
  server: HexServer;
  port: number;
}

/** Starts a variant in this process on a free port; it is closed when the test ends. */
export async function startServer(variant: Variant, overrides: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const server = createServer(variant, serverOptions({ port: 0, shutdownTimeoutMs: 2_000, ...overrides }, variant));
  const { port } = await server.listen();
  onTestFinished(() => server.close());
  return { server, port };
}

export interface ServerProcess {
  child: ChildProcess;
  host: string;
  port: number;
  pid: number;
  readyLine: string;
  /** stdout lines after the ready line; `stdoutLine(pattern)` awaits one. */
  stdout: string[];
  stdoutLine(pattern: RegExp): Promise<string>;
  /** stderr lines so far; `stderrLine(pattern)` awaits one. */
  stderr: string[];
  stderrLine(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
}

/**
 * Runs `node servers/main.ts ARGS` as `npm run server --` does, waits for the ready line,
 * and kills it and its descendants when the test ends if it is still running. `openFiles` runs it
 * under that `ulimit -n` (prlimit execs the server: the pid is the server's).
 */
export async function spawnServer(args: readonly string[], env: NodeJS.ProcessEnv = {}, { openFiles }: { openFiles?: number } = {}): Promise<ServerProcess> {
  const command = openFiles === undefined ? [NODE] : ['prlimit', `--nofile=${openFiles}`, NODE];
  const child = spawn(command[0]!, [...command.slice(1), 'servers/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  onTestFinished(() => killTree(child));
  const stderr: string[] = [];
  const stderrWaiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    for (const waiter of stderrWaiters.filter((w) => w.pattern.test(line))) {
      stderrWaiters.splice(stderrWaiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const stdout = createInterface({ input: child.stdout });
  // Every line is kept from the start: the lines after the ready line may come in the same read.
  const after = collectLines();
  let readyLine: ((line: string) => void) | undefined;
  stdout.on('line', (line: string) => {
    if (readyLine === undefined) after.push(line);
    else {
      readyLine(line);
      readyLine = undefined;
    }
  });
  const first = await Promise.race([
    new Promise<string>((resolve) => {
      readyLine = resolve;
    }),
    exited.then((code) => {
      throw new Error(`server exited with ${code} before its ready line: ${stderr.join('\n')}`);
    }),
  ]);
  const ready = parseReadyLine(first);
  if (!ready) throw new Error(`not a ready line: ${JSON.stringify(first)}`);
  return {
    child,
    host: ready.host,
    port: ready.port,
    pid: ready.pid,
    readyLine: first,
    stdout: after.lines,
    stdoutLine: after.wait,
    stderr,
    stderrLine(pattern) {
      const seen = stderr.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => stderrWaiters.push({ pattern, resolve }));
    },
    exited,
  };
}

/** Lines as they come, and a way to await one that matches. */
function collectLines(): { lines: string[]; push: (line: string) => void; wait: (pattern: RegExp) => Promise<string> } {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  return {
    lines,
    push(line) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    },
    wait(pattern) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}
