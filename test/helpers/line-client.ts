// A test client: sends lines over a real socket and awaits reply lines as events, never with sleeps.

import net, { type Socket } from 'node:net';
import { once } from 'node:events';

export class LineClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #buffered = '';
  #lines: string[] = [];
  #waiters: { count: number; resolve: (lines: string[]) => void; reject: (err: Error) => void }[] = [];
  #ended = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.#buffered += text;
      const parts = this.#buffered.split('\n');
      this.#buffered = parts.pop()!;
      this.#lines.push(...parts);
      this.#settle();
    });
    this.closed = new Promise((resolve) => {
      socket.on('error', () => {});
      socket.once('close', () => {
        this.#ended = true;
        if (this.#buffered !== '') this.#lines.push(this.#buffered);
        this.#buffered = '';
        this.#settle();
        resolve();
      });
    });
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<LineClient> {
    const socket = net.connect({ port, host });
    await once(socket, 'connect');
    return new LineClient(socket);
  }

  /** Lines received and not yet taken. */
  get pending(): readonly string[] {
    return this.#lines;
  }

  send(text: string | Uint8Array): void {
    this.socket.write(text);
  }

  /** The next `count` reply lines; rejects if the connection closes first. */
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

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  #settle(): void {
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0]!;
      if (this.#lines.length >= waiter.count) {
        this.#waiters.shift();
        waiter.resolve(this.#lines.splice(0, waiter.count));
      } else if (this.#ended) {
        this.#waiters.shift();
        waiter.reject(new Error(`connection closed after ${this.#lines.length} of ${waiter.count} lines: ${JSON.stringify(this.#lines)}`));
      } else return;
    }
  }
}
