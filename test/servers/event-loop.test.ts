// event-loop: one thread serves every client at once.

import { expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { startServer } from '../helpers/servers.ts';
import { threadCount } from '../helpers/proc.ts';

it('answers 1000 concurrent clients, all connected at once, on one thread', async () => {
  const { server, port } = await startServer('event-loop');
  const threadsBefore = await threadCount();
  const clients = await Promise.all(Array.from({ length: 1000 }, () => LineClient.connect(port)));
  await server.untilConnections(1000);
  // Every client asks while all are connected, and each gets its own answer.
  const replies = await Promise.all(clients.map((client, i) => client.request(String(i * 31))));
  expect(replies).toEqual(clients.map((_, i) => `0x${(i * 31).toString(16)}`));
  expect(await threadCount()).toBe(threadsBefore);
  for (const client of clients) client.end();
  await server.untilConnections(0);
});
