// blocking: exactly one client at a time; the rest wait, unread, in arrival order.

import { expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { startServer } from '../helpers/servers.ts';

it('gives a second client no reply while the first is connected, then answers it', async () => {
  const { server, port } = await startServer('blocking');
  const first = await LineClient.connect(port);
  expect(await first.request('1')).toBe('0x1');

  const second = await LineClient.connect(port);
  second.send('2\n');
  await server.untilConnections(2);
  // The first client is still answered after the second sent its line, and the second has nothing.
  expect(await first.request('3')).toBe('0x3');
  expect(await first.request('4')).toBe('0x4');
  expect(second.pending).toEqual([]);

  first.end();
  await first.closed;
  expect(await second.line()).toBe('0x2');
  expect(await second.request('5')).toBe('0x5');
});

it('serves waiting clients in arrival order', async () => {
  const { server, port } = await startServer('blocking');
  const first = await LineClient.connect(port);
  expect(await first.request('0')).toBe('0x0');
  const served: number[] = [];
  const waiting = [];
  for (let i = 1; i <= 5; i++) {
    const client = await LineClient.connect(port);
    await server.untilConnections(i + 1); // accepted in this order
    client.send(`${i}\n`);
    client.end();
    waiting.push(client.rest().then(() => served.push(i)));
  }
  first.end();
  await Promise.all(waiting);
  expect(served).toEqual([1, 2, 3, 4, 5]);
});

it('tells clients still waiting their turn that it is shutting down', async () => {
  const { server, port } = await startServer('blocking');
  const first = await LineClient.connect(port);
  expect(await first.request('7')).toBe('0x7');
  const second = await LineClient.connect(port);
  second.send('8\n');
  await server.untilConnections(2);
  await server.close();
  expect(await first.rest()).toEqual(['error: shutting down']); // every line it sent was answered
  expect(await second.rest()).toEqual(['error: shutting down']); // none of its lines was read
});
