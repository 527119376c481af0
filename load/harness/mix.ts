// --mix: a share of the requests are big numbers, real CPU work for the server (a 1,000,000-digit
// number costs about 0.1 s to convert). They are checked like every other request and timed apart, so
// a report can say what the heavy requests do to everyone else's latency.

import { UsageError } from '../../common/cli.ts';
import { expectReply, randomNumbers, seededRandom, RequestPool, type Expectation } from './checker.ts';
import { DEFAULT_DIGITS, type DigitRange } from './digit-range.ts';

/** `P%:D`: P percent of the requests are D-digit numbers. */
export interface MixEntry {
  percent: number;
  digits: number;
}

/**
 * Distinct big numbers per entry. Each costs the tester as much to check as the server to answer
 * (about 0.1 s at 1,000,000 digits, computed once per process), so the set stays small; the pool
 * repeats them.
 */
const HEAVY_DISTINCT = 3;
export const MAX_MIX_DIGITS = 100_000_000;
/** Shares are exact to this fraction of a percent. */
const SHARE_STEPS_PER_PERCENT = 1_000;
/** About this many lines in a pool, so that the light numbers vary (the default pool has 1024). */
const TARGET_POOL_LINES = 1_000;
const MAX_POOL_LINES = 100_000;
/** The big lines of one pool hold at most about this many bytes (each thread has its own pool). */
const HEAVY_POOL_BYTES = 32 * 1024 * 1024;
const ENTRY = /^(\d+(?:\.\d+)?)%:(\d(?:_?\d)*)$/;

/** Reads `1%:1000000` or a list `1%:1000000,10%:5000` (underscores allowed in the digit count). */
export function parseMix(raw: string): MixEntry[] {
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError('--mix names no entry: give PERCENT%:DIGITS, such as 1%:1000000');
  const entries: MixEntry[] = [];
  for (const part of parts) {
    const match = ENTRY.exec(part);
    if (!match) throw new UsageError(`--mix entries are PERCENT%:DIGITS (such as 1%:1000000), got ${JSON.stringify(part)}`);
    const percent = Number(match[1]);
    const digits = Number(match[2]!.replaceAll('_', ''));
    if (!(percent > 0) || percent > 100) throw new UsageError(`--mix percent must be above 0 and at most 100, got ${JSON.stringify(part)}`);
    if (digits < 1 || digits > MAX_MIX_DIGITS) throw new UsageError(`--mix digits must be from 1 to ${MAX_MIX_DIGITS}, got ${JSON.stringify(part)}`);
    if (entries.some((e) => e.digits === digits)) throw new UsageError(`--mix names ${digits}-digit numbers twice`);
    entries.push({ percent, digits });
  }
  const total = entries.reduce((sum, e) => sum + e.percent, 0);
  if (total > 100 + 1e-9) throw new UsageError(`--mix shares add up to ${total}%, over 100%`);
  return entries;
}

/** A mix is only right against a server that accepts its numbers: --max-digits must cover them. */
export function checkMixDigits(mix: readonly MixEntry[], maxDigits: number): void {
  const over = mix.find((e) => e.digits > maxDigits);
  if (over !== undefined) {
    throw new UsageError(`--mix asks for ${over.digits}-digit numbers, over --max-digits ${maxDigits}: ` +
      `raise --max-digits to at least ${over.digits}, here and on the server`);
  }
}

/** The canonical text form: `1%:1000000,10%:5000`. */
export function formatMix(mix: readonly MixEntry[]): string {
  return mix.map((e) => `${e.percent}%:${e.digits}`).join(',');
}

/** The names of the request kinds: `light`, then one per entry (`1,000,000 digits`). */
export function mixClassNames(mix: readonly MixEntry[]): string[] {
  return ['light', ...mix.map((e) => `${e.digits.toLocaleString('en-US')} digits`)];
}

/**
 * How many lines the pool holds: the fewest that give every share a whole number of lines (1% needs
 * 100, 0.2% needs 500, 100% needs 1), times as much as brings it near 1000 lines while the big lines
 * stay within a few tens of megabytes (100%:1000000 is 32 lines, not 1000 copies of a megabyte).
 */
export function mixPoolSize(mix: readonly MixEntry[]): number {
  const whole = 100 * SHARE_STEPS_PER_PERCENT;
  let base = 1;
  for (const e of mix) {
    const steps = Math.max(1, Math.round(e.percent * SHARE_STEPS_PER_PERCENT));
    base = lcm(base, whole / gcd(whole, steps));
  }
  base = Math.min(base, MAX_POOL_LINES);
  const heavyBytesPerBase = mix.reduce((sum, e) => sum + (e.percent / 100) * base * (e.digits + 2), 0);
  const byBytes = Math.max(1, Math.floor(HEAVY_POOL_BYTES / Math.max(1, heavyBytesPerBase)));
  const byLines = Math.max(1, Math.ceil(TARGET_POOL_LINES / base));
  return Math.min(MAX_POOL_LINES, base * Math.min(byLines, byBytes));
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/** How many of the pool's lines each entry gets (at least one each). */
function mixLineCounts(mix: readonly MixEntry[]): { poolSize: number; heavyLines: number[] } {
  const poolSize = mixPoolSize(mix);
  return { poolSize, heavyLines: mix.map((e) => Math.max(1, Math.round((e.percent * poolSize) / 100))) };
}

/** The share of the requests each kind gets, in percent, light first: what the pool really sends. */
export function mixShares(mix: readonly MixEntry[]): number[] {
  const { poolSize, heavyLines } = mixLineCounts(mix);
  const light = poolSize - heavyLines.reduce((a, b) => a + b, 0);
  return [light, ...heavyLines].map((n) => Math.round((n / poolSize) * 100_000) / 1000);
}

export interface HeavyNumber {
  /** The request line: a plain decimal number of the entry's digit count. */
  text: string;
  expectation: Expectation;
}

/** What crosses to the load threads: the mix and its big numbers with their replies, computed once. */
export interface PreparedMix {
  entries: MixEntry[];
  /** heavy[k]: the distinct numbers of entry k. */
  heavy: HeavyNumber[][];
}

const heavyCache = new Map<string, HeavyNumber[]>();

/** `count` distinct `digits`-digit numbers and their expected replies; cached, since each costs as much as the server's work. */
export function heavyNumbers(digits: number, count = HEAVY_DISTINCT, seed = 4312): HeavyNumber[] {
  const key = `${digits}:${count}:${seed}`;
  const cached = heavyCache.get(key);
  if (cached !== undefined) return cached;
  const random = seededRandom(seed ^ digits);
  const numbers: HeavyNumber[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.allocUnsafe(digits);
    bytes[0] = 0x31 + Math.floor(random() * 9); // no leading zero: the number has exactly `digits` digits
    for (let j = 1; j < digits; j++) bytes[j] = 0x30 + Math.floor(random() * 10);
    const text = `${i % 2 === 1 ? '-' : ''}${bytes.toString('latin1')}`;
    numbers.push({ text, expectation: expectReply(text, digits) });
  }
  heavyCache.set(key, numbers);
  return numbers;
}

export function prepareMix(mix: readonly MixEntry[]): PreparedMix | null {
  if (mix.length === 0) return null;
  return { entries: [...mix], heavy: mix.map((e) => heavyNumbers(e.digits)) };
}

/**
 * The requests of a mixed run: light numbers of the --digits range, with each entry's share of the lines
 * replaced by its big numbers at places drawn by a seeded shuffle (so every run sends the same
 * sequence, and a connection walking the pool meets heavy requests at the mix's rate).
 */
export function mixedRequestPool(prepared: PreparedMix, maxDigits: number, digits: DigitRange = DEFAULT_DIGITS, seed = 97): RequestPool {
  const { poolSize: size, heavyLines: counts } = mixLineCounts(prepared.entries);
  const heavyTotal = counts.reduce((a, b) => a + b, 0);
  if (heavyTotal > size) throw new RangeError(`the mix needs ${heavyTotal} heavy lines in a pool of ${size}`);
  const light = heavyTotal < size ? randomNumbers(size - heavyTotal, digits) : [];
  const places = shuffled(size, seed);
  const heavyAt = new Map<number, { kind: number; number: HeavyNumber }>();
  let drawn = 0;
  prepared.entries.forEach((_, k) => {
    const numbers = prepared.heavy[k]!;
    for (let i = 0; i < counts[k]!; i++) heavyAt.set(places[drawn++]!, { kind: k + 1, number: numbers[i % numbers.length]! });
  });
  const texts: string[] = [];
  const expectations: (Expectation | undefined)[] = [];
  const classOf = new Uint8Array(size);
  let nextLight = 0;
  for (let i = 0; i < size; i++) {
    const heavy = heavyAt.get(i);
    if (heavy === undefined) {
      texts.push(light[nextLight++]!);
      expectations.push(undefined);
    } else {
      texts.push(heavy.number.text);
      expectations.push(heavy.number.expectation);
      classOf[i] = heavy.kind;
    }
  }
  return new RequestPool(texts, maxDigits, { expectations, classOf });
}

/** The share of each kind of request in a pool, in percent (light first). */
export function classShares(pool: RequestPool): number[] {
  const counts = Array.from({ length: pool.classes }, () => 0);
  for (const c of pool.classOf) counts[c]!++;
  return counts.map((n) => Math.round((n / pool.size) * 100_000) / 1000);
}

/** 0..n-1 in a seeded random order (Fisher-Yates). */
function shuffled(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
