// Hardening: whatever bytes a client sends, each live server answers every line with one reply line
// (a hex number or an `error: `), never crashes, never hangs, and still answers the next client line.
// fast-check writes the bytes: raw noise, near-numbers, Unicode digits and spaces, over-long lines,
// CR LF and LF endings, cut into writes at random points.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Variant } from '../../servers/shared/options.ts';
import { Responder } from '../../protocol/index.ts';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';

/** The variants the hardening issue covers (blocking, threads, event-loop). */
const HARDENED = ['blocking', 'threads', 'event-loop'] as const satisfies readonly Variant[];

const MAX_LINE_BYTES = 200;
const MAX_DIGITS = 60;
const CONNECTIONS = 3;
const RUNS_PER_CONNECTION = 400;
/** A batch that gets no full answer in this long counts as a hang. */
const HANG_MS = 5_000;
const REPLY = /^(-?0x[0-9a-f]+|error: .+)$/;
const LF = 0x0a;

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** One line's content, without its ending; raw bytes may themselves hold LFs and CRs. */
const lineContent: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.stringMatching(/^[ \t+\-_0-9]{0,70}$/).map(utf8),
  // Numbers of every length up to just past --max-digits.
  {
    arbitrary: fc.tuple(
      fc.constantFrom('', '-', '+'),
      fc.integer({ min: 1, max: MAX_DIGITS + 2 }),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: MAX_DIGITS + 2, maxLength: MAX_DIGITS + 2 }),
    ).map(([sign, length, digits]) => utf8(sign + digits.slice(0, length).join(''))),
    weight: 4,
  },
  fc.array(fc.constantFrom('٣', '٠', '۹', '５', '𝟗', '०', '\u00a0', '\u3000', ' ', '_', '-', '+', '\u0085', '\u2028', 'x'), { maxLength: 30 })
    .map((chars) => utf8(chars.join(''))),
  fc.string({ unit: 'binary', maxLength: 40 }).map(utf8),
  // Over --max-line-bytes: answered with an error as soon as the limit passes, then skipped to its LF.
  fc.record({ length: fc.integer({ min: MAX_LINE_BYTES + 1, max: 3 * MAX_LINE_BYTES }), byte: fc.constantFrom(0x37, 0x20, 0xff, 0x0d) })
    .map(({ length, byte }) => new Uint8Array(length).fill(byte)),
);

/** A batch of lines, each ended by LF or CR LF, and where to cut it into separate writes. */
const batch = fc.record({
  lines: fc.array(fc.tuple(lineContent, fc.constantFrom('\n', '\r\n')), { minLength: 1, maxLength: 25 }),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
});

/** The batch's bytes as writes, and how many lines they end: one reply each is due. */
function assemble({ lines, cuts }: { lines: [Uint8Array, string][]; cuts: number[] }): { bytes: Buffer; writes: Buffer[]; lfs: number } {
  const bytes = Buffer.concat(lines.flatMap(([content, ending]) => [content, utf8(ending)]));
  const at = [...new Set(cuts.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const writes = [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length)).filter((w) => w.length > 0);
  return { bytes, writes, lfs: bytes.reduce((n, byte) => n + (byte === LF ? 1 : 0), 0) };
}

/** What the pure protocol module answers to the same bytes, as LineClient reads it (latin1 lines). */
function protocolReplies(bytes: Buffer): string[] {
  const text = new Responder({ maxDigits: MAX_DIGITS, maxLineBytes: MAX_LINE_BYTES }).receive(bytes);
  return Buffer.from(text, 'utf8').toString('latin1').split('\n').slice(0, -1);
}

function withinHangLimit<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no full answer within ${HANG_MS} ms: ${what}`)), HANG_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

describe.each(HARDENED)('%s', (variant) => {
  it(`answers ${CONNECTIONS * RUNS_PER_CONNECTION} random batches line for line, and the sentinel after each`, async ({ annotate }) => {
    const hexd = await spawnServer([variant, '--port', '0', '--max-line-bytes', String(MAX_LINE_BYTES), '--max-digits', String(MAX_DIGITS)]);
    let linesSent = 0;
    let errors = 0;
    for (let c = 0; c < CONNECTIONS; c++) {
      const client = await LineClient.connect(hexd.port, { encoding: 'latin1' });
      await fc.assert(
        fc.asyncProperty(batch, async (generated) => {
          const { bytes, writes, lfs } = assemble(generated);
          for (const write of writes) client.send(write);
          client.send('4312\n');
          const replies = await withinHangLimit(client.lines(lfs + 1), `${lfs} lines in ${writes.length} writes`);
          expect(replies.at(-1)).toBe('0x10d8');
          for (const reply of replies) expect(reply).toMatch(REPLY);
          expect(client.pending).toEqual([]); // no more replies than lines
          // And they are exactly the protocol's answers, however TCP cut the bytes.
          expect(replies.slice(0, -1)).toEqual(protocolReplies(bytes));
          linesSent += lfs;
          errors += replies.filter((reply) => reply.startsWith('error: ')).length;
        }),
        { numRuns: RUNS_PER_CONNECTION },
      );
      client.end();
      expect(await client.rest()).toEqual([]);
    }
    expect(hexd.child.exitCode).toBe(null);
    expect(hexd.stderr).toEqual([]); // no crash report, no failed thread
    await annotate(`${variant}: ${CONNECTIONS * RUNS_PER_CONNECTION} batches, ${linesSent} random lines (${errors} errors) plus a sentinel each, over ${CONNECTIONS} connections`);
  });
});
