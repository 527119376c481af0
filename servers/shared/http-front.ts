// The same service over HTTP/1.x on the same port: `curl localhost:65432/4312` prints `0x10d8`.
// A connection whose first line is an HTTP request line (see http-sniff.ts) is handed, with the bytes
// already read put back, to Node's own http.Server (one per thread); HTTP parsing is Node's, not ours.
// This module is imported only when a connection first speaks HTTP: node:http costs a Worker about
// 5 MB and 30 ms to load, which the threads variant would otherwise pay for every client.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ProtocolError, parseIntegerText, toPythonHex, type ProtocolLimits } from '../../protocol/index.ts';

export interface HttpOptions {
  limits: ProtocolLimits;
  /** An idle keep-alive connection is closed after this long (Node's keepAliveTimeout). */
  keepAliveTimeoutMs: number;
  /** Bounds on the request head and the whole request (Node's headersTimeout and requestTimeout). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

const USAGE = [
  'hexd: decimal in, hex out.',
  '',
  '  GET /4312      -> 0x10d8',
  '  GET /-255      -> -0xff',
  '',
  'Or speak the line protocol on the same port: nc -N localhost PORT, then one number per line.',
  '',
].join('\n');

/** Answers one request; exported for tests. */
export function answerHttp(method: string, url: string, limits: ProtocolLimits): { status: number; body: string; allow?: string } {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, body: 'error: only GET is served\n', allow: 'GET, HEAD' };
  const path = url.split('?', 1)[0]!;
  if (path === '/') return { status: 200, body: USAGE };
  const segment = path.slice(1);
  if (segment.includes('/')) return { status: 404, body: 'error: not found: ask for /NUMBER, such as /4312\n' };
  let text: string;
  try {
    text = decodeURIComponent(segment);
  } catch {
    return { status: 400, body: 'error: malformed percent-encoding in the path\n' };
  }
  if (Buffer.byteLength(text) > limits.maxLineBytes) {
    return { status: 414, body: `error: number longer than ${limits.maxLineBytes} bytes (--max-line-bytes)\n` };
  }
  const value = parseIntegerText(text, limits.maxDigits);
  if (value instanceof ProtocolError) return { status: 400, body: value.toReply() };
  return { status: 200, body: `${toPythonHex(value)}\n` };
}

/** The status for a request node:http refuses, by its error code; anything else is a 400. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, string>> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
};

export type OnHttpReply = (socket: Socket) => void;

/** One http.Server per thread and set of options; it never listens, it is only handed sockets. */
export function createHttpFront(options: HttpOptions, onReply: OnHttpReply): (socket: Socket, head: Buffer) => void {
  const server = http.createServer(
    {
      keepAliveTimeout: options.keepAliveTimeoutMs,
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      maxHeaderSize: 16 * 1024,
      // How often the timeouts are looked at; Node's default, 30 s, would let a slow request live that long.
      connectionsCheckingInterval: Math.max(5, Math.min(1000, Math.floor(options.headersTimeoutMs / 10))),
    },
    (req: IncomingMessage, res: ServerResponse) => {
      const { status, body, allow } = answerHttp(req.method ?? 'GET', req.url ?? '/', options.limits);
      res.statusCode = status;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      if (allow !== undefined) res.setHeader('Allow', allow);
      res.end(body);
      onReply(req.socket);
    },
  );
  // Node keeps headersTimeout and requestTimeout by a check it starts when a server begins listening.
  // This one never listens (it is handed sockets), so it is told it has; without the check, a request
  // whose headers trickle in a byte a second stays open for good.
  server.emit('listening');
  // A malformed request gets a 400, a slow one a 408, headers too large a 431; only its connection closes.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  return (socket, head) => {
    if (socket.readableEnded) {
      // The client's FIN came right behind its request, and the stream ended while node:http loaded
      // (the first request of a process): a stream that has ended takes no unshift. The server gets
      // the request, and then the end, as it would have read them.
      server.emit('connection', socket);
      socket.emit('data', head);
      socket.emit('end');
      return;
    }
    socket.pause();
    socket.unshift(head);
    server.emit('connection', socket);
    socket.resume();
  };
}
