// Micro-benchmark of the protocol's conversion: ns per line for each number-size class, as the
// servers' replyToLine (scan, validate, convert, format) sees them, on 4,096 distinct lines per class,
// beside the reference server's way (load/perf/reference-server.ts: BigInt() of the line's text, no checks).
//
//   node load/perf/conversion-bench.ts [--rounds N] [--against DIR]
//
// --against DIR: DIR/protocol/responder.ts is another version of the protocol (for instance
// `mkdir -p /tmp/old/protocol && for f in protocol/*.ts; do git show HEAD~1:$f > /tmp/old/$f; done`);
// the two are timed in alternating rounds, each figure the median, and every reply compared.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MAX_DIGITS, replyToLine } from '../../protocol/index.ts';
import { seededRandom } from '../harness/checker.ts';

type ReplyToLine = typeof replyToLine;

const CLASSES: readonly (readonly [number, number])[] = [[1, 5], [10, 15], [16, 20], [39, 39], [300, 300], [4300, 4300]];
const LINES_PER_CLASS = 4096;
const ROUND_MS = 150;
const U64_MAX = 2n ** 64n - 1n;

/** A digit count drawn within [low, high], then that many random digits (20-digit values within 64 bits). */
function randomLine(random: () => number, low: number, high: number): Buffer {
  const digits = low + Math.floor(random() * (high - low + 1));
  for (;;) {
    let text = String(digits === 1 ? Math.floor(random() * 10) : 1 + Math.floor(random() * 9));
    while (text.length < digits) text += String(Math.floor(random() * 10));
    if (digits === 20 && BigInt(text) > U64_MAX) continue;
    return Buffer.from(random() < 0.25 && text !== '0' ? `-${text}` : text, 'latin1');
  }
}

/** The reference server's reply, from the line's bytes as its text (it decodes whole reads to text). */
const referenceReply: ReplyToLine = (bytes, start, end) => {
  const n = BigInt((bytes as Buffer).toString('latin1', start, end));
  return n < 0n ? `-0x${(-n).toString(16)}\n` : `0x${n.toString(16)}\n`;
};

/** ns per line over about `ms` milliseconds. */
function timeLines(reply: ReplyToLine, lines: readonly Buffer[], ms: number): number {
  let sink = 0;
  let count = 0;
  const started = performance.now();
  let now = started;
  while (now - started < ms) {
    for (const line of lines) sink += reply(line, 0, line.length, DEFAULT_MAX_DIGITS).length;
    count += lines.length;
    now = performance.now();
  }
  if (sink < 0) throw new Error('unreachable');
  return ((now - started) * 1e6) / count;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, against: { type: 'string' } } });
const rounds = Number(values.rounds);
const other: ReplyToLine | null = values.against === undefined
  ? null
  : ((await import(pathToFileURL(resolve(values.against, 'protocol/responder.ts')).href)) as { replyToLine: ReplyToLine }).replyToLine;

const random = seededRandom(13);
for (const [low, high] of CLASSES) {
  const lines = Array.from({ length: low > 1000 ? LINES_PER_CLASS / 16 : LINES_PER_CLASS }, () => randomLine(random, low, high));
  const label = `${low === high ? low : `${low}-${high}`} digits`.padStart(13);
  if (other === null) {
    timeLines(replyToLine, lines, ROUND_MS);
    timeLines(referenceReply, lines, ROUND_MS);
    const ours: number[] = [];
    const reference: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(timeLines(replyToLine, lines, ROUND_MS));
      reference.push(timeLines(referenceReply, lines, ROUND_MS));
    }
    const [ns, ref] = [median(ours), median(reference)];
    console.log(`${label}  ${ns.toFixed(1).padStart(8)} ns/line  reference server's way ${ref.toFixed(1).padStart(8)} ns  ${(ref / ns).toFixed(2)}x`);
    continue;
  }
  for (const line of lines) {
    const a = other(line, 0, line.length, DEFAULT_MAX_DIGITS);
    const b = replyToLine(line, 0, line.length, DEFAULT_MAX_DIGITS);
    if (a !== b) throw new Error(`the two versions differ on ${line.toString('latin1')}: ${a} against ${b}`);
  }
  timeLines(other, lines, ROUND_MS);
  timeLines(replyToLine, lines, ROUND_MS);
  const before: number[] = [];
  const after: number[] = [];
  for (let r = 0; r < rounds; r++) {
    before.push(timeLines(other, lines, ROUND_MS));
    after.push(timeLines(replyToLine, lines, ROUND_MS));
  }
  const [b, a] = [median(before), median(after)];
  console.log(`${label}  --against ${b.toFixed(1).padStart(8)} ns  this tree ${a.toFixed(1).padStart(8)} ns  ${(b / a).toFixed(2)}x`);
}
