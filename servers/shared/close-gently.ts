// Closing a socket that still has unread bytes makes the kernel send RST instead of FIN, and a client
// that receives RST may lose replies it has not read yet, our last `error: ` line among them. So to
// end a connection on our side: write the last line, send FIN, read and drop whatever still arrives
// until the client's FIN, then close. A client that never closes is cut off after graceMs.

import type { Socket } from 'node:net';

const CLOSE_GRACE_MS = 2000;

export function closeGently(socket: Socket, lastLine = '', graceMs = CLOSE_GRACE_MS): void {
  socket.on('error', ignore);
  socket.allowHalfOpen = true; // so the client's FIN closes the socket only once ours is sent
  socket.end(lastLine);
  socket.resume(); // with no 'data' listener left to use them, the bytes are dropped
  const cutOff = setTimeout(() => socket.destroy(), graceMs).unref();
  socket.once('close', () => clearTimeout(cutOff));
}

function ignore(): void {}
