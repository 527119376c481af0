// LineFramer and Responder: lines end in LF, a CR before the LF is dropped, a last line without LF is
// answered on half-close, over-long lines are refused once and skipped, and no way of cutting the byte
// stream into chunks changes the replies.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineFramer, Responder, defaultLimits, type LineSink, type ProtocolLimits } from '../../protocol/index.ts';

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const bytes = (...parts: (string | readonly number[])[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? utf8(p) : Uint8Array.from(p)))));

/** All replies to `chunks` fed in order, then a half-close. */
function feed(chunks: readonly Uint8Array[], limits: ProtocolLimits): string {
  const responder = new Responder(limits);
  let out = '';
  for (const chunk of chunks) out += responder.receive(chunk);
  return out + responder.finish();
}

/** `input` cut at the given ascending positions. */
function cut(input: Uint8Array, at: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const pos of at) {
    chunks.push(input.subarray(from, pos));
    from = pos;
  }
  chunks.push(input.subarray(from));
  return chunks;
}

const byteByByte = (input: Uint8Array): Uint8Array[] => Array.from(input, (_, i) => input.subarray(i, i + 1));

/**
 * Asserts that feeding `input` whole, byte by byte, cut at every single position and at every pair of
 * positions gives the same replies; returns them.
 */
function expectSplitInvariant(input: Uint8Array, limits: ProtocolLimits, pairs = true): string {
  const whole = feed([input], limits);
  expect(feed(byteByByte(input), limits), 'byte by byte').toBe(whole);
  for (let i = 0; i <= input.length; i++) {
    const once = feed(cut(input, [i]), limits);
    if (once !== whole) expect(once, `cut at ${i}`).toBe(whole);
    if (!pairs) continue;
    for (let j = i; j <= input.length; j++) {
      const twice = feed(cut(input, [i, j]), limits);
      if (twice !== whole) expect(twice, `cut at ${i} and ${j}`).toBe(whole);
    }
  }
  return whole;
}

/** A sink that records what the framer hands over. */
class RecordingSink implements LineSink {
  events: string[] = [];
  line(buf: Uint8Array, start: number, end: number): void {
    this.events.push(`line:${Buffer.from(buf.subarray(start, end)).toString('latin1')}`);
  }
  overlong(): void {
    this.events.push('overlong');
  }
}

const OVERLONG = /^error: [^\n]*--max-line-bytes[^\n]*$/;
const ERROR = /^error: [^\n]*$/;

describe('framing', () => {
  const limits = defaultLimits();

  it('a line ends in LF and a CR before the LF is dropped', () => {
    const sink = new RecordingSink();
    const framer = new LineFramer(64);
    framer.push(utf8('12\n34\r\n\r\n\n5\r6\r\r\n'), sink);
    expect(sink.events).toEqual(['line:12', 'line:34', 'line:', 'line:', 'line:5\r6\r']);
  });

  it('pipelined lines in one chunk are answered in order', () => {
    const responder = new Responder(limits);
    expect(responder.receive(utf8('1\n2\r\n-3\n4312\n'))).toBe('0x1\n0x2\n-0x3\n0x10d8\n');
    expect(responder.replies).toBe(4);
  });

  it('10,000 pipelined lines in one chunk are answered in order', () => {
    const numbers = Array.from({ length: 10_000 }, (_, i) => i * 7919 - 50_000);
    const responder = new Responder(limits);
    const out = responder.receive(utf8(numbers.map((n) => `${n}\n`).join('')));
    expect(out).toBe(numbers.map((n) => `${n < 0 ? '-' : ''}0x${Math.abs(n).toString(16)}\n`).join(''));
    expect(responder.replies).toBe(10_000);
  });

  it('finds every line end, however far into a read it lies (short lines are scanned in JavaScript, long ones by indexOf)', () => {
    // Lines of 1 to 200 bytes (spaces, then a digit), so line ends fall on both sides of the switch.
    const lines = Array.from({ length: 200 }, (_, n) => `${' '.repeat(n)}${n % 10}`);
    const sink = new RecordingSink();
    new LineFramer(1000).push(utf8(`${lines.join('\n')}\n`), sink);
    expect(sink.events).toEqual(lines.map((line) => `line:${line}`));
  });

  it('long numbers are read afresh from each read, even when a reader reuses its buffer', () => {
    // Lines past 20 digits are sliced from one decode of the read (BufferText): a buffer filled again
    // for the next read must not be answered from the text of the last one.
    const a = `${'1'.repeat(39)}\n${'2'.repeat(300)}\n`;
    const b = `${'3'.repeat(39)}\n${'4'.repeat(300)}\n`;
    const buffer = Buffer.from(a, 'latin1');
    const responder = new Responder(limits);
    const expected = (text: string): string =>
      text.split('\n').slice(0, -1).map((n) => `0x${BigInt(n).toString(16)}\n`).join('');
    expect(responder.receive(buffer)).toBe(expected(a));
    buffer.write(b, 'latin1');
    expect(responder.receive(buffer)).toBe(expected(b));
    // And lines of one read, long and short in any order, each get their own reply.
    const mixed = `5\n${'6'.repeat(25)}\n77\n${'8'.repeat(600)}\n-${'9'.repeat(21)}\n`;
    expect(responder.receive(utf8(mixed))).toBe(mixed.split('\n').slice(0, -1).map((n) => {
      const v = BigInt(n);
      return `${v < 0n ? '-' : ''}0x${(v < 0n ? -v : v).toString(16)}\n`;
    }).join(''));
  });

  it('a number split across chunks is one request', () => {
    const responder = new Responder(limits);
    expect(responder.receive(utf8('4'))).toBe('');
    expect(responder.midLine).toBe(true);
    expect(responder.receive(utf8('31'))).toBe('');
    expect(responder.receive(utf8('2\r'))).toBe('');
    expect(responder.receive(utf8('\n'))).toBe('0x10d8\n');
    expect(responder.midLine).toBe(false);
    expect(responder.replies).toBe(1);
  });

  it('a Unicode digit split inside its UTF-8 bytes is still one digit', () => {
    const responder = new Responder(limits);
    const arabic = utf8('٤٣١٢\n'); // two bytes per digit
    expect(responder.receive(arabic.subarray(0, 1))).toBe('');
    expect(responder.receive(arabic.subarray(1, 5))).toBe('');
    expect(responder.receive(arabic.subarray(5))).toBe('0x10d8\n');
  });

  it('a last line without LF is answered by finish() (half-close)', () => {
    const responder = new Responder(limits);
    expect(responder.receive(utf8('1\n4312'))).toBe('0x1\n');
    expect(responder.finish()).toBe('0x10d8\n');
    expect(responder.finish()).toBe('');
    expect(responder.replies).toBe(2);
  });

  it('finish() after a complete line, or with nothing sent, answers nothing', () => {
    const responder = new Responder(limits);
    expect(responder.finish()).toBe('');
    expect(responder.receive(utf8('7\n'))).toBe('0x7\n');
    expect(responder.finish()).toBe('');
    expect(responder.replies).toBe(1);
  });

  it('a bad last line without LF gets its error on finish()', () => {
    const responder = new Responder(limits);
    expect(responder.receive(utf8('1_'))).toBe('');
    expect(responder.finish()).toMatch(/^error: [^\n]*\n$/);
  });

  it('the framer copies what it keeps: the caller may reuse its chunk buffer', () => {
    const responder = new Responder(limits);
    const shared = new Uint8Array(3);
    shared.set(utf8('43'));
    expect(responder.receive(shared.subarray(0, 2))).toBe('');
    shared.set(utf8('12\n'));
    expect(responder.receive(shared)).toBe('0x10d8\n');
  });
});

describe('any split of the stream gives the same replies', () => {
  // maxLineBytes 16 keeps over-long lines short enough to cut at every pair of positions.
  const limits: ProtocolLimits = { maxDigits: 4300, maxLineBytes: 16 };
  const lines: [Uint8Array, string | RegExp][] = [
    [utf8('4312\n'), '0x10d8'],
    [utf8('-255\r\n'), '-0xff'],
    [utf8('٤٣١٢\n'), '0x10d8'],
    [bytes([0xff, 0xfe], '\n'), ERROR],
    [utf8(`${'1'.repeat(40)}\n`), OVERLONG],
    [utf8('7\r\n'), '0x7'],
    [utf8('\n'), ERROR],
    [utf8('+1_000\r\n'), '0x3e8'],
    [utf8('1234567890123456\r\n'), '0x462d53c8abac0'], // exactly 16 bytes before CR LF
    [utf8('12345678901234567\n'), OVERLONG], // 17
    [utf8('123456789012345\r\r\n'), '0x7048860ddf79'], // one CR dropped, the other is whitespace
    [utf8('\r\n'), ERROR],
    [bytes('1', [0xe2, 0x82], '\n'), ERROR], // truncated multi-byte sequence
    [bytes([0xc0, 0xb1], '\r\n'), ERROR], // overlong encoding of "1"
    [utf8('0x10\n'), ERROR],
    [utf8(' 42 \n'), '0x2a'],
    [utf8('𝟒𝟑𝟏𝟐\n'), '0x10d8'], // 16 bytes of mathematical digits
    [utf8(`${'x'.repeat(17)}\r\n`), OVERLONG],
    [utf8(`${'9'.repeat(20)}`), OVERLONG], // no LF yet: refused as soon as it passes the limit
    [utf8('\n1_2\n'), '0xc'],
    [utf8('99'), '0x63'], // no LF: answered by finish()
  ];
  const input = new Uint8Array(Buffer.concat(lines.map(([b]) => b)));

  it('fed whole, the representative input gets the expected replies', () => {
    const replies = feed([input], limits).split('\n');
    expect(replies.pop()).toBe('');
    expect(replies).toHaveLength(lines.length);
    replies.forEach((reply, i) => {
      const want = lines[i]![1];
      if (typeof want === 'string') expect(reply, `line ${i}`).toBe(want);
      else expect(reply, `line ${i}`).toMatch(want);
    });
  });

  it(`byte by byte and cut at every position and every pair of positions (${input.length} bytes)`, () => {
    expectSplitInvariant(input, limits);
  });

  it('cut into random chunks (property)', () => {
    const whole = feed([input], limits);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: input.length }), { maxLength: 40 }), (positions) => {
        expect(feed(cut(input, positions.sort((a, b) => a - b)), limits)).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('random lines cut into random chunks (property)', () => {
    const pool = lines.map(([b]) => b);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (picked, rawCuts) => {
          const stream = new Uint8Array(Buffer.concat(picked));
          const positions = [...new Set(rawCuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          expect(feed(cut(stream, positions), limits)).toBe(feed([stream], limits));
          expect(feed(byteByByte(stream), limits)).toBe(feed([stream], limits));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('over-long lines', () => {
  const limits: ProtocolLimits = { maxDigits: 4300, maxLineBytes: 8 };
  const at = (text: string): string[] => expectSplitInvariant(utf8(text), limits).split('\n');

  it.each([
    ['12345678\n', '0xbc614e'], // maxLineBytes bytes: fine
    ['12345678\r\n', '0xbc614e'], // the CR before the LF does not count
    ['1234567\r\r\n', '0x12d687'], // only the one CR before the LF is dropped: 8 bytes
  ])('%j is answered, and so is the next line', (text, hex) => {
    expect(at(`${text}5\n`)).toEqual([hex, '0x5', '']);
  });

  it.each([
    ['9 bytes', '123456789\n'],
    ['9 bytes, CR LF', '123456789\r\n'],
    ['8 bytes and a CR, CR LF', '12345678\r\r\n'],
    ['9 bytes with a CR inside', '1234567\r8\n'],
    ['100 bytes', `${'1'.repeat(100)}\n`],
  ])('%s: exactly one error naming --max-line-bytes, and the next line is answered', (_name, text) => {
    const replies = at(`${text}5\n`);
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatch(OVERLONG);
    expect(replies[0]).toMatch(/\b8\b/); // names the limit
    expect(replies.slice(1)).toEqual(['0x5', '']);
  });

  it('counts bytes, not characters', () => {
    expect(at('٤٣١٢\n')).toEqual(['0x10d8', '']); // 8 bytes
    expect(at('٤٣١٢٥\n')[0]).toMatch(OVERLONG); // 10 bytes, 5 characters
  });

  it('two over-long lines in a row get two errors', () => {
    const replies = at(`${'1'.repeat(20)}\n${'2'.repeat(9)}\n3\n`);
    expect(replies).toHaveLength(4);
    expect(replies[0]).toMatch(OVERLONG);
    expect(replies[1]).toMatch(OVERLONG);
    expect(replies.slice(2)).toEqual(['0x3', '']);
  });

  it('the framer reports an over-long line once, hands over nothing of it, and resumes after its LF', () => {
    const sink = new RecordingSink();
    const framer = new LineFramer(8);
    framer.push(utf8('1234'), sink);
    framer.push(utf8('56789'), sink); // 9 bytes: may still be 8 + CR
    framer.push(utf8('0'), sink); // 10: over
    expect(sink.events).toEqual(['overlong']);
    expect(framer.midLine).toBe(true);
    framer.push(utf8('11111111111111111111'), sink);
    framer.push(utf8('1\n7\n'), sink);
    expect(sink.events).toEqual(['overlong', 'line:7']);
    expect(framer.midLine).toBe(false);
  });

  it('an over-long line still unterminated at half-close gets its one error and nothing more', () => {
    const responder = new Responder(limits);
    expect(responder.receive(utf8('1'.repeat(50)))).toMatch(/^error: [^\n]*--max-line-bytes[^\n]*\n$/);
    expect(responder.finish()).toBe('');
    expect(responder.replies).toBe(1);
  });

  it('a last line of exactly maxLineBytes without LF is answered by finish()', () => {
    expect(at('12345678')).toEqual(['0xbc614e', '']);
    expect(at('12345678\r')).toEqual(['0xbc614e', '']); // a CR at the very end is not counted either
  });

  it('a last line of maxLineBytes + 2 without LF is over-long at finish()', () => {
    const replies = at('1234567890');
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(OVERLONG);
  });

  // finish() once handed over a kept line of maxLineBytes + 1 bytes (the slack kept for a CR) unchecked.
  it('a last line of maxLineBytes + 1 bytes without LF is over-long at finish(), as with an LF', () => {
    const replies = at('123456789');
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(OVERLONG);
  });

  it('memory stays bounded: 100 MB without a newline in 64 KiB chunks gets one error, then lines work', () => {
    const responder = new Responder({ maxDigits: 4300, maxLineBytes: 1024 });
    const chunk = new Uint8Array(64 * 1024).fill(0x31);
    const total = 100 * 1024 * 1024;
    globalThis.gc?.();
    const before = process.memoryUsage().arrayBuffers;
    let out = '';
    for (let sent = 0; sent < total; sent += chunk.length) out += responder.receive(chunk);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(out).toMatch(/^error: [^\n]*--max-line-bytes[^\n]*\n$/);
    expect(responder.replies).toBe(1);
    expect(responder.midLine).toBe(true);
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    expect(responder.receive(utf8('111\n4312\n'))).toBe('0x10d8\n');
    expect(responder.finish()).toBe('');
  });

  it('memory stays bounded with the default limit too (64 KiB lines)', () => {
    const limits = defaultLimits();
    const responder = new Responder(limits);
    const chunk = new Uint8Array(64 * 1024).fill(0x32);
    globalThis.gc?.();
    const before = process.memoryUsage().arrayBuffers;
    let out = '';
    for (let i = 0; i < 800; i++) out += responder.receive(chunk); // 50 MB
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain(String(limits.maxLineBytes));
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    expect(responder.receive(utf8('\n-255\n'))).toBe('-0xff\n');
  });
});
