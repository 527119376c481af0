// The protocol against CPython itself: generated lines, valid and not, must get exactly the reply that
// `hex(int(line.decode('utf-8')))` gives (or an error where Python raises), and decimalDigitValue must
// agree with unicodedata.decimal(). Python runs once; each property's cases go to it in one batch.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_MAX_DIGITS,
  ProtocolError,
  Responder,
  decimalDigitValue,
  defaultLimits,
  parseInteger,
  toPythonHex,
} from '../../protocol/index.ts';
import {
  LONG_STANDING_DIGITS,
  LONG_STANDING_DIGIT_ZEROS,
  PythonOracle,
  type OracleAnswer,
} from '../helpers/python-oracle.ts';

let oracle: PythonOracle;

beforeAll(async () => {
  oracle = await PythonOracle.start(DEFAULT_MAX_DIGITS);
});

afterAll(async () => {
  await oracle?.close();
});

// ---- what we compare ------------------------------------------------------------------------------

function ours(bytes: Uint8Array): OracleAnswer {
  const value = parseInteger(bytes, 0, bytes.length, DEFAULT_MAX_DIGITS);
  return value instanceof ProtocolError ? { err: true } : { ok: toPythonHex(value) };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const LONG_STANDING = new Set(LONG_STANDING_DIGITS);
const ANY_DIGIT = /\p{Nd}/u;
/**
 * Node's Unicode is newer than Python 3.11's: a decimal digit from a recent script is one to Node and
 * not to Python. Generated inputs keep to digits both know.
 */
function onlyLongStandingDigits(bytes: Uint8Array): boolean {
  if (!isValidUtf8(bytes)) return true;
  for (const char of strictUtf8.decode(bytes)) {
    if (ANY_DIGIT.test(char) && !LONG_STANDING.has(char.codePointAt(0)!)) return false;
  }
  return true;
}

function showBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, 48)).toString('hex');
  return bytes.length > 48 ? `${hex}... (${bytes.length} bytes)` : hex;
}

interface DifferentialRun {
  samples: Uint8Array[];
  answers: OracleAnswer[];
  /** Cases fast-check produced that the batch did not hold (only while shrinking a failure). */
  misses: number;
}

/**
 * Runs `arb` as a fast-check property against Python. The cases are first drawn with fc.sample (same
 * seed, so the same cases fc.assert will draw) and sent to Python in one write; fc.assert then checks
 * each from that batch, asking Python one at a time only for the new cases shrinking makes up.
 */
async function differential<T>(
  arb: fc.Arbitrary<T>,
  toBytes: (value: T) => Uint8Array,
  numRuns: number,
): Promise<DifferentialRun> {
  const seed = (Math.random() * 2 ** 31) | 0;
  const cases = arb.filter((value) => onlyLongStandingDigits(toBytes(value)));

  const samples = fc.sample(cases, { seed, numRuns }).map(toBytes);
  const answers = await oracle.hexOf(samples);
  const known = new Map<string, OracleAnswer>();
  samples.forEach((b, i) => known.set(Buffer.from(b).toString('latin1'), answers[i]!));

  let misses = 0;
  await fc.assert(
    fc.asyncProperty(cases, async (value) => {
      const bytes = toBytes(value);
      let want = known.get(Buffer.from(bytes).toString('latin1'));
      if (want === undefined) {
        misses++;
        [want] = await oracle.hexOf([bytes]);
      }
      expect(ours(bytes), `input bytes ${showBytes(bytes)}`).toEqual(want);
    }),
    { seed, numRuns },
  );
  return { samples, answers, misses };
}

// ---- generators ---------------------------------------------------------------------------------------

const cp = (code: number): string => String.fromCodePoint(code);

/** Whitespace to Python's int(): ASCII whitespace and the str.isspace() characters beyond ASCII. */
const PYTHON_SPACE = [
  ' ', '\t', '\v', '\f', '\r', '\n',
  '\u0085', '\u00a0', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
  ...Array.from({ length: 11 }, (_, i) => String.fromCodePoint(0x2000 + i)),
];
/** Look like whitespace, are not to int(): where JS trim() or str.isspace() say otherwise. */
const NOT_PYTHON_SPACE = [
  '\u001c', '\u001d', '\u001e', '\u001f', // str.isspace(), but int() leaves ASCII alone
  '\ufeff', // JS trim() strips it
  '\u200b', '\u180e',
];
const WHITESPACE = [...PYTHON_SPACE, ...NOT_PYTHON_SPACE];

const OTHER = [
  'x', '.', 'e', 'E', ',', '0x', 'a', 'é', '😀', '\u0000', '\u007f',
  '²', '①', '½', 'Ⅻ', '٫', '٤\u0301', // digit-like, but not decimal digits (or not alone)
];

const zeros = Object.values(LONG_STANDING_DIGIT_ZEROS);
const asciiZero = LONG_STANDING_DIGIT_ZEROS.ascii!;
const scriptZero = fc.oneof(
  { arbitrary: fc.constant(asciiZero), weight: 3 },
  { arbitrary: fc.constantFrom(...zeros), weight: 2 },
);

/** 1..maxLength digits, from one script or (sometimes) mixed. */
const digitRun = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      scriptZero,
      fc.integer({ min: 0, max: 3 }).map((n) => n === 0), // a quarter of the runs mix scripts
      fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom(...zeros)), { minLength: 1, maxLength }),
    )
    .map(([zero, mixed, digits]) => digits.map(([d, other]) => cp((mixed ? other : zero) + d)).join(''));

const runOf = (chars: string[]): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
const whitespaceRun = fc.oneof(
  { arbitrary: fc.constant(''), weight: 4 },
  { arbitrary: runOf(PYTHON_SPACE), weight: 3 },
  { arbitrary: runOf(WHITESPACE), weight: 1 },
);

const sign = fc.oneof(
  { arbitrary: fc.constant(''), weight: 8 },
  { arbitrary: fc.constantFrom('+', '-'), weight: 6 },
  { arbitrary: fc.constantFrom('--', '+-', '-+', '++'), weight: 1 },
);

const separator = fc.oneof(
  { arbitrary: fc.constant('_'), weight: 8 },
  { arbitrary: fc.constant(''), weight: 6 },
  { arbitrary: fc.constant('__'), weight: 1 },
);

const edgeUnderscore = fc.oneof(
  { arbitrary: fc.constant(''), weight: 15 },
  { arbitrary: fc.constant('_'), weight: 1 },
);

/** Digit groups with separators: `12_345`, `٤__٣`, `007`. */
const body = fc
  .array(fc.tuple(separator, digitRun(6)), { minLength: 1, maxLength: 5 })
  .map((groups) => groups.map(([sep, digits], i) => (i === 0 ? digits : sep + digits)).join(''));

const otherChar = fc.oneof(
  { arbitrary: fc.constantFrom(...OTHER), weight: 3 },
  { arbitrary: fc.constantFrom(...WHITESPACE), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
);

type Edit = { kind: 'insert' | 'delete' | 'replace'; at: number; char: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.nat(),
  char: otherChar,
});

/** Usually none; else one or two edits (which put whitespace and stray characters mid-line). */
const edits = fc.oneof(
  { arbitrary: fc.constant<Edit[]>([]), weight: 2 },
  { arbitrary: fc.array(edit, { minLength: 1, maxLength: 2 }), weight: 1 },
);

function applyEdits(text: string, edits: readonly Edit[]): string {
  const chars = [...text];
  for (const { kind, at, char } of edits) {
    const i = at % (chars.length + 1);
    if (kind === 'insert') chars.splice(i, 0, char);
    else if (kind === 'delete') chars.splice(i, 1);
    else chars.splice(i, 1, char);
  }
  return chars.join('');
}

/** Number-like lines: mostly well-formed, some an edit or two away, some noise. */
const line: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(whitespaceRun, sign, edgeUnderscore, body, edgeUnderscore, whitespaceRun, edits)
      .map(([lead, s, u1, b, u2, trail, changes]) => applyEdits(lead + s + u1 + b + u2 + trail, changes)),
  },
  { weight: 1, arbitrary: fc.array(otherChar, { maxLength: 6 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

/** Lines of 4299..4301 digits (the limit is 4300), some with underscores, signs and whitespace. */
const nearLimit: fc.Arbitrary<string> = fc
  .record({
    digits: fc.constantFrom(DEFAULT_MAX_DIGITS - 1, DEFAULT_MAX_DIGITS, DEFAULT_MAX_DIGITS + 1),
    zero: scriptZero,
    seed: fc.integer(),
    underscoreEvery: fc.constantFrom(0, 0, 1, 3, 1000),
    sign: fc.constantFrom('', '-', '+'),
    lead: whitespaceRun,
    trail: whitespaceRun,
  })
  .map(({ digits, zero, seed, underscoreEvery, sign: s, lead, trail }) => {
    let x = seed >>> 0 || 1;
    let text = '';
    for (let i = 0; i < digits; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      if (underscoreEvery > 0 && i > 0 && i % underscoreEvery === 0) text += '_';
      text += cp(zero + (x % 10));
    }
    return lead + s + text + trail;
  });

/**
 * Plain numbers at every length where the conversion changes method: 9/10 and 15/16 digits (small and
 * safe integers), 19-21 (2^64 is 20 digits), 38-40 (128 bits), 48/49 (the limb path's end), 600/601
 * and 1200/1201 (split parsing), some with leading zeros, underscores or a sign.
 */
const everySize: fc.Arbitrary<string> = fc
  .record({
    digits: fc.oneof(
      fc.integer({ min: 1, max: 50 }),
      fc.constantFrom(9, 10, 15, 16, 19, 20, 21, 38, 39, 40, 48, 49, 299, 300, 600, 601, 1200, 1201),
    ),
    seed: fc.integer(),
    leadingZeros: fc.constantFrom(0, 0, 0, 1, 12),
    underscoreEvery: fc.constantFrom(0, 0, 1, 3, 7),
    sign: fc.constantFrom('', '-', '+'),
    top: fc.constantFrom('random', 'nines', 'u64'),
  })
  .map(({ digits, seed, leadingZeros, underscoreEvery, sign: s, top }) => {
    let x = seed >>> 0 || 1;
    let body = '';
    for (let i = 0; i < digits; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      body += top === 'nines' ? '9' : String(x % 10);
    }
    if (top === 'u64') body = String(2n ** 64n - 1n + BigInt(x % 3)); // 2^64 - 1, 2^64, 2^64 + 1
    const text = '0'.repeat(leadingZeros) + body;
    const grouped = underscoreEvery === 0 ? text : text.replace(new RegExp(`(\\d{${underscoreEvery}})(?=\\d)`, 'g'), '$1_');
    return s + grouped;
  });

/** Raw bytes: a line with a broken UTF-8 sequence spliced in, or random bytes. */
const BROKEN_UTF8: readonly (readonly number[])[] = [
  [0xff], [0xfe], [0x80], [0xbf], // bytes that never start a character
  [0xc0, 0xb1], [0xc1, 0xbf], [0xe0, 0x80, 0xb1], [0xf0, 0x80, 0x80, 0xb1], // overlong encodings
  [0xe2, 0x82], [0xd9], [0xf0, 0x9d, 0x9f], // truncated sequences
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], // UTF-16 surrogates
  [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], // past U+10FFFF
];
const rawLine: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(line, fc.constantFrom(...BROKEN_UTF8), fc.nat()).map(([text, broken, at]) => {
      const b = Buffer.from(text, 'utf8');
      const i = at % (b.length + 1);
      return new Uint8Array(Buffer.concat([b.subarray(0, i), Uint8Array.from(broken), b.subarray(i)]));
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
);

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

// ---- the properties -----------------------------------------------------------------------------------

describe('differential against python3 hex(int(...))', () => {
  it('the oracle is CPython with the same digit limit', () => {
    expect(oracle.info.maxDigits).toBe(DEFAULT_MAX_DIGITS);
  });

  it('the oracle agrees with the known answers (sanity check of the harness)', async () => {
    const cases = ['4312', '-255', '0', '-0', '+1_000', '٤٣١٢', '007', ' 4312\n', '0x10', '1__0', '\u001c1', ''];
    expect(await oracle.hexOf(cases.map(utf8))).toEqual([
      { ok: '0x10d8' }, { ok: '-0xff' }, { ok: '0x0' }, { ok: '0x0' }, { ok: '0x3e8' }, { ok: '0x10d8' },
      { ok: '0x7' }, { ok: '0x10d8' }, { err: true }, { err: true }, { err: true }, { err: true },
    ]);
    expect(await oracle.hexOf([Uint8Array.of(0xff)])).toEqual([{ err: true }]);
  });

  it('number-like lines (5000 cases in one batch) get exactly Python\'s answer, and pipelined too', async () => {
    const run = await differential(line, utf8, 5000);
    expect(run.misses).toBe(0); // the one batch held every case
    const okCount = run.answers.filter((a) => 'ok' in a).length;
    expect(okCount, 'a useful share of the cases are valid numbers').toBeGreaterThan(run.samples.length * 0.3);
    expect(okCount, 'and a useful share are not').toBeLessThan(run.samples.length * 0.9);

    // The same cases as one pipelined stream, cut into random chunks: each reply matches Python's.
    const lf = run.samples.map((b, i) => [b, run.answers[i]!] as const).filter(([b]) => !b.includes(0x0a));
    const stream = Buffer.concat(lf.flatMap(([b]) => [b, Uint8Array.of(0x0a)]));
    const responder = new Responder(defaultLimits());
    let out = '';
    for (let at = 0; at < stream.length; ) {
      const size = 1 + Math.floor(Math.random() * 64);
      out += responder.receive(stream.subarray(at, at + size));
      at += size;
    }
    out += responder.finish();
    const replies = out.split('\n');
    expect(replies.pop()).toBe('');
    expect(replies).toHaveLength(lf.length);
    replies.forEach((reply, i) => {
      const [bytes, want] = lf[i]!;
      const shown = `line ${i}: ${JSON.stringify(Buffer.from(bytes).toString('utf8'))}`;
      if ('ok' in want) expect(reply, shown).toBe(want.ok);
      else expect(reply.startsWith('error: '), `${shown} got ${reply}`).toBe(true);
    });
  });

  it('lines of 4299 to 4301 digits get exactly Python\'s answer', async () => {
    const run = await differential(nearLimit, utf8, 40);
    expect(run.misses).toBe(0);
  });

  it('numbers of every length where the conversion changes method (2000 cases) get exactly Python\'s answer, through the servers\' reply path too', async () => {
    const run = await differential(everySize, utf8, 2000);
    expect(run.misses).toBe(0);
    const responder = new Responder(defaultLimits());
    run.samples.forEach((bytes, i) => {
      const want = run.answers[i]!;
      const reply = responder.receive(Buffer.concat([bytes, Uint8Array.of(0x0a)]));
      expect(reply, `input bytes ${showBytes(bytes)}`).toBe('ok' in want ? `${want.ok}\n` : reply.startsWith('error: ') ? reply : 'an error');
    });
  });

  it('invalid UTF-8 (2000 cases in one batch) is an error, as in Python, with code INVALID_UTF8', async () => {
    const run = await differential(rawLine, (b) => b, 2000);
    expect(run.misses).toBe(0);
    for (const bytes of run.samples) {
      if (isValidUtf8(bytes)) continue;
      const value = parseInteger(bytes, 0, bytes.length, DEFAULT_MAX_DIGITS);
      const code = value instanceof ProtocolError ? value.code : value;
      expect(code, `input bytes ${showBytes(bytes)}`).toBe('INVALID_UTF8');
    }
  });
});

describe('decimalDigitValue against unicodedata.decimal', () => {
  let python: Map<number, number>;
  beforeAll(async () => {
    python = await oracle.decimalDigits();
  });

  it.each(Object.entries(LONG_STANDING_DIGIT_ZEROS))('%s digits have Python\'s values', (_script, zero) => {
    for (let d = 0; d < 10; d++) {
      expect(python.get(zero + d), `Python knows U+${(zero + d).toString(16)}`).toBe(d);
      expect(decimalDigitValue(zero + d), `U+${(zero + d).toString(16)}`).toBe(d);
    }
    expect(decimalDigitValue(zero + 10) === -1 || python.has(zero + 10)).toBe(true);
  });

  it('every digit Python knows has the same value here', () => {
    const wrong: string[] = [];
    for (const [code, value] of python) {
      const here = decimalDigitValue(code);
      if (here !== value) wrong.push(`U+${code.toString(16)}: python ${value}, here ${here}`);
    }
    expect(python.size).toBeGreaterThan(600);
    expect(wrong).toEqual([]);
  });

  it('a code point Python does not call a digit is not one here, except digits of newer Unicode', () => {
    // Node's Unicode is newer than Python's, so scripts added since (Kawi, Nag Mundari, ...) are digits
    // here only. Anything else that is a digit here and not in Python would be a bug.
    const extra: number[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (!python.has(code) && decimalDigitValue(code) !== -1) extra.push(code);
    }
    for (const code of extra) expect(LONG_STANDING.has(code), `U+${code.toString(16)}`).toBe(false);
    // Whole runs of ten, starting at a zero: new scripts, not stray code points.
    expect(extra.length % 10).toBe(0);
    for (let i = 0; i < extra.length; i += 10) expect(decimalDigitValue(extra[i]!)).toBe(0);
  });
});
