import { describe, expect, it } from 'vitest';
import { RequestPool, defaultNumbers, expectReply, judgeReply, seededRandom } from '../../../load/harness/checker.ts';

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

describe('defaultNumbers', () => {
  it('is deterministic, plain decimal, and valid for both hexd and Python int()', () => {
    const numbers = defaultNumbers();
    expect(numbers).toEqual(defaultNumbers());
    expect(numbers).toHaveLength(1024);
    expect(numbers.slice(0, 2)).toEqual(['4312', '1234']);
    for (const text of numbers) {
      expect(text).toMatch(/^-?(0|[1-9]\d{0,19})$/);
      expect(expectReply(text, 4300).reply).toBe(BigInt(text) < 0n ? `-0x${(-BigInt(text)).toString(16)}` : `0x${BigInt(text).toString(16)}`);
    }
    expect(numbers.some((t) => t.replace('-', '').length > 15)).toBe(true); // the bigint path is exercised
    expect(numbers.some((t) => t.startsWith('-'))).toBe(true);
  });

  it('seededRandom stays in [0, 1)', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
