// The HTTP listener for /stats and /metrics, on its own port (--stats-port) in the process that
// holds the hub: the main thread, or cluster's primary. A port of its own means asking for figures
// never waits in blocking's line, never counts against --max-clients, never starts a Worker or a child
// process, and works the same in all six models (docs/telemetry.md says why it is not the main port).

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { Variant } from '../options.ts';
import type { TelemetryHub } from './hub.ts';
import { buildStats } from './stats.ts';
import type { MetricsWriter } from './metrics.ts';

/** A flood of requests for figures is bounded as other HTTP is: few connections, short timeouts. */
const MAX_CONNECTIONS = 64;
const TIMEOUT_MS = 5_000;

export interface StatsServer {
  address: AddressInfo;
  close(): Promise<void>;
}

export async function listenStats(hub: TelemetryHub, variant: Variant, host: string, port: number): Promise<StatsServer> {
  let metrics: Promise<MetricsWriter> | undefined;
  const server = http.createServer({
    headersTimeout: TIMEOUT_MS,
    requestTimeout: TIMEOUT_MS,
    keepAliveTimeout: TIMEOUT_MS,
    maxHeaderSize: 8 * 1024,
    connectionsCheckingInterval: 1_000,
  }, (req: IncomingMessage, res: ServerResponse) => {
    void answer(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `error: ${err.message}\n`);
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'error: only GET is served\n');
    } else if (path === '/stats') {
      send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(buildStats(hub, variant), null, 2)}\n`);
    } else if (path === '/metrics') {
      // prom-client is loaded on the first scrape: a server nobody scrapes never pays for it.
      metrics ??= import('./metrics.ts').then(({ createMetricsWriter }) => createMetricsWriter());
      const writer = await metrics;
      send(res, 200, writer.contentType, await writer.render(buildStats(hub, variant)));
    } else {
      send(res, 404, 'text/plain; charset=utf-8', 'error: not found: ask for /stats or /metrics\n');
    }
  }

  server.listen({ host, port });
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => {
    throw err as Error;
  })]);
  return {
    address: server.address() as AddressInfo,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
