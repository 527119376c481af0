// Accepted clients waiting their turn, in arrival order: paused, so their bytes stay unread in the
// kernel until a session takes them. blocking keeps every client but one here; threads keeps those
// whose Worker has not been started yet.

import type { Socket } from 'node:net';
import { closeGently } from './close-gently.ts';

export class WaitingLine {
  readonly #sockets: Socket[] = [];
  readonly #changed: () => void;
  /** A 'close' listener: a client that leaves while waiting leaves the line. */
  readonly #leave: (this: Socket) => void;

  /** `changed` is called whenever a client joins the line or leaves it without being served. */
  constructor(changed: () => void) {
    const sockets = this.#sockets;
    this.#leave = function leave(this: Socket) {
      const at = sockets.indexOf(this);
      if (at === -1) return;
      sockets.splice(at, 1);
      changed();
    };
    this.#changed = changed;
  }

  get length(): number {
    return this.#sockets.length;
  }

  join(socket: Socket): void {
    socket.on('error', ignoreWhileWaiting); // a waiting client may reset; it just leaves the line
    socket.on('close', this.#leave);
    this.#sockets.push(socket);
    this.#changed();
  }

  /**
   * The client that has waited longest, out of the line; undefined when none waits. Not a change:
   * the caller serves it at once, so the server holds as many connections as before.
   */
  next(): Socket | undefined {
    const socket = this.#sockets.shift();
    if (socket === undefined) return undefined;
    socket.removeListener('error', ignoreWhileWaiting);
    socket.removeListener('close', this.#leave);
    return socket;
  }

  /** Tells every waiting client the server is shutting down and lets it go; resolves when all closed. */
  async dismiss(): Promise<void> {
    await Promise.all(this.#sockets.splice(0).map((socket) => {
      socket.removeListener('close', this.#leave);
      const closed = new Promise((resolve) => socket.once('close', resolve)); // once() rejects on 'error'
      closeGently(socket, 'error: shutting down\n');
      return closed;
    }));
  }

  destroyAll(): void {
    for (const socket of this.#sockets.splice(0)) socket.destroy();
  }
}

function ignoreWhileWaiting(): void {}
