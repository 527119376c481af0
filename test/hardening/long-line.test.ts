// Hardening: a client that sends an endless line, or an enormous number, costs the server neither
// memory nor time. Measured on the real server process (spawned), from /proc.

import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { Variant } from '../../servers/shared/options.ts';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';
import { KIB_PER_MIB, RssPeak, procUsage } from '../helpers/proc.ts';

/** The variants the hardening issue covers (blocking, threads, event-loop). */
const HARDENED = ['blocking', 'threads', 'event-loop'] as const satisfies readonly Variant[];

const STREAM_BYTES = 1024 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const MAX_RSS_GROWTH_MIB = 64;
const LINE_TOO_LONG = /^error: line longer than \d+ bytes \(--max-line-bytes\)/;

/** Writes `chunk` `count` times, waiting for 'drain' whenever the socket's buffer is full. */
async function writeRepeatedly(socket: Socket, chunk: Buffer, count: number): Promise<void> {
  const closed = new Promise<'closed'>((resolve) => socket.once('close', () => resolve('closed')));
  for (let i = 0; i < count; i++) {
    if (socket.write(chunk)) continue;
    if ((await Promise.race([once(socket, 'drain'), closed])) === 'closed') {
      throw new Error(`the server closed the connection after ${i + 1} of ${count} chunks`);
    }
  }
}

describe.each(HARDENED)('%s', (variant) => {
  it('reads 1 GiB without a newline in bounded memory, answers it once, then serves the next line', async ({ annotate }) => {
    const hexd = await spawnServer([variant, '--port', '0']);
    const before = await procUsage(hexd.pid);
    const rss = await RssPeak.start(hexd.pid);
    const client = await LineClient.connect(hexd.port);

    const startedMs = performance.now();
    await writeRepeatedly(client.socket, Buffer.alloc(CHUNK_BYTES, '7'), STREAM_BYTES / CHUNK_BYTES);
    const streamedMs = performance.now() - startedMs;
    client.send('\n'); // ends the over-long line: no second reply for it
    client.send('4312\n');
    const replies = await client.lines(2);
    const peakKb = await rss.stop();

    expect(replies[0]).toMatch(LINE_TOO_LONG);
    expect(replies[1]).toBe('0x10d8');
    expect(client.pending).toEqual([]);
    const growthMib = (peakKb - before.rssKb) / KIB_PER_MIB;
    await annotate(`${variant}: 1 GiB streamed in ${streamedMs.toFixed(0)} ms; RSS ${before.rssKb} KiB -> peak ${peakKb} KiB (+${growthMib.toFixed(1)} MiB, ${rss.samples} samples)`);
    expect(rss.samples).toBeGreaterThan(2);
    expect(growthMib).toBeLessThanOrEqual(MAX_RSS_GROWTH_MIB);
    client.end();
    await client.closed;
  });

  it('answers a number over --max-digits with an error at once, without parsing it', async ({ annotate }) => {
    // --max-line-bytes wide enough that the million digits reach the digit check, not the line limit.
    const hexd = await spawnServer([variant, '--port', '0', '--max-line-bytes', String(2 * 1024 * 1024)]);
    const client = await LineClient.connect(hexd.port);
    expect(await client.request('9'.repeat(4300))).toBe(`0x${(10n ** 4300n - 1n).toString(16)}`);
    expect(await client.request('9'.repeat(4301))).toBe('error: number has 4301 digits, over the limit of 4300 (--max-digits)');

    const million = `${'7'.repeat(1_000_000)}\n`;
    await client.request('1'); // warm: what follows times only the big line
    let startedMs = performance.now();
    client.send(million);
    expect(await client.line()).toBe('error: number has 1000000 digits, over the limit of 4300 (--max-digits)');
    const digitsMs = performance.now() - startedMs;

    // With the default limits the same line is longer than --max-line-bytes: refused before its end.
    const defaults = await spawnServer([variant, '--port', '0']);
    const other = await LineClient.connect(defaults.port);
    await other.request('1');
    startedMs = performance.now();
    other.send(million);
    expect(await other.line()).toMatch(LINE_TOO_LONG);
    const lineMs = performance.now() - startedMs;
    expect(await other.request('4312')).toBe('0x10d8');
    expect(other.pending).toEqual([]);

    await annotate(`${variant}: 1,000,000 digits answered in ${digitsMs.toFixed(1)} ms (--max-digits), ${lineMs.toFixed(1)} ms (default --max-line-bytes)`);
    // The digits are counted before any BigInt is built (the reply says how many there were), so the
    // answer takes a few ms: a loose bound here, the figures above for the record.
    expect(digitsMs).toBeLessThan(500);
    expect(lineMs).toBeLessThan(500);
  });
});
