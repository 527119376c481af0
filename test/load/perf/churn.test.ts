// The churn of short clients perf measures threads' Worker reuse with: every client is checked.

import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { expect, it, onTestFinished } from 'vitest';
import { churn } from '../../../load/perf/churn.ts';
import { startServer } from '../../helpers/servers.ts';

it('serves the count of short clients, a given number at a time, each reply checked', async () => {
  const { port } = await startServer('threads', { spareWorkers: 4 });
  const figure = await churn({ host: '127.0.0.1', port, clients: 60, concurrency: 3, maxSeconds: 30 });
  expect(figure).toMatchObject({ served: 60, failed: 0 });
  expect(figure.clientsPerSec).toBeGreaterThan(0);
});

it('counts a wrong reply as a failed client', async () => {
  const server = createServer((socket) => socket.once('data', () => socket.end('0x0\n')));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => void server.close());
  const figure = await churn({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, clients: 5, concurrency: 2, maxSeconds: 30 });
  expect(figure).toMatchObject({ served: 0, failed: 5 });
});
