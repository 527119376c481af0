// parseInteger / parseIntegerText / toPythonHex: known answers, every way a line is refused (by code, not
// wording), and the exactness of big numbers against BigInt.

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_DIGITS,
  ProtocolError,
  Responder,
  defaultLimits,
  replyToLine,
  parseInteger,
  parseIntegerText,
  toPythonHex,
  type Integer,
} from '../../protocol/index.ts';

const MAX = DEFAULT_MAX_DIGITS;

/** `0x..` for a number, or the error's code. */
function hexOrCode(value: Integer | ProtocolError): string {
  return value instanceof ProtocolError ? value.code : toPythonHex(value);
}

const parseText = (text: string, maxDigits = MAX): string => hexOrCode(parseIntegerText(text, maxDigits));
const parseBytes = (bytes: readonly number[], maxDigits = MAX): string => {
  const buf = Uint8Array.from(bytes);
  return hexOrCode(parseInteger(buf, 0, buf.length, maxDigits));
};

/** A random decimal string of exactly `digits` digits (leading zeros allowed). */
function randomDigits(digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += String.fromCharCode(0x30 + Math.floor(Math.random() * 10));
  return s;
}

describe('known answers', () => {
  it.each([
    ['4312', '0x10d8'],
    ['-255', '-0xff'],
    ['0', '0x0'],
    ['-0', '0x0'],
    ['+0', '0x0'],
    ['-0000000000000000000000', '0x0'], // past the plain-number path, still no "-0x0"
    ['+1_000', '0x3e8'],
    ['1_2_3', '0x7b'],
    ['007', '0x7'],
    ['0_7', '0x7'],
    ['-1', '-0x1'],
    ['٤٣١٢', '0x10d8'],
    ['-٢٥٥', '-0xff'],
    ['۴۳۱۲', '0x10d8'],
    ['४३१२', '0x10d8'],
    ['৪৩১২', '0x10d8'],
    ['๔๓๑๒', '0x10d8'],
    ['４３１２', '0x10d8'],
    ['𝟒𝟑𝟏𝟐', '0x10d8'],
    ['4٣𝟏２', '0x10d8'], // scripts may be mixed, as in Python
    ['٤_٣١٢', '0x10d8'],
    ['999999999999999', '0x38d7ea4c67fff'], // 15 digits: the last plain-number case
    ['9007199254740993', '0x20000000000001'], // 2**53 + 1: must not round
    ['-9007199254740993', '-0x20000000000001'],
    ['2147483647', '0x7fffffff'], // the last small integer V8 formats on its fast path
    ['2147483648', '0x80000000'],
    ['16777216', '0x1000000'], // one 24-bit limb and the next
    ['281474976710656', '0x1000000000000'], // 2**48: a zero limb in the middle
    ['18446744073709551615', '0xffffffffffffffff'], // 2**64 - 1
    ['18446744073709551616', '0x10000000000000000'],
    ['-340282366920938463463374607431768211455', '-0xffffffffffffffffffffffffffffffff'], // 2**128 - 1
    ['18446744073709551616', '0x10000000000000000'],
  ])('%j -> %s', (text, hex) => {
    expect(parseText(text)).toBe(hex);
  });

  it.each([
    [' 4312', '0x10d8'],
    ['4312 ', '0x10d8'],
    ['\t4312\r', '0x10d8'],
    ['\v\f 4312 \f\v', '0x10d8'],
    ['\n4312\n', '0x10d8'],
    ['\u00a04312\u00a0', '0x10d8'],
    ['\u00854312\u0085', '0x10d8'], // JS trim() does not strip U+0085; Python does
    ['\u30004312\u2003', '0x10d8'],
    ['\u2000\u200a-255\u2028\u2029', '-0xff'],
    ['\u1680\u202f\u205f+1_000', '0x3e8'],
    ['  ٤٣١٢\u3000', '0x10d8'],
  ])('surrounding whitespace %j -> %s', (text, hex) => {
    expect(parseText(text)).toBe(hex);
  });

  it('replies right on each side of every power of two to 2**130, by every path (plain, spaced, underscored)', () => {
    // The hex is written in 12-bit groups and 24-bit limbs: each boundary between them is here.
    for (let k = 0; k <= 130; k++) {
      for (const delta of [-1n, 0n, 1n]) {
        const value = 2n ** BigInt(k) + delta;
        for (const signed of value === 0n ? [value] : [value, -value]) {
          const expected = `${signed < 0n ? '-' : ''}0x${(signed < 0n ? -signed : signed).toString(16)}\n`;
          const plain = String(signed);
          const underscored = plain.replace(/(\d)(?=(\d{3})+$)/g, '$1_');
          for (const line of [plain, ` ${plain} `, underscored]) {
            const bytes = Buffer.from(line, 'latin1');
            expect(replyToLine(bytes, 0, bytes.length, MAX), line).toBe(expected);
          }
        }
      }
    }
  });

  it('a number of up to 15 digits is a plain number, longer is a bigint', () => {
    expect(typeof parseIntegerText('999999999999999', MAX)).toBe('number');
    expect(typeof parseIntegerText('1000000000000000', MAX)).toBe('bigint');
  });

  it('toPythonHex formats like hex()', () => {
    expect(toPythonHex(0)).toBe('0x0');
    expect(toPythonHex(-0)).toBe('0x0');
    expect(toPythonHex(0n)).toBe('0x0');
    expect(toPythonHex(255)).toBe('0xff');
    expect(toPythonHex(-255n)).toBe('-0xff');
  });

  it('4300-digit numbers are exact against BigInt (with signs, underscores, leading zeros)', () => {
    for (let round = 0; round < 40; round++) {
      const digits = randomDigits(MAX);
      const expected = BigInt(digits);
      const negative = round % 2 === 1;
      const withUnderscores = round % 4 >= 2 ? digits.replace(/(\d{7})(?=\d)/g, '$1_') : digits;
      const text = `${negative ? '-' : round % 3 === 0 ? '+' : ''}${withUnderscores}`;
      const want = negative && expected !== 0n ? `-0x${expected.toString(16)}` : `0x${expected.toString(16)}`;
      expect(parseText(text)).toBe(want);
    }
  });

  it('a 4300-digit number in mathematical digits is exact', () => {
    const digits = randomDigits(MAX);
    const math = [...digits].map((d) => String.fromCodePoint(0x1d7ce + Number(d))).join('');
    expect(parseText(` ${math}\u3000`)).toBe(`0x${BigInt(digits).toString(16)}`);
  });
});

describe('the servers\' reply path (replyToLine) gives what parseInteger then toPythonHex give', () => {
  it('at every length from 1 to 1300 digits, with signs, leading zeros and underscores', () => {
    for (let digits = 1; digits <= 1300; digits += digits < 60 ? 1 : 37) {
      for (const form of ['plain', 'negative', 'zeros', 'underscores'] as const) {
        let text = randomDigits(digits);
        if (form === 'negative') text = `-${text}`;
        if (form === 'zeros') text = `000${text}`;
        if (form === 'underscores') text = text.replace(/(\d)(?=\d)/g, '$1_');
        const bytes = Buffer.from(text, 'latin1');
        const want = `${hexOrCode(parseInteger(bytes, 0, bytes.length, MAX))}\n`;
        expect(replyToLine(bytes, 0, bytes.length, MAX), text).toBe(want);
        const big = BigInt(text.replaceAll('_', ''));
        expect(want, text).toBe(`${big < 0n ? '-' : ''}0x${(big < 0n ? -big : big).toString(16)}\n`);
      }
    }
  });
});

describe('the plain-digits fast path of replyToLine refuses what int() refuses', () => {
  const long = randomDigits(40);
  it.each([
    ['0x' + long], ['0o' + long], ['0b' + long], ['0X' + long], ['1' + long + ' '], [' ' + long + '1'],
    ['1' + long.slice(0, 20) + ' ' + long + '1'], ['1' + long + '_1'], ['1' + long + '.5'], ['1' + long + 'e5'],
    ['1' + long + '\u00a0'], ['--1' + long], ['-+1' + long], ['1' + long.repeat(20) + ' 1'], ['1' + long.repeat(20) + 'x1'],
    ['000000000000000000000000000000000000'], ['-00000000000000000000000000000000000'], ['0' + long],
  ])('%j, as a Buffer and as a plain Uint8Array', (text) => {
    const bytes = Buffer.from(text, 'utf8');
    const want = hexOrCode(parseInteger(bytes, 0, bytes.length, MAX));
    const reply = replyToLine(bytes, 0, bytes.length, MAX);
    if (/^-?0x/.test(want)) expect(reply, text).toBe(`${want}\n`);
    else expect(reply, text).toMatch(/^error: /);
    expect(replyToLine(Uint8Array.from(bytes), 0, bytes.length, MAX)).toBe(reply);
  });
});

describe('refused lines, by code', () => {
  it.each([
    ['0x10'],
    ['1.5'],
    ['1e3'],
    ['1__0'],
    ['_1'],
    ['1_'],
    ['+_1'],
    ['-_1'],
    ['--1'],
    ['+-1'],
    ['-+1'],
    ['++1'],
    ['+'],
    ['-'],
    ['_'],
    ['- 1'],
    ['1 2'],
    ['1,000'],
    ['abc'],
    ['4312x'],
    ['\u001c4312'], // str.isspace() is true, but CPython's int() does not strip ASCII U+001C..U+001F
    ['4312\u001f'],
    ['\ufeff4312'], // JS trim() strips U+FEFF; Python does not
    ['4312\u200b'], // zero-width space is not whitespace
    ['4312\u0000'],
    ['٤٣١٢x'],
    ['٤__٣'],
    ['²'], // a digit (No) but not a decimal digit (Nd)
    ['①'],
    ['Ⅻ'],
    ['½'],
    ['1٫5'], // Arabic decimal separator
  ])('%j is NOT_AN_INTEGER', (text) => {
    expect(parseText(text)).toBe('NOT_AN_INTEGER');
  });

  it.each([[''], [' '], ['\t\r\v\f '], ['\n']])('%j is EMPTY_LINE', (text) => {
    expect(parseText(text)).toBe('EMPTY_LINE');
  });

  it.each([
    ['lone 0xff', [0xff]],
    ['lone 0xfe', [0xfe]],
    ['digit then 0xff', [0x34, 0x33, 0xff]],
    ['0xff between digits', [0x34, 0xff, 0x33]],
    ['lone continuation byte', [0x34, 0x80]],
    ['truncated 3-byte sequence at the end', [0x34, 0x33, 0xe2, 0x82]],
    ['truncated 2-byte sequence before a digit', [0xd9, 0x34]],
    ['overlong "1" (C0 B1)', [0xc0, 0xb1]],
    ['overlong "1" (E0 80 B1)', [0xe0, 0x80, 0xb1]],
    ['overlong "1" (F0 80 80 B1)', [0xf0, 0x80, 0x80, 0xb1]],
    ['overlong NUL (C0 80) after digits', [0x31, 0xc0, 0x80]],
    ['UTF-16 surrogate (ED A0 80)', [0x31, 0xed, 0xa0, 0x80]],
    ['beyond U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
    ['invalid bytes among whitespace', [0x20, 0xff, 0x20]],
    ['invalid bytes after a non-digit', [0x78, 0xff]],
  ])('%s is INVALID_UTF8', (_name, bytes) => {
    expect(parseBytes(bytes)).toBe('INVALID_UTF8');
  });

  it('more than maxDigits digits is TOO_MANY_DIGITS; underscores, signs and whitespace do not count', () => {
    expect(parseText('1'.repeat(MAX))).toMatch(/^0x/);
    expect(parseText('1'.repeat(MAX + 1))).toBe('TOO_MANY_DIGITS');
    expect(parseText(`-${'0'.repeat(MAX)}`)).toBe('0x0');
    expect(parseText(`-${'0'.repeat(MAX + 1)}`)).toBe('TOO_MANY_DIGITS');
    expect(parseText(` +${'12_'.repeat(MAX / 2 - 1)}12 `)).toMatch(/^0x/); // 4300 digits, 2149 underscores
    expect(parseText('٤'.repeat(MAX))).toMatch(/^0x/);
    expect(parseText('٤'.repeat(MAX + 1))).toBe('TOO_MANY_DIGITS');
    expect(parseText('123456', 5)).toBe('TOO_MANY_DIGITS');
    expect(parseText('12_345', 5)).toBe('0x3039');
    expect(parseText('00001', 4)).toBe('TOO_MANY_DIGITS'); // leading zeros count, as in Python
  });

  it('the TOO_MANY_DIGITS message names the limit and its option', () => {
    const err = parseIntegerText('1'.repeat(MAX + 1), MAX);
    expect(err).toBeInstanceOf(ProtocolError);
    const reply = (err as ProtocolError).toReply();
    expect(reply).toMatch(/^error: [^\n]*\n$/);
    expect(reply).toContain(String(MAX));
    expect(reply).toContain('--max-digits');
  });

  it('parseInteger reads only bytes[start, end)', () => {
    const buf = Buffer.from('xx4312yy');
    expect(hexOrCode(parseInteger(buf, 2, 6, MAX))).toBe('0x10d8');
    const uni = Buffer.concat([Uint8Array.of(0xff), Buffer.from('٤٣١٢'), Uint8Array.of(0xff)]);
    expect(hexOrCode(parseInteger(uni, 1, uni.length - 1, MAX))).toBe('0x10d8');
  });

  it('every error reply is one line starting "error: ", however odd the input', () => {
    const inputs = ['"\\\u0000\u0007', '\u2028x\u2029', 'x'.repeat(500), '\r1x', '𝟒'.repeat(30) + 'x'];
    for (const text of inputs) {
      const err = parseIntegerText(text, MAX);
      expect(err).toBeInstanceOf(ProtocolError);
      const reply = (err as ProtocolError).toReply();
      expect(reply.startsWith('error: ')).toBe(true);
      expect(reply.indexOf('\n')).toBe(reply.length - 1);
    }
  });
});

describe('a bad line gets one error reply and the next line still works', () => {
  const bad: [string, Uint8Array][] = [
    ...['0x10', '1.5', '1__0', '_1', '1_', '--1', '', '   ', '\r', '\u001c1', '\ufeff1', '1'.repeat(MAX + 1)].map(
      (t): [string, Uint8Array] => [JSON.stringify(t.length > 20 ? `${t.slice(0, 20)}...` : t), Buffer.from(t)],
    ),
    ['0xff', Uint8Array.of(0xff)],
    ['truncated €', Uint8Array.of(0xe2, 0x82)],
    ['overlong "1"', Uint8Array.of(0xc0, 0xb1)],
    ['surrogate', Uint8Array.of(0xed, 0xa0, 0x80)],
  ];

  it.each(bad)('%s', (_name, line) => {
    const responder = new Responder(defaultLimits());
    const replies = responder.receive(Buffer.concat([line, Buffer.from('\n4312\n')]));
    const lines = replies.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[1]).toBe('0x10d8');
    expect(lines[2]).toBe('');
    expect(responder.replies).toBe(2);
  });

  it('a too-many-digits reply names --max-digits', () => {
    const responder = new Responder(defaultLimits());
    expect(responder.receive(Buffer.from(`${'9'.repeat(MAX + 1)}\n`))).toMatch(/^error: .*4300.*--max-digits.*\n$/);
  });

  it('the digit limit follows the limits given', () => {
    const responder = new Responder(defaultLimits(10));
    expect(responder.receive(Buffer.from('1234567890\n12345678901\n1\n'))).toMatch(
      /^0x499602d2\nerror: [^\n]*10[^\n]*--max-digits[^\n]*\n0x1\n$/,
    );
  });
});
