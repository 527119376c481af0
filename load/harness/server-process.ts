// Starts a server as a child process, waits for its ready line (common/ready-line.ts), and stops it: SIGTERM, then SIGKILL if it has not gone within a deadline.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseReadyLine, type ReadyLine } from '../../common/ready-line.ts';
import { parseStatsLine } from '../../common/stats-line.ts';
import { isVariant } from '../../servers/shared/options.ts';
import type { ErrorCode } from '../../common/errors.ts';

export interface ServerProcess extends ReadyLine {
  child: ChildProcess;
  /** hexd's --stats-port, from the line after its ready line (common/stats-line.ts); 0 until seen, or for a server without one. */
  readonly statsPort: number;
  /** Whether the process has exited (on its own, if asked before stop()). */
  readonly exited: boolean;
  /** The last lines it wrote to stderr. */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after killAfterMs; resolves once it has exited. Idempotent. */
  stop(killAfterMs?: number): Promise<void>;
}

const STDERR_LINES_KEPT = 20;
/** How long to wait for hexd's stats line after its ready line (it is written right after it). */
const STATS_LINE_WAIT_MS = 1_000;

export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  readonly code = 'HEXD_BENCH_SERVER_START' satisfies ErrorCode;
}

/** Every server started and not yet exited, so that a program that ends early can stop them all (stop-signals.ts). */
const started = new Set<ChildProcess>();

/**
 * Kills every server still running, at once: for a program that ends early (a signal, an error, a
 * closed stdout), so that none is left behind holding a port and a core.
 */
export function killStartedServers(): void {
  for (const child of started) child.kill('SIGKILL');
  started.clear();
}

export async function startServerProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; startTimeoutMs?: number; signal?: AbortSignal },
): Promise<ServerProcess> {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  // Tracked from the spawn, not the ready line: a signal while it starts must stop it too.
  started.add(child);
  child.once('exit', () => started.delete(child));
  const exit = once(child, 'exit').then(() => undefined, () => undefined);
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > STDERR_LINES_KEPT) stderr.shift();
  });
  const lines = createInterface({ input: child.stdout });
  // Listened for from the start: the stats line may come in the same read as the ready line.
  let statsPort = 0;
  const statsLine = Promise.withResolvers<void>();
  lines.on('line', (line: string) => {
    const stats = parseStatsLine(line);
    if (stats !== null) {
      statsPort = stats.port;
      statsLine.resolve();
    }
  });
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  // options.signal gives up the start (the caller no longer wants the server): killed, as on a timeout.
  const deadline = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  let ready: ReadyLine | null;
  try {
    const first = await Promise.race([
      once(lines, 'line', { signal: deadline }).then(([line]) => line as string),
      exit.then(() => null),
      once(child, 'error').then(([err]) => {
        throw err;
      }),
    ]);
    ready = first === null ? null : parseReadyLine(first);
    if (first !== null && ready === null) {
      throw new ServerStartError(`${command} ${args.join(' ')} printed ${JSON.stringify(first)} instead of a ready line`);
    }
  } catch (err) {
    child.kill('SIGKILL');
    await exit; // gone, not dying, when the caller hears of it
    if (err instanceof ServerStartError) throw err;
    const why = options.signal?.aborted ? 'the start was given up' : timeout.aborted ? `no ready line within ${timeoutMs} ms` : (err as Error).message;
    throw new ServerStartError(`${command} ${args.join(' ')}: ${why}`);
  }
  if (ready === null) {
    throw new ServerStartError(`${command} ${args.join(' ')} exited before its ready line: ${stderr.join('\n')}`);
  }
  lines.on('line', () => {}); // keep reading stdout so the child never blocks on a full pipe
  // hexd prints its stats line right after the ready line; a program that asks for /stats as soon as
  // this returns must know the port. Other servers (the blog's, --no-telemetry) print none: bounded wait.
  if (isVariant(ready.variant)) {
    const timer = setTimeout(() => statsLine.resolve(), STATS_LINE_WAIT_MS);
    await statsLine.promise;
    clearTimeout(timer);
  }

  let stopping: Promise<void> | undefined;
  return {
    ...ready,
    child,
    get statsPort() {
      return statsPort;
    },
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    stderrTail: () => stderr.join('\n'),
    stop(killAfterMs = 3_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        await exit;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
