// cluster: an event-loop process per core on one port; the kernel spreads connections across them.

import { expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';

it('serves from one process per core, each on the same port', async () => {
  const hexd = await spawnServer(['cluster', '--port', '0', '--verbose']);
  const clients = await Promise.all(Array.from({ length: 40 }, () => LineClient.connect(hexd.port)));
  const replies = await Promise.all(clients.map((client, i) => client.request(String(i))));
  expect(replies).toEqual(clients.map((_, i) => `0x${i.toString(16)}`));
  const servedBy = new Set(hexd.stderr.map((line) => /connected \(process (\d+)\)$/.exec(line)?.[1]).filter(Boolean));
  // 40 connections hashed over the workers: every worker gets some (the chance one gets none is tiny).
  expect(servedBy.size).toBe(availableParallelism());
  for (const client of clients) client.end();
  hexd.child.kill('SIGTERM');
  expect(await hexd.exited).toBe(0);
});
