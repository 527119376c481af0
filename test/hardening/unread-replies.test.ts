// Hardening: a client that sends requests and never reads the replies is stopped being read once its
// unread replies pass --max-pending-bytes, so what it sends waits in the kernel, not in the server.
// Measured on the real server process (spawned), from /proc.

import { expect, it } from 'vitest';
import { KIB_PER_MIB, RssPeak, procUsage } from '../helpers/proc.ts';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';

const REQUEST_BYTES = 100 * 1000 * 1000;
const MAX_RSS_GROWTH_MIB = 64;
const IDLE_TIMEOUT_MS = 2_000;
const NOT_READ = /not read until it reads its replies: \d+ bytes pending \(--max-pending-bytes \d+\)/;

/** Connects a client that reads nothing, and has it send 100 MB of '1\n' (held by its own socket). */
async function connectNonReader(port: number): Promise<LineClient> {
  const client = await LineClient.connect(port);
  client.socket.pause();
  client.send(Buffer.alloc(REQUEST_BYTES, '1\n'));
  return client;
}

it.for(['event-loop', 'threads'] as const)(
  '%s: a client that reads nothing costs bounded memory, and another client is served meanwhile',
  async (variant, { annotate }) => {
    const hexd = await spawnServer([variant, '--port', '0', '--verbose']);
    const before = await procUsage(hexd.pid);
    const rss = await RssPeak.start(hexd.pid);
    const stuck = await connectNonReader(hexd.port);
    const stuckPeer = `127.0.0.1:${stuck.socket.localPort}`;

    const paused = await hexd.stderrLine(NOT_READ);
    expect(paused.startsWith(`${stuckPeer} `)).toBe(true);
    // Measured before a second client comes: on threads it brings its own worker, which is not this cost.
    const peakKb = await rss.stop();
    const growthMib = (peakKb - before.rssKb) / KIB_PER_MIB;
    await annotate(`${variant}: ${paused}; RSS ${before.rssKb} KiB -> peak ${peakKb} KiB (+${growthMib.toFixed(1)} MiB)`);
    expect(growthMib).toBeLessThanOrEqual(MAX_RSS_GROWTH_MIB);

    const other = await LineClient.connect(hexd.port);
    expect(await other.request('4312')).toBe('0x10d8');
    expect(await other.request('-255')).toBe('-0xff');
    expect(stuck.socket.destroyed).toBe(false); // the other was served while the stuck one stays connected

    other.end();
    await other.closed;
    stuck.destroy();
    await hexd.stderrLine(new RegExp(`^${stuckPeer} closed after \\d+ repl(?:y|ies)`));
  },
);

it('blocking: a client that reads nothing costs bounded memory, and --idle-timeout-ms frees the queue behind it', async ({ annotate }) => {
  // Short, but not so short that a starved server on a busy machine times the client out before it
  // has read its first bytes (seen at 500 ms with a load average of 16 on 2 cores).
  const hexd = await spawnServer(['blocking', '--port', '0', '--verbose', '--idle-timeout-ms', String(IDLE_TIMEOUT_MS)]);
  const before = await procUsage(hexd.pid);
  const rss = await RssPeak.start(hexd.pid);
  const stuck = await connectNonReader(hexd.port);
  const stuckPeer = `127.0.0.1:${stuck.socket.localPort}`;
  // Queued at once, not after the pause below: the idle timeout counts from the pause.
  const waiting = await LineClient.connect(hexd.port);
  const waitingPeer = `127.0.0.1:${waiting.socket.localPort}`;
  waiting.send('4312\n');
  const paused = await hexd.stderrLine(NOT_READ);
  expect(paused.startsWith(`${stuckPeer} `)).toBe(true);
  await hexd.stderrLine(new RegExp(`^${waitingPeer} waiting its turn \\(1 client ahead of it\\)`));
  const pausedKb = (await procUsage(hexd.pid)).rssKb;

  // Nothing moves either way on the stuck connection, so the idle timeout closes it...
  const stuckClosed = await hexd.stderrLine(new RegExp(`^${stuckPeer} closed after [1-9]\\d* repl(?:y|ies)`));
  await stuck.closed;
  // ...and the client waiting behind it is served.
  expect(await waiting.line()).toBe('0x10d8');
  expect(await waiting.request('255')).toBe('0xff');
  const peakKb = await rss.stop();

  const growthMib = (peakKb - before.rssKb) / KIB_PER_MIB;
  await annotate(`blocking: ${paused}; RSS ${before.rssKb} KiB -> ${pausedKb} KiB while stuck, peak ${peakKb} KiB (+${growthMib.toFixed(1)} MiB); ${stuckClosed}`);
  expect(growthMib).toBeLessThanOrEqual(MAX_RSS_GROWTH_MIB);
  waiting.end();
  await waiting.closed;
});
