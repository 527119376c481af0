// Hardening: what a connection holds in replies, of every kind (numbers, errors, delayed replies,
// offloaded lines and theirs), stays under --max-pending-bytes plus PENDING_SLACK_BYTES, checked per
// line's worth of input rather than per read. The attack: 50 clients each send 1 MB of bare newlines
// (every one an error reply, 55 bytes for 1) and read nothing. The server's RSS must stay within what
// those bounds allow, and a newcomer is answered within a second, at the start and after a while.
// Measured on the real server process (spawned), from /proc.

import { expect, it } from 'vitest';
import { KIB_PER_MIB, RssPeak, procUsage } from '../helpers/proc.ts';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';
import { serverOptions } from '../../servers/shared/options.ts';
import { PENDING_SLACK_BYTES } from '../../servers/shared/session.ts';
import { NEWCOMER_LIMIT_MS, peerOf, timedRequest, waitFigure } from '../helpers/newcomer.ts';

const FLOODERS = 50;
const FLOOD_BYTES = 1000 * 1000;
/** How long the floods go on before a second newcomer is timed. */
const ATTACK_MS = 3_000;
/**
 * A reply held exists up to three times in RSS: the pieces the protocol made it in, the flat string
 * the socket writes, and the copy a write makes for the kernel when it cannot send at once.
 */
const COPIES_PER_HELD_BYTE = 3;
/** What V8 lets pile up between collections, and the read buffers; the other hardening tests allow the same. */
const GC_SLACK_MIB = 64;
/**
 * A threads client's Worker: its isolate (8 MB: 50 Workers each serving one client added 7.6 MB of
 * RSS apiece, 7.7 with threads' runtime tuning, servers/threads/runtime-tuning.ts) and its own heap's
 * garbage between collections, up to its young generation's two 4 MB semi-spaces (resourceLimits).
 */
const WORKER_MIB = 8 + 2 * 4;

const MAX_PENDING_BYTES = serverOptions().maxPendingBytes;
const NOT_READ = /not read until it reads its replies/;

interface Attack {
  name: string;
  args: string[];
  /** Every flooder ends up not read (its replies pass the limit) while the test runs. */
  allStopped: boolean;
  perClientMib: number;
}

const ATTACKS: Attack[] = [
  { name: 'event-loop', args: ['event-loop'], allStopped: true, perClientMib: 0 },
  { name: 'event-loop --delay-ms 1', args: ['event-loop', '--delay-ms', '1'], allStopped: false, perClientMib: 0 },
  { name: 'pool --offload-min-bytes 1', args: ['pool', '--offload-min-bytes', '1'], allStopped: false, perClientMib: 0 },
  { name: 'pool', args: ['pool'], allStopped: true, perClientMib: 0 },
  { name: 'threads', args: ['threads'], allStopped: true, perClientMib: WORKER_MIB },
];

it.for(ATTACKS)('$name: 50 clients flooding newlines unread hold bounded replies; a newcomer is served within 1 s', async (attack, { annotate }) => {
  const hexd = await spawnServer([...attack.args, '--port', '0', '--verbose']);
  const before = await procUsage(hexd.pid);
  const rss = await RssPeak.start(hexd.pid);

  const flooders = await Promise.all(Array.from({ length: FLOODERS }, async () => {
    const client = await LineClient.connect(hexd.port);
    client.socket.pause();
    client.send(Buffer.alloc(FLOOD_BYTES, '\n'));
    return client;
  }));
  // Timed once every flooder is being served (on threads: has its Worker), so the wait measured is
  // the floods' cost, not that of starting their sessions.
  await Promise.all(flooders.map((client) => hexd.stderrLine(new RegExp(`^${peerOf(client)} connected`))));
  const firstWaitMs = await timedRequest(hexd.port);
  if (attack.allStopped) {
    // Every flooder's replies pass the limit, and it is not read: wait until the server says so.
    await Promise.all(flooders.map((client) => hexd.stderrLine(new RegExp(`^${peerOf(client)} ${NOT_READ.source}`))));
  }
  await new Promise((resolve) => setTimeout(resolve, ATTACK_MS)); // the attack goes on this long
  const laterWaitMs = await timedRequest(hexd.port);
  const peakKb = await rss.stop();

  const heldBoundMib = (MAX_PENDING_BYTES + PENDING_SLACK_BYTES) / (1024 * 1024);
  const boundMib = FLOODERS * (COPIES_PER_HELD_BYTE * heldBoundMib + attack.perClientMib) + GC_SLACK_MIB;
  const growthMib = (peakKb - before.rssKb) / KIB_PER_MIB;
  await annotate(
    `${attack.name}: newcomer served in ${waitFigure(firstWaitMs)}, then ${waitFigure(laterWaitMs)} after ${ATTACK_MS} ms more; ` +
      `RSS ${before.rssKb} KiB -> peak ${peakKb} KiB (+${growthMib.toFixed(1)} MiB, bound ${boundMib.toFixed(0)} MiB)`,
  );
  expect(firstWaitMs).toBeLessThan(NEWCOMER_LIMIT_MS);
  expect(laterWaitMs).toBeLessThan(NEWCOMER_LIMIT_MS);
  expect(growthMib).toBeLessThanOrEqual(boundMib);
  for (const client of flooders) client.destroy();
});
