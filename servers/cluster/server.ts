// cluster, the main side (the primary): one event-loop process per CPU core on the same port, for
// when one core is not enough. Each worker binds its own socket with SO_REUSEPORT and the kernel
// spreads new connections across them by hash (better balanced than one shared accept queue). The
// first worker picks the port (with --port 0) and the rest join it. The primary only starts,
// watches and stops them: a worker that dies is replaced, after a wait that doubles with each death
// in the last minute, and past RESTART_LIMIT deaths in a minute the primary gives up and exits 1.

import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ListenError } from '../../common/errors.ts';
import type { HexServer } from '../shared/hex-server.ts';
import type { ServerOptions } from '../shared/options.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import { telemetryHub } from '../shared/telemetry/hub.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Worker deaths within RESTART_WINDOW_MS that the primary replaces; one more and it gives up. */
export const RESTART_LIMIT = 5;
const RESTART_WINDOW_MS = 60_000;
/** The wait before a replacement: doubled for each death in the window, at most RESTART_MAX_DELAY_MS. */
const RESTART_FIRST_DELAY_MS = 100;
const RESTART_MAX_DELAY_MS = 5_000;

export function createClusterServer(options: ServerOptions, processCount = availableParallelism()): HexServer {
  const workers = new Set<Worker>();
  let closing: Promise<void> | undefined;
  // Each worker enforces its share of --max-clients.
  const perWorker: ServerOptions = {
    ...options,
    maxClients: options.maxClients === 0 ? 0 : Math.ceil(options.maxClients / processCount),
  };

  /** When workers died unexpectedly, within the last RESTART_WINDOW_MS. */
  const deaths: number[] = [];
  let sharedPort = 0;
  /** The start failed and the primary killed its workers itself. */
  let abandoned = false;

  function replace(pid: number | undefined, how: string): void {
    const now = performance.now();
    deaths.push(now);
    while (deaths[0]! < now - RESTART_WINDOW_MS) deaths.shift();
    if (deaths.length > RESTART_LIMIT) {
      // One line, then out: a fleet that keeps dying is not serving, and its supervisor should know.
      process.stderr.write(`hexd: cluster: ${deaths.length} workers died within ${RESTART_WINDOW_MS / 1000} s (the last, pid ${pid}, by ${how}); giving up\n`);
      for (const other of workers) other.process.kill('SIGKILL');
      process.exit(1);
    }
    const delayMs = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** (deaths.length - 1));
    if (options.verbose) process.stderr.write(`cluster worker ${pid} died by ${how}; replacing it in ${delayMs} ms\n`);
    setTimeout(() => {
      if (closing !== undefined || abandoned) return;
      // A replacement that dies before it listens is one more death.
      startWorker(sharedPort, 'join').catch((err: WorkerStartError) => replace(err.pid, err.how));
    }, delayMs);
  }

  async function startWorker(port: number, sharePort: 'claim' | 'join'): Promise<AddressInfo> {
    cluster.setupPrimary({ exec: WORKER_ENTRY, args: [], execArgv: [], silent: false });
    const worker = cluster.fork({
      HEXD_CLUSTER_OPTIONS: JSON.stringify({ ...perWorker, port }),
      HEXD_CLUSTER_SHARE_PORT: sharePort,
    });
    workers.add(worker);
    const telemetryId = `process ${worker.process.pid}`;
    worker.once('exit', () => {
      workers.delete(worker);
      telemetryHub.forget(telemetryId);
    });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'telemetry') telemetryHub.report(message.snapshot);
    });
    const [message] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'exit').then(([code, signal]) => {
        throw new WorkerStartError(worker.process.pid, describeExit(code as number | null, signal as string | null));
      }),
    ])) as [FromWorker];
    if (message.type === 'listen-failed') throw new ListenError(message.code, message.message);
    if (message.type !== 'listening') throw new Error(`cluster worker spoke before listening: ${message.type}`);
    // From now on a death is unexpected unless the primary is closing.
    worker.once('exit', (code: number | null, signal: string | null) => {
      if (closing === undefined && !abandoned) replace(worker.process.pid, describeExit(code, signal));
    });
    return { address: message.address, port: message.port, family: message.address.includes(':') ? 'IPv6' : 'IPv4' };
  }

  return {
    variant: 'cluster',
    options,
    get connections() {
      return workers.size; // processes, not clients: the primary does not see connections
    },
    untilConnections() {
      return Promise.reject(new Error('the cluster primary does not count connections'));
    },
    async listen() {
      try {
        const first = await startWorker(options.port, 'claim');
        sharedPort = first.port;
        await Promise.all(Array.from({ length: processCount - 1 }, () => startWorker(first.port, 'join')));
        return first;
      } catch (err) {
        abandoned = true;
        for (const worker of workers) worker.process.kill('SIGKILL'); // none of them serves without the rest
        throw err;
      }
    },
    close() {
      closing ??= Promise.all(Array.from(workers, async (worker) => {
        const exited = once(worker, 'exit');
        const shutdown: ToWorker = { type: 'shutdown' };
        if (worker.isConnected()) worker.send(shutdown);
        const deadline = setTimeout(() => worker.process.kill('SIGKILL'), options.shutdownTimeoutMs + 1000);
        await exited;
        clearTimeout(deadline);
      })).then(() => undefined);
      return closing;
    },
  };
}

/** A worker that exited before it listened. */
class WorkerStartError extends Error {
  readonly pid: number | undefined;
  readonly how: string;
  constructor(pid: number | undefined, how: string) {
    super(`cluster worker exited by ${how} before listening`);
    this.pid = pid;
    this.how = how;
  }
}

function describeExit(code: number | null, signal: string | null): string {
  return signal !== null ? `signal ${signal}` : `status ${code}`;
}
