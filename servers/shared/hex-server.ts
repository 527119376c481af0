// What every variant shares: a listening socket, the ready address, and a graceful close with a deadline.
// A variant supplies only its concurrency model: what happens to an accepted socket.

import net, { type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { listenAll } from './listeners.ts';
import { acceptGate } from './accept-gate.ts';
import { ListenError } from '../../common/errors.ts';
import { formatAddress } from '../../common/cli.ts';
import { capSocketsInGrace, closeGently } from './close-gently.ts';
import { clientsWithinFdLimit, closingWithinFdLimit } from './fd-limit.ts';
import { IdleRelease } from './idle-release.ts';
import type { ServerOptions, Variant } from './options.ts';
import type { SessionOptions, SessionSettings } from './session.ts';

/** Asked of listen(); the kernel caps it at net.core.somaxconn (4096 here). Node's default 511 drops bursts. */
const LISTEN_BACKLOG = 65535;

export interface ConcurrencyModel {
  /** Whether sockets arrive unread, so the model decides which thread reads them and when. */
  readonly pauseOnConnect: boolean;
  /** A socket the server accepted. */
  accept(socket: Socket): void;
  /** Ends every session gracefully; resolves when all are closed. */
  drain(): Promise<void>;
  /** Closes whatever is still open, at once. */
  destroyAll(): void;
  /** Connections held now, served or waiting. */
  readonly connections: number;
}

export interface HexServer {
  readonly variant: Variant;
  /** Resolves once the server holds exactly `count` connections (served or waiting). */
  untilConnections(count: number): Promise<void>;
  readonly options: ServerOptions;
  /** Starts accepting; resolves with the real address (the real port when asked for port 0). */
  listen(): Promise<AddressInfo>;
  /** Stops accepting, lets sessions finish, force-closes them after shutdownTimeoutMs. Idempotent. */
  close(): Promise<void>;
  readonly connections: number;
}

/** Builds a model given the function it must call whenever its connection count changes. */
export type ModelFactory = (changed: () => void) => ConcurrencyModel;

export interface ListenTuning {
  /**
   * The cluster variant's workers share the port with SO_REUSEPORT (the kernel spreads new connections
   * across them): the first claims it, the others join it.
   */
  sharePort?: 'claim' | 'join';
  /** Who serves sessions, for log lines, where `main thread` would not say which process. */
  servedBy?: string;
}

export function createHexServer(
  variant: Variant,
  options: ServerOptions,
  buildModel: ModelFactory,
  tuning: ListenTuning = {},
): HexServer {
  const watchers = new Set<{ count: number; resolve: () => void }>();
  const idle = new IdleRelease();
  const model = buildModel(() => {
    idle.update(model.connections);
    for (const watcher of watchers) {
      if (watcher.count === model.connections) {
        watchers.delete(watcher);
        watcher.resolve();
      }
    }
  });
  const maxClients = clientsWithinFdLimit(variant, options);
  capSocketsInGrace(closingWithinFdLimit(variant, options));
  const full = maxClients === options.maxClients
    ? `error: server is full (--max-clients ${maxClients}); try again later\n`
    : `error: server is full (${maxClients} clients: all that ulimit -n allows); try again later\n`;
  const onConnection = (socket: Socket): void => {
    // One line, then goodbye: a refused client costs a write and a close, never a session or a thread.
    acceptGate.accepted();
    if (maxClients > 0 && model.connections >= maxClients) closeGently(socket, full);
    else model.accept(socket);
  };
  // One thread, one model, `--listeners` doors onto the same port (listeners.ts says why).
  const servers = Array.from({ length: options.listeners }, () =>
    net.createServer({ pauseOnConnect: model.pauseOnConnect, allowHalfOpen: true, noDelay: true }, onConnection));
  let closing: Promise<void> | undefined;

  return {
    variant,
    options,
    get connections() {
      return model.connections;
    },
    untilConnections(count) {
      if (model.connections === count) return Promise.resolve();
      return new Promise((resolve) => watchers.add({ count, resolve }));
    },
    async listen() {
      try {
        const reusePort = tuning.sharePort ?? (servers.length > 1 ? 'claim' : 'off');
        await listenAll(servers, { host: options.host, port: options.port, backlog: LISTEN_BACKLOG, reusePort });
      } catch (err) {
        throw describeListenError(err as NodeJS.ErrnoException, options);
      }
      return servers[0]!.address() as AddressInfo;
    },
    close() {
      idle.stop();
      closing ??= closeGracefully(servers, model, options.shutdownTimeoutMs);
      return closing;
    },
  };
}

async function closeGracefully(servers: readonly net.Server[], model: ConcurrencyModel, timeoutMs: number): Promise<void> {
  // close() stops accepting at once. Its 'close' event would wait for Node's own count of connections,
  // which goes wrong for sockets sent to child processes, so the model says when its sessions are over.
  for (const server of servers) if (server.listening) server.close();
  const deadline = AbortSignal.timeout(timeoutMs);
  const drained = model.drain();
  const expired = once(deadline, 'abort').then(() => model.destroyAll());
  await Promise.race([drained, expired]);
  await drained;
}

function describeListenError(err: NodeJS.ErrnoException, options: ServerOptions): ListenError {
  const where = formatAddress(options.host, options.port);
  if (err.code === 'EADDRINUSE') {
    return new ListenError('HEXD_PORT_IN_USE', `port ${options.port} on ${options.host} is already in use: another server (perhaps another hexd) may hold it; stop it or pick another --port`);
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return new ListenError('HEXD_LISTEN_FAILED', `cannot listen on ${where}: ${options.host} is not an address of this machine; ` +
      'use --host 127.0.0.1 (this machine only, the default), ::1, 0.0.0.0 (every interface) or an address `ip addr` lists');
  }
  // A name, not an address: the lookup failed before any listening was tried.
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    const why = err.code === 'EAI_AGAIN' ? 'the name lookup failed for now' : 'no such host name';
    return new ListenError('HEXD_LISTEN_FAILED', `cannot resolve --host ${options.host}: ${why}; give an address such as 127.0.0.1, or a name of this machine`);
  }
  if (err.code === 'EACCES') {
    return new ListenError('HEXD_LISTEN_FAILED', `cannot listen on ${where}: permission denied (ports under 1024 need privileges)`);
  }
  return new ListenError('HEXD_LISTEN_FAILED', `cannot listen on ${where}: ${err.code ?? err.message}`);
}

/** What every session of a server shares, in a form that can be sent to a worker or a child process. */
export function sessionSettings(options: ServerOptions): SessionSettings {
  return {
    limits: options.limits,
    idleTimeoutMs: options.idleTimeoutMs,
    lineTimeoutMs: options.lineTimeoutMs,
    maxPendingBytes: options.maxPendingBytes,
    maxBufferedBytes: options.maxBufferedBytes,
    delayMs: options.delayMs,
    offloadMinBytes: options.offloadMinBytes,
    proxyProtocol: options.proxyProtocol,
  };
}

/** How a variant's sessions on this thread are configured from the server options. */
export function sessionOptions(options: ServerOptions, servedBy: string): SessionOptions {
  return { ...sessionSettings(options), servedBy, log: options.verbose ? verboseLog : undefined };
}

function verboseLog(line: string): void {
  process.stderr.write(`${line}\n`);
}
