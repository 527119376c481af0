// Hardening: a flood of connections past --max-clients costs the threads server one line and a close
// per extra client, never a worker: the first --max-clients are served, the rest are told the server
// is full, memory stays sane, and once the flood is gone a newcomer is served. Measured on the real
// server process, from /proc.

import { expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';
import { KIB_PER_MIB, RssPeak, procUsage, settleUsage } from '../helpers/proc.ts';

const MAX_CLIENTS = 20;
const FLOOD = 300;
const MAX_RSS_MIB = 1024;
const FULL = `error: server is full (--max-clients ${MAX_CLIENTS}); try again later`;

it(`threads: ${FLOOD} connections at once against --max-clients ${MAX_CLIENTS}`, async ({ annotate }) => {
  const hexd = await spawnServer(['threads', '--port', '0', '--max-clients', String(MAX_CLIENTS)]);
  const start = await procUsage(hexd.pid);
  const rss = await RssPeak.start(hexd.pid);

  // Every client asks at once, as a real client would: it cannot know it will be refused.
  const clients = await Promise.all(Array.from({ length: FLOOD }, async (_, i) => {
    const client = await LineClient.connect(hexd.port);
    client.send(`${i}\n`);
    return client;
  }));
  const firstLines = await Promise.all(clients.map((client) => client.line()));
  const served = clients.filter((_, i) => firstLines[i] === `0x${i.toString(16)}`);
  const refused = clients.filter((_, i) => firstLines[i] === FULL);
  expect(served.length + refused.length, `unexpected replies: ${JSON.stringify(firstLines.filter((line) => line !== FULL && !line.startsWith('0x')))}`).toBe(FLOOD);
  expect(served).toHaveLength(MAX_CLIENTS);

  // The refused get that one line and a close; the served go on being served.
  const refusedRest = await Promise.all(refused.map((client) => client.rest()));
  expect(refusedRest.filter((rest) => rest.length > 0)).toEqual([]);
  expect(await Promise.all(served.map((client) => client.request('4312')))).toEqual(served.map(() => '0x10d8'));
  const floodUsage = await procUsage(hexd.pid);
  const peakKb = await rss.stop();
  expect(peakKb / KIB_PER_MIB).toBeLessThan(MAX_RSS_MIB);

  for (const client of served) client.end();
  await Promise.all(served.map((client) => client.rest()));
  // Every worker gone: polled, as a child process offers no event for it.
  const after = await settleUsage(hexd.pid, (usage) => usage.threads <= start.threads && usage.fds <= start.fds);
  expect(after.threads).toBeLessThanOrEqual(start.threads);
  expect(after.fds).toBeLessThanOrEqual(start.fds);
  const newcomer = await LineClient.connect(hexd.port);
  expect(await newcomer.request('255')).toBe('0xff');
  newcomer.end();
  await newcomer.closed;

  await annotate(
    `threads: ${served.length} served, ${refused.length} refused; threads ${start.threads} -> ${floodUsage.threads} during -> ${after.threads} after; ` +
      `RSS ${start.rssKb} KiB -> peak ${peakKb} KiB (${(peakKb / KIB_PER_MIB).toFixed(0)} MiB) -> ${after.rssKb} KiB after`,
  );
  expect(hexd.stderr).toEqual([]);
});
