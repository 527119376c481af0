// Hardening: --max-buffered-bytes bounds what all connections of a process hold together in partial
// lines and unsent replies. At the budget the largest holders stop being read first (and --verbose says
// so); a newcomer is still served, from its share. Measured on the real server process, from /proc.

import { expect, it } from 'vitest';
import { KIB_PER_MIB, RssPeak, procUsage } from '../helpers/proc.ts';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';
import { NEWCOMER_LIMIT_MS, peerOf, timedRequest, waitFigure } from '../helpers/newcomer.ts';

const MIB = 1024 * 1024;
const BUDGET_BYTES = 8 * MIB;
/** The connections hold at most one and a half budgets (servers/shared/buffer-budget.ts). */
const HELD_BOUND_BYTES = 1.5 * BUDGET_BYTES;
/** A byte held exists up to three times in RSS (pieces, the flat string, the write's copy). */
const COPIES_PER_HELD_BYTE = 3;
/** What V8 lets pile up between collections; the other hardening tests allow the same. */
const GC_SLACK_MIB = 64;
/**
 * threads: each Worker is an isolate of its own, whose garbage piles up in its own young generation
 * (4 MB: workerResourceLimits) before it collects; measured, 20 flooding Workers added some 180 MiB
 * with the budget shared, 330 MiB with a budget a Worker.
 */
const GC_SLACK_PER_WORKER_MIB = 6;
const HELD_BACK = /not read for now: connections hold \d+ bytes of --max-buffered-bytes \d+, this one \d+, among the most/;

async function flooder(port: number, bytes: number): Promise<LineClient> {
  const client = await LineClient.connect(port);
  client.socket.pause();
  client.send(Buffer.alloc(bytes, '\n'));
  return client;
}

it('event-loop: the largest holder, a partial line past the budget, is the first not read; a newcomer is served', async ({ annotate }) => {
  const hexd = await spawnServer(['event-loop', '--port', '0', '--verbose', '--max-buffered-bytes', String(BUDGET_BYTES), '--max-line-bytes', String(64 * MIB)]);
  const before = await procUsage(hexd.pid);
  const rss = await RssPeak.start(hexd.pid);
  const small = await Promise.all(Array.from({ length: 5 }, () => flooder(hexd.port, 2_000_000)));
  await Promise.all(small.map((client) => hexd.stderrLine(new RegExp(`^${peerOf(client)} not read until it reads its replies`))));
  const big = await LineClient.connect(hexd.port);
  big.send(Buffer.alloc(12 * MIB, '1')); // one line, no LF: all of it held as a partial line

  const heldBack = await hexd.stderrLine(HELD_BACK);
  expect(heldBack.startsWith(`127.0.0.1:${big.socket.localPort} `), heldBack).toBe(true);
  const waitMs = await timedRequest(hexd.port);
  const peakKb = await rss.stop();
  const growthMib = (peakKb - before.rssKb) / KIB_PER_MIB;
  const boundMib = (COPIES_PER_HELD_BYTE * HELD_BOUND_BYTES) / MIB + GC_SLACK_MIB;
  await annotate(`${heldBack}; newcomer served in ${waitFigure(waitMs)}; RSS +${growthMib.toFixed(1)} MiB (bound ${boundMib} MiB)`);
  expect(waitMs).toBeLessThan(NEWCOMER_LIMIT_MS);
  expect(growthMib).toBeLessThanOrEqual(boundMib);
  for (const client of [...small, big]) client.destroy();
});

it('event-loop: 20 non-readers allowed 64 MiB each hold at most the budget and a half together; a newcomer is served', async ({ annotate }) => {
  const hexd = await spawnServer(['event-loop', '--port', '0', '--verbose', '--max-buffered-bytes', String(BUDGET_BYTES), '--max-pending-bytes', String(64 * MIB)]);
  const before = await procUsage(hexd.pid);
  const rss = await RssPeak.start(hexd.pid);
  const flooders = await Promise.all(Array.from({ length: 20 }, () => flooder(hexd.port, 2_000_000)));
  const heldBack = await hexd.stderrLine(HELD_BACK);
  const firstWaitMs = await timedRequest(hexd.port);
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // the attack goes on this long
  const laterWaitMs = await timedRequest(hexd.port);
  const peakKb = await rss.stop();
  const growthMib = (peakKb - before.rssKb) / KIB_PER_MIB;
  const boundMib = (COPIES_PER_HELD_BYTE * HELD_BOUND_BYTES) / MIB + GC_SLACK_MIB;
  const heldBackCount = hexd.stderr.filter((line) => HELD_BACK.test(line)).length;
  await annotate(`${heldBackCount} held back, first: ${heldBack}; newcomer served in ${waitFigure(firstWaitMs)}, then ${waitFigure(laterWaitMs)}; RSS +${growthMib.toFixed(1)} MiB (bound ${boundMib} MiB)`);
  expect(firstWaitMs).toBeLessThan(NEWCOMER_LIMIT_MS);
  expect(laterWaitMs).toBeLessThan(NEWCOMER_LIMIT_MS);
  expect(growthMib).toBeLessThanOrEqual(boundMib);
  for (const client of flooders) client.destroy();
});

it('threads: one budget for the whole process, though each client has a Worker of its own; a newcomer is served', async ({ annotate }) => {
  const hexd = await spawnServer(['threads', '--port', '0', '--verbose', '--max-buffered-bytes', String(BUDGET_BYTES), '--max-pending-bytes', String(64 * MIB)]);
  // Each client's Worker is up before the baseline: what is measured is what they hold, not what they are.
  const clients = await Promise.all(Array.from({ length: 20 }, () => LineClient.connect(hexd.port)));
  for (const client of clients) expect(await client.request('1')).toBe('0x1');
  const before = await procUsage(hexd.pid);
  const rss = await RssPeak.start(hexd.pid);
  for (const client of clients) {
    client.socket.pause();
    client.send(Buffer.alloc(2_000_000, '\n')); // 2 MB of empty lines earn some 110 MB of error replies
  }
  const heldBack = await hexd.stderrLine(HELD_BACK);
  const waitMs = await timedRequest(hexd.port);
  const peakKb = await rss.stop();
  const growthMib = (peakKb - before.rssKb) / KIB_PER_MIB;
  const boundMib = (COPIES_PER_HELD_BYTE * HELD_BOUND_BYTES) / MIB + GC_SLACK_MIB + clients.length * GC_SLACK_PER_WORKER_MIB;
  const heldBackCount = hexd.stderr.filter((line) => HELD_BACK.test(line)).length;
  await annotate(`${heldBackCount} held back, first: ${heldBack}; newcomer served in ${waitFigure(waitMs)}; RSS +${growthMib.toFixed(1)} MiB (bound ${boundMib} MiB)`);
  expect(waitMs).toBeLessThan(NEWCOMER_LIMIT_MS);
  expect(growthMib).toBeLessThanOrEqual(boundMib);
  for (const client of clients) client.destroy();
});
