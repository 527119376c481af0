// Accepted clients waiting their turn, in arrival order: paused, so their bytes stay unread in the
// kernel until a session takes them. blocking keeps every client but one here; threads keeps those
// whose Worker has not been started yet, processes those whose child has not.
//
// A paused socket never learns that its client has gone, so a line of clients that connected and
// closed would each cost its turn (a Worker or a child process started for nobody). With
// `watchForLeaving`, each waiting socket is read until its first bytes: a client that closes before
// sending anything leaves the line at once; one that sends has its first read kept (takeHead), and
// nothing more is read until its turn.

import type { Socket } from 'node:net';
import { closeGently } from './close-gently.ts';
import { SHUTTING_DOWN_LINE } from '../../protocol/index.ts';

export class WaitingLine {
  readonly #sockets: Socket[] = [];
  readonly #changed: () => void;
  /** A 'close' listener: a client that leaves while waiting leaves the line. */
  readonly #leave: (this: Socket) => void;
  readonly #watchForLeaving: boolean;
  /** Called when a watched client sends its first bytes. */
  readonly #sent: (() => void) | undefined;

  /** `changed` is called whenever a client joins the line or leaves it without being served. */
  constructor(changed: () => void, { watchForLeaving = false, sent }: { watchForLeaving?: boolean; sent?: () => void } = {}) {
    this.#watchForLeaving = watchForLeaving;
    this.#sent = sent;
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
    if (this.#watchForLeaving) watchForLeaving(socket, this.#sent);
    this.#changed();
  }

  /**
   * The client that has waited longest, out of the line; undefined when none waits. Not a change:
   * the caller serves it at once, so the server holds as many connections as before.
   */
  next(): Socket | undefined {
    return this.#take(0);
  }

  /**
   * Lets go the clients first in line that reset their connection while they waited: the one way a
   * client leaves that a paused socket can tell without a read (for servers that cannot read theirs).
   */
  dropReset(): void {
    while (this.#sockets[0] !== undefined && wasReset(this.#sockets[0])) {
      const socket = this.#sockets.shift()!;
      socket.removeListener('close', this.#leave); // out of the line now, not at its 'close'
      socket.destroy();
      this.#changed();
    }
  }

  /** The watched client that has waited longest among those that have sent their first bytes. */
  nextThatSent(): Socket | undefined {
    const at = this.#sockets.findIndex((socket) => heads.has(socket));
    return at === -1 ? undefined : this.#take(at);
  }

  #take(at: number): Socket | undefined {
    const socket = this.#sockets.splice(at, 1)[0];
    if (socket === undefined) return undefined;
    socket.removeListener('error', ignoreWhileWaiting);
    socket.removeListener('close', this.#leave);
    if (this.#watchForLeaving && socket.removeListener('end', leftBeforeSending).listenerCount('data') > 0) {
      // Its turn came before its first bytes: read nothing more here.
      socket.removeListener('data', keepHead);
      if (this.#sent !== undefined) socket.removeListener('data', this.#sent);
      stopReads(socket);
    }
    return socket;
  }

  /** Tells every waiting client the server is shutting down and lets it go; resolves when all closed. */
  async dismiss(): Promise<void> {
    await Promise.all(this.#sockets.splice(0).map((socket) => {
      socket.removeListener('close', this.#leave);
      const closed = new Promise((resolve) => socket.once('close', resolve)); // once() rejects on 'error'
      closeGently(socket, SHUTTING_DOWN_LINE);
      return closed;
    }));
  }

  destroyAll(): void {
    for (const socket of this.#sockets.splice(0)) socket.destroy();
  }
}

function ignoreWhileWaiting(): void {}

type PeerHandle = { getpeername(out: object): number };

/**
 * Whether the client reset the connection: the kernel then has no peer for it, and getpeername()
 * fails (ENOTCONN). A client that closed with a FIN still has one until read. Asked of the handle:
 * remoteAddress keeps the first answer it got.
 */
function wasReset(socket: Socket): boolean {
  const handle = (socket as unknown as { _handle?: PeerHandle | null })._handle;
  return handle !== null && handle !== undefined && handle.getpeername({}) !== 0;
}

const heads = new WeakMap<Socket, Buffer>();

/** The first bytes a watched client sent while it waited (already read: hand them on), if any. */
export function takeHead(socket: Socket): Buffer | undefined {
  const head = heads.get(socket);
  heads.delete(socket);
  // Bytes read after the first ones, before the reads stopped, wait in the stream's own buffer:
  // they are the client's too. (read() may start a read; stopReads stops it again in this tick.)
  const more: Buffer[] = [];
  for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) more.push(chunk);
  stopReads(socket);
  if (more.length === 0) return head;
  return Buffer.concat(head === undefined ? more : [head, ...more]);
}

function watchForLeaving(socket: Socket, sent: (() => void) | undefined): void {
  socket.once('data', keepHead);
  if (sent !== undefined) socket.once('data', sent);
  socket.once('end', leftBeforeSending);
  socket.resume();
}

function keepHead(this: Socket, chunk: Buffer): void {
  this.removeListener('end', leftBeforeSending);
  stopReads(this);
  heads.set(this, chunk);
}

/**
 * Pauses a socket and stops the reads themselves, not only its 'data' events (a net.Socket's pause()
 * alone reads on up to its high-water mark): what follows stays in the kernel, for whoever serves the
 * client, though its handle move to another process or thread.
 */
function stopReads(socket: Socket): void {
  socket.pause();
  const handle = (socket as unknown as { _handle?: { readStop(): number; reading: boolean } | null })._handle;
  if (!handle) return;
  const stop = (): void => {
    handle.readStop();
    handle.reading = false;
  };
  stop();
  // A resume() of this same tick still starts a read on the next tick (Readable's resume_): stop after it.
  process.nextTick(stop);
}

function leftBeforeSending(this: Socket): void {
  this.removeListener('data', keepHead);
  this.destroy(); // 'close' takes it out of the line
}
