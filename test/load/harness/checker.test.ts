import { describe, expect, it } from 'vitest';
import { RequestPool, expectReply, judgeReply, numberPoolSize, randomNumbers, seededRandom } from '../../../load/harness/checker.ts';
import { parseDigitRange } from '../../../load/harness/digit-range.ts';
import { UsageError } from '../../../common/cli.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('expectReply', () => {
  it('answers as the protocol module does', () => {
    expect(expectReply('4312', 4300)).toEqual({ reply: '0x10d8', isError: false });
    expect(expectReply('-255', 4300)).toEqual({ reply: '-0xff', isError: false });
    expect(expectReply('0', 4300)).toEqual({ reply: '0x0', isError: false });
    expect(expectReply('123456789012345678901234567890', 4300).reply).toBe(`0x${123456789012345678901234567890n.toString(16)}`);
    expect(expectReply(' 1_000 ', 4300)).toEqual({ reply: '0x3e8', isError: false });
  });

  it('expects an error line where the protocol refuses the line', () => {
    const notNumber = expectReply('0x10', 4300);
    expect(notNumber.isError).toBe(true);
    expect(notNumber.reply).toMatch(/^error: /);
    expect(expectReply('', 4300).isError).toBe(true);
  });

  it('follows --max-digits', () => {
    expect(expectReply('4312', 3).isError).toBe(true);
    expect(expectReply('4312', 4).isError).toBe(false);
  });
});

describe('judgeReply', () => {
  const expected = bytes('0x10d8');
  it('tells ok, wrong and unexpected errors apart', () => {
    const reply = bytes('xx0x10d8yy');
    expect(judgeReply(reply, 2, 8, expected, false)).toBe('ok');
    expect(judgeReply(bytes('0x10d9'), 0, 6, expected, false)).toBe('wrong');
    expect(judgeReply(bytes('0x10d8 '), 0, 7, expected, false)).toBe('wrong');
    expect(judgeReply(bytes('0x10d'), 0, 5, expected, false)).toBe('wrong');
    expect(judgeReply(bytes('error: busy'), 0, 11, expected, false)).toBe('error');
    expect(judgeReply(bytes('Request payload must be an integer'), 0, 34, expected, false)).toBe('wrong');
  });

  it('takes any error line where an error is due, and nothing else', () => {
    expect(judgeReply(bytes('error: other wording'), 0, 20, bytes('error: x'), true)).toBe('ok');
    expect(judgeReply(bytes('0x0'), 0, 3, bytes('error: x'), true)).toBe('wrong');
  });
});

describe('RequestPool', () => {
  it('lays every line out back to back and judges by index', () => {
    const pool = new RequestPool(['4312', '-1', 'nope'], 4300);
    expect(pool.bytes.toString()).toBe('4312\n-1\nnope\n');
    expect(pool.lines(1, 3).toString()).toBe('-1\nnope\n');
    expect(pool.lines(0, 0).length).toBe(0);
    expect(pool.judge(0, bytes('0x10d8'), 0, 6)).toBe('ok');
    expect(pool.judge(1, bytes('-0x1'), 0, 4)).toBe('ok');
    expect(pool.judge(2, bytes('error: not a decimal integer: "nope"'), 0, 36)).toBe('ok');
  });

  it('refuses lines that would break the framing', () => {
    expect(() => new RequestPool([], 4300)).toThrow(RangeError);
    expect(() => new RequestPool(['1\n2'], 4300)).toThrow(RangeError);
  });
});

describe('randomNumbers', () => {
  it('is deterministic, plain decimal, and valid for both hexd and Python int()', () => {
    const numbers = randomNumbers(1024);
    expect(numbers).toEqual(randomNumbers(1024));
    expect(numbers).toHaveLength(1024);
    expect(numbers.slice(0, 2)).toEqual(['4312', '1234']);
    for (const text of numbers) {
      expect(text).toMatch(/^-?(0|[1-9]\d{0,19})$/);
      expect(expectReply(text, 4300).reply).toBe(BigInt(text) < 0n ? `-0x${(-BigInt(text)).toString(16)}` : `0x${BigInt(text).toString(16)}`);
    }
    expect(numbers.some((t) => t.replace('-', '').length > 15)).toBe(true); // the bigint path is exercised
    expect(numbers.some((t) => t.startsWith('-'))).toBe(true);
  });

  it('draws each digit count uniformly from the range, 1 to 20 by default, the 20-digit ones within 64 bits', () => {
    const numbers = randomNumbers(numberPoolSize({ low: 1, high: 20 }));
    expect(numbers).toHaveLength(65_536);
    const counts = Array.from({ length: 21 }, () => 0);
    for (const text of numbers) counts[text.replace('-', '').length]!++;
    expect(counts[0]).toBe(0);
    for (let d = 1; d <= 20; d++) expect(counts[d], `${d} digits`).toBeGreaterThan((65_536 / 20) * 0.9);
    const twenty = numbers.filter((t) => t.replace('-', '').length === 20);
    for (const text of twenty) expect(BigInt(text.replace('-', ''))).toBeLessThanOrEqual(2n ** 64n - 1n);
    expect(twenty.some((t) => t.replace('-', '').startsWith('18'))).toBe(true); // the top of the range is reached
    expect(new Set(numbers.filter((t) => t.replace('-', '').length >= 10)).size).toBe(numbers.filter((t) => t.replace('-', '').length >= 10).length);
  });

  it('gives every class of the perf program 65,536 distinct values, fewer lines only where they would pass 32 MiB', () => {
    for (const [low, high] of [[10, 15], [16, 20], [39, 39], [300, 300]] as const) {
      const numbers = randomNumbers(numberPoolSize({ low, high }), { low, high });
      expect(numbers).toHaveLength(65_536);
      expect(new Set(numbers).size, `${low}-${high}`).toBe(65_536);
      for (const text of numbers.slice(0, 200)) {
        const length = text.replace('-', '').length;
        expect(length >= low && length <= high).toBe(true);
      }
    }
    expect(numberPoolSize({ low: 4300, high: 4300 })).toBe(Math.floor((32 * 1024 * 1024) / 4302));
    expect(randomNumbers(10, { low: 4, high: 4 }).slice(0, 2)).toEqual(['4312', '1234']); // the blog's numbers where they fit
    expect(randomNumbers(10, { low: 5, high: 9 })).not.toContain('4312');
  });

  it('--digits reads N or A-B within --max-digits', () => {
    expect(parseDigitRange('19', 4300)).toEqual({ low: 19, high: 19 });
    expect(parseDigitRange('16-20', 4300)).toEqual({ low: 16, high: 20 });
    for (const bad of ['0', '5-3', 'x', '1-', '-4', '1-2-3', '']) expect(() => parseDigitRange(bad, 4300), bad).toThrow(UsageError);
    expect(() => parseDigitRange('4301', 4300)).toThrow(/--max-digits/);
  });

  it('seededRandom stays in [0, 1)', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
