// Closing a socket that still has unread bytes makes the kernel send RST instead of FIN, and a client
// that receives RST may lose replies it has not read yet, our last `error: ` line among them. So to
// end a connection on our side: write the last line, send FIN, read and drop whatever still arrives
// until the client's FIN, then close. A client that never closes is cut off after graceMs.
//
// Each socket in its grace holds a descriptor. Under `ulimit -n`, a burst of clients turned away (600
// against 256 descriptors) would hold them all for the grace, and the server could then open nothing:
// processes failed to start children with EMFILE. So at most `cap` sockets wait out their grace on a
// thread; past it the oldest is closed at once (its line and FIN already sent; the client may see a
// reset instead of our FIN).

import type { Socket } from 'node:net';

const CLOSE_GRACE_MS = 2000;

/** Sockets in their grace on this thread, oldest first. */
const inGrace = new Set<Socket>();
let cap = Number.POSITIVE_INFINITY;

/** At most this many sockets wait out their grace at once on this thread (fd-limit.ts says how many fit). */
export function capSocketsInGrace(most: number): void {
  cap = Math.max(1, most);
}

export function closeGently(socket: Socket, lastLine = '', graceMs = CLOSE_GRACE_MS): void {
  socket.on('error', ignore);
  socket.allowHalfOpen = true; // so the client's FIN closes the socket only once ours is sent
  socket.end(lastLine);
  socket.resume(); // with no 'data' listener left to use them, the bytes are dropped
  const cutOff = setTimeout(() => socket.destroy(), graceMs).unref();
  inGrace.add(socket);
  socket.once('close', () => {
    clearTimeout(cutOff);
    inGrace.delete(socket);
  });
  if (inGrace.size > cap) {
    const oldest = inGrace.values().next().value!;
    inGrace.delete(oldest);
    oldest.destroy();
  }
}

function ignore(): void {}
