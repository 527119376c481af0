// A line client: one TCP connection that sends text and hands back the server's reply lines as they
// come, awaited (`line()`, `lines(n)`, `request()`) or iterated (`for await (const line of client)`),
// never polled. The client program (client/main.ts) and the tests talk to hexd through it.

import net, { type Socket } from 'node:net';
import { once } from 'node:events';
import { formatAddress } from './cli.ts';
import { ConnectionError } from './errors.ts';

export interface LineClientOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * How reply bytes become text: `utf8` (the default) as a terminal shows them, or `latin1`, one
   * character per byte, for a test that compares exactly the bytes a server sent.
   */
  encoding?: 'utf8' | 'latin1';
  /** Every wait ends when this aborts (a deadline): connecting, and each line awaited and not yet come. */
  signal?: AbortSignal;
  /**
   * Connecting gives up after this long, as the kernel's own timeout (about two minutes, its SYN
   * retries) would: an address that drops packets otherwise leaves a person looking at nothing.
   */
  connectTimeoutMs?: number;
}

interface Waiter {
  count: number;
  resolve: (lines: string[]) => void;
  reject: (err: Error) => void;
}

export class LineClient {
  readonly socket: Socket;
  readonly host: string;
  readonly port: number;
  /** Settles once the connection has closed, whoever closed it; see `failure` for why. */
  readonly closed: Promise<void>;
  #failure: ConnectionError | null = null;
  #buffered = '';
  #lines: string[] = [];
  #waiters: Waiter[] = [];
  #ended = false;
  /** Why waits for lines not yet come are over before the close: the signal aborted. */
  #gaveUp: Error | null = null;
  /** Wakes an iterator waiting for a line or the close. */
  #wake: (() => void) | null = null;

  private constructor(socket: Socket, host: string, port: number, options: LineClientOptions) {
    this.socket = socket;
    this.host = host;
    this.port = port;
    socket.setEncoding(options.encoding ?? 'utf8');
    const { signal } = options;
    if (signal !== undefined) {
      const giveUp = (): void => {
        this.#gaveUp = new Error(`no reply from ${formatAddress(host, port)} before the deadline`, { cause: signal.reason });
        this.#settle();
      };
      if (signal.aborted) giveUp();
      else {
        signal.addEventListener('abort', giveUp, { once: true });
        socket.once('close', () => signal.removeEventListener('abort', giveUp));
      }
    }
    socket.on('data', (text: string) => {
      this.#buffered += text;
      const parts = this.#buffered.split('\n');
      this.#buffered = parts.pop()!;
      this.#lines.push(...parts);
      this.#settle();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.#failure ??= describeConnectionError(err, host, port);
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#ended = true;
        // A last line without its LF still counts.
        if (this.#buffered !== '') this.#lines.push(this.#buffered);
        this.#buffered = '';
        this.#settle();
        resolve();
      });
    });
  }

  /** Connects, with Nagle off (a request should not wait for the previous one's ACK); a ConnectionError that says why not. */
  static async connect(port: number, options: LineClientOptions = {}): Promise<LineClient> {
    const host = options.host ?? '127.0.0.1';
    const socket = net.connect({ host, port, noDelay: true });
    const { connectTimeoutMs } = options;
    const timer = connectTimeoutMs === undefined ? undefined : setTimeout(() => {
      socket.destroy(Object.assign(new Error(`no connection within ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, connectTimeoutMs);
    try {
      await once(socket, 'connect', options.signal === undefined ? {} : { signal: options.signal });
    } catch (err) {
      socket.destroy();
      throw describeConnectionError(err as NodeJS.ErrnoException, host, port);
    } finally {
      clearTimeout(timer);
    }
    return new LineClient(socket, host, port, options);
  }

  /** Why the connection failed (reset, ...), once it has; null while it is fine or if it closed cleanly. */
  get failure(): ConnectionError | null {
    return this.#failure;
  }

  /** Lines received and not yet taken. */
  get pending(): readonly string[] {
    return this.#lines;
  }

  send(text: string | Uint8Array): void {
    this.socket.write(text);
  }

  /** The next `count` reply lines; rejects if the connection closes first, or the signal aborts. */
  lines(count: number): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ count, resolve, reject });
      this.#settle();
    });
  }

  async line(): Promise<string> {
    const [line] = await this.lines(1);
    return line!;
  }

  /** Sends one line and awaits its reply. */
  async request(text: string): Promise<string> {
    this.send(`${text}\n`);
    return this.line();
  }

  /** Everything the server sends until it closes the connection. */
  async rest(): Promise<string[]> {
    await this.closed;
    return this.#lines.splice(0);
  }

  /** Each reply line as it comes, until the connection has closed and every line was taken (or the signal aborted). */
  async *[Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    for (;;) {
      const line = this.#lines.shift();
      if (line !== undefined) yield line;
      else if (this.#ended) return;
      else if (this.#gaveUp !== null) throw this.#gaveUp;
      else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Half-closes: no more requests, replies still come. */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  #settle(): void {
    this.#wake?.();
    this.#wake = null;
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0]!;
      if (this.#lines.length >= waiter.count) {
        this.#waiters.shift();
        waiter.resolve(this.#lines.splice(0, waiter.count));
      } else if (this.#ended) {
        this.#waiters.shift();
        waiter.reject(new Error(`connection closed after ${this.#lines.length} of ${waiter.count} lines: ${JSON.stringify(this.#lines)}`));
      } else if (this.#gaveUp !== null) {
        this.#waiters.shift();
        waiter.reject(this.#gaveUp);
      } else return;
    }
  }
}

/** A socket error as one line that says what to do about it. */
export function describeConnectionError(err: NodeJS.ErrnoException, host: string, port: number): ConnectionError {
  const where = formatAddress(host, port);
  switch (err.code) {
    case 'ECONNREFUSED':
      return new ConnectionError(`cannot connect to ${where}: connection refused (is a server running? try npm start)`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectionError(`connection to ${where} was reset by the server`);
    case 'ABORT_ERR':
      return new ConnectionError(`cannot connect to ${where} before the deadline`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionError(`cannot connect to ${where}: unknown host ${host}`);
    // The address, not the server: nothing can be reached there from here.
    case 'ENETUNREACH':
      return new ConnectionError(`cannot connect to ${where}: network unreachable, this machine has no route to ${host} (is the address right? a server on this machine is 127.0.0.1 or ::1)`);
    case 'EHOSTUNREACH':
      return new ConnectionError(`cannot connect to ${where}: host unreachable, no machine answers at ${host} (is the address right, and that machine up? a server on this machine is 127.0.0.1 or ::1)`);
    case 'ETIMEDOUT':
      return new ConnectionError(`cannot connect to ${where}: timed out, nothing answered (is the address right? a firewall may drop the port)`);
    case 'EADDRNOTAVAIL':
      return new ConnectionError(`cannot connect to ${where}: this machine has no local port or address left to connect from (after many connections: wait a minute, or open fewer)`);
    default:
      return new ConnectionError(`connection to ${where} failed: ${err.code ?? err.message}`);
  }
}
