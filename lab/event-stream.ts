// Server-Sent Events over node:http: the lab's one way to talk to the page. A stream is one open
// response; each event is `event: NAME` and one line of JSON.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** A comment line this often keeps proxies and the browser from thinking the stream died. */
const KEEP_ALIVE_MS = 15_000;

export interface EventStream {
  /** A droppable event (a frame, soon replaced by the next) is skipped while the page is behind. */
  send(event: string, data: unknown, droppable?: boolean): void;
}

/** Answers `request` with an event stream; `onClose` is called once, when the page goes. */
export function openEventStream(request: IncomingMessage, response: ServerResponse, onClose: () => void): EventStream {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write(': hexd lab\n\n');
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  request.socket.setNoDelay(true);
  response.once('close', () => {
    clearInterval(keepAlive);
    onClose();
  });
  return {
    send(event, data, droppable = false) {
      // A page that reads slower than frames come misses frames rather than have them buffered without end.
      if (droppable && response.writableNeedDrain) return;
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
  };
}
