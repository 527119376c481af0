// --mix: parsing, the request pool it lays out, and runs against real servers where the big numbers are
// checked and timed apart from the light ones.

import { describe, expect, it } from 'vitest';
import { fakeServer } from '../../helpers/fake-server.ts';
import { UsageError } from '../../../common/cli.ts';
import { RequestPool, maxReplyBytes } from '../../../load/harness/checker.ts';
import {
  checkMixDigits,
  classShares,
  formatMix,
  heavyNumbers,
  mixClassNames,
  mixPoolSize,
  mixShares,
  mixedRequestPool,
  parseMix,
  prepareMix,
} from '../../../load/harness/mix.ts';
import { loadOptions, type LoadOptions } from '../../../load/harness/load-options.ts';
import { parseLoadCommand } from '../../../load/tester/cli.ts';
import { renderLoadReport } from '../../../load/harness/report.ts';
import { runLoad } from '../../../load/harness/run.ts';
import { defaultLimits } from '../../../protocol/index.ts';
import { startServer } from '../../helpers/servers.ts';

const target = (port: number) => ({ host: '127.0.0.1', port });

describe('parseMix', () => {
  it('reads one entry or a list, underscores allowed', () => {
    expect(parseMix('1%:1000000')).toEqual([{ percent: 1, digits: 1_000_000 }]);
    expect(parseMix('1%:1_000_000, 10%:5000')).toEqual([{ percent: 1, digits: 1_000_000 }, { percent: 10, digits: 5000 }]);
    expect(parseMix('0.5%:20000')).toEqual([{ percent: 0.5, digits: 20_000 }]);
    expect(formatMix(parseMix('1%:1_000_000,10%:5000'))).toBe('1%:1000000,10%:5000');
  });

  it('refuses what cannot be a mix', () => {
    for (const bad of ['', '1:1000', '1%', '%:5', '1%:', 'x%:5', '0%:5', '101%:5', '1%:0', '60%:5,50%:6', '1%:5,2%:5', '1%:1__0']) {
      expect(() => parseMix(bad), bad).toThrow(UsageError);
    }
  });

  it('needs --max-digits to cover the big numbers', () => {
    expect(() => checkMixDigits(parseMix('1%:5000'), 4300)).toThrow(/raise --max-digits to at least 5000/);
    expect(() => checkMixDigits(parseMix('1%:4300'), 4300)).not.toThrow();
    const run = (argv: string[]) => parseLoadCommand(['--target', '127.0.0.1:1', ...argv]);
    expect(() => run(['--mix', '1%:1000000'])).toThrow(UsageError);
    const command = run(['--mix', '1%:1000000', '--max-digits', '1000000']);
    expect(command.kind === 'run' && command.options.mix).toEqual([{ percent: 1, digits: 1_000_000 }]);
    const plain = run([]);
    expect(plain.kind === 'run' && plain.options.mix).toBeUndefined();
  });
});

describe('the mixed request pool', () => {
  it('is sized so every share is whole, near 1000 lines, with the big lines bounded', () => {
    expect(mixPoolSize(parseMix('1%:1000000'))).toBe(1000);
    expect(mixPoolSize(parseMix('0.2%:1000000'))).toBe(1000);
    expect(mixPoolSize(parseMix('0.001%:1000'))).toBe(100_000);
    expect(mixPoolSize(parseMix('100%:1000000'))).toBeLessThanOrEqual(40); // not 1000 copies of a megabyte
    expect(mixShares(parseMix('1%:1000000,10%:5000'))).toEqual([89, 1, 10]);
    expect(mixClassNames(parseMix('1%:1000000,10%:5000'))).toEqual(['light', '1,000,000 digits', '5,000 digits']);
  });

  it('lays out the shares, checks big numbers with replies computed once, and shares their buffers', () => {
    const mix = parseMix('10%:300,5%:50');
    const pool = mixedRequestPool(prepareMix(mix)!, 4300);
    expect(pool.size).toBe(1000);
    expect(classShares(pool)).toEqual([85, 10, 5]);
    const heavy = [...pool.classOf.keys()].filter((i) => pool.classOf[i] === 1);
    expect(heavy).toHaveLength(100);
    for (const i of heavy.slice(0, 5)) {
      const text = pool.texts[i]!;
      expect(text.replace('-', '')).toMatch(/^[1-9]\d{299}$/);
      const value = BigInt(text);
      const hex = value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
      expect(pool.judge(i, Buffer.from(hex), 0, hex.length)).toBe('ok');
      expect(pool.judge(i, Buffer.from(`${hex}0`), 0, hex.length + 1)).toBe('wrong');
    }
    // Three distinct numbers per entry, each reply held once however often the pool repeats it.
    expect(new Set(heavy.map((i) => pool.expectedStart[i])).size).toBe(3);
    expect(pool.expectedBytes.length).toBeLessThan(3 * 300 + 1000 * 25); // each big reply laid out once
    // Light lines are the default numbers, judged as before.
    const light = pool.classOf.indexOf(0);
    expect(pool.texts[light]).toMatch(/^-?\d{1,20}$/);
  });

  it('computes each big number once per process', () => {
    const first = heavyNumbers(400, 2);
    expect(heavyNumbers(400, 2)).toBe(first);
    expect(first[0]!.text).toHaveLength(400);
    expect(first[1]!.text).toHaveLength(401); // negative
    expect(first[0]!.expectation.isError).toBe(false);
  });

  it('takes expectations it is given instead of computing them', () => {
    const pool = new RequestPool(['4312', '5'], 4300, { expectations: [undefined, { reply: 'made-up', isError: false }], classOf: Uint8Array.of(0, 1) });
    expect(pool.judge(0, Buffer.from('0x10d8'), 0, 6)).toBe('ok');
    expect(pool.judge(1, Buffer.from('made-up'), 0, 7)).toBe('ok');
    expect(pool.classes).toBe(2);
    expect(() => new RequestPool(['1'], 4300, { classOf: new Uint8Array(2) })).toThrow(RangeError);
  });

  it('waits for replies as long as a --max-digits number\'s hex', () => {
    expect(maxReplyBytes(4300)).toBe(64 * 1024);
    expect(maxReplyBytes(1_000_000)).toBeGreaterThan(830_500);
  });
});


function mixOptions(port: number, overrides: Partial<LoadOptions>): LoadOptions {
  return loadOptions(target(port), { connections: 4, durationSec: 0.6, ...overrides });
}

describe('runLoad with --mix', () => {
  it('checks the big numbers and times them apart from the light ones (event-loop)', async () => {
    const { port } = await startServer('event-loop', { limits: defaultLimits(20_000) });
    const summary = await runLoad(mixOptions(port, { maxDigits: 20_000, mix: parseMix('10%:20000') }));
    expect(summary.passed).toBe(true);
    expect(summary.mix).not.toBeNull();
    const [light, heavy] = summary.mix!;
    expect(light!.name).toBe('light');
    expect(heavy).toMatchObject({ name: '20,000 digits', digits: 20_000, sharePercent: 10, notOk: 0 });
    expect(heavy!.latencyUs.count).toBeGreaterThan(0);
    expect(light!.latencyUs.count + heavy!.latencyUs.count).toBe(summary.latencyUs.count);
    const text = renderLoadReport(summary);
    expect(text).toContain('mix 10%:20000');
    expect(text).toMatch(/By kind of request[\s\S]*20,000 digits/);
  });

  it('works across load worker threads and through the pool variant', async () => {
    const { port } = await startServer('pool', { limits: defaultLimits(20_000), offloadMinBytes: 1000, poolSize: 1 });
    const summary = await runLoad(mixOptions(port, { maxDigits: 20_000, mix: parseMix('20%:20000'), workers: 2 }));
    expect(summary.passed).toBe(true);
    expect(summary.mix![1]!.latencyUs.count).toBeGreaterThan(0);
  });

  it('counts a wrong reply to a big number against its kind, and shows it shortened', async () => {
    // Answers light lines right and long ones with a wrong long reply, in small pieces.
    const port = await fakeServer((socket) => {
      let buffered = '';
      socket.setEncoding('latin1');
      socket.on('data', (text: string) => {
        buffered += text;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const value = BigInt(line);
          const hex = value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
          const reply = line.length > 100 ? `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}\n` : `${hex}\n`;
          for (let i = 0; i < reply.length; i += 512) socket.write(reply.slice(i, i + 512));
        }
      });
    });
    const summary = await runLoad(mixOptions(port, { connections: 2, maxDigits: 5_000, mix: parseMix('50%:5000') }));
    expect(summary.passed).toBe(false);
    const [light, heavy] = summary.mix!;
    expect(light!.notOk).toBe(0);
    expect(light!.latencyUs.count).toBeGreaterThan(0);
    expect(heavy!.notOk).toBeGreaterThan(0);
    expect(heavy!.latencyUs.count).toBe(0);
    const problem = summary.problems[0]!;
    expect(problem.request!.length).toBeLessThan(100);
    expect(problem.request).toMatch(/…\(5,00[01] chars\)$/);
    expect(problem.expected).toMatch(/^-?0x[0-9a-f]+…\(/);
  });

  it('takes a long right reply in many small pieces', async () => {
    const port = await fakeServer((socket) => {
      let buffered = '';
      socket.setEncoding('latin1');
      // Each reply goes out in 100-byte pieces, one piece per turn of the loop.
      const answer = async (lines: string[]): Promise<void> => {
        for (const line of lines) {
          const value = BigInt(line);
          const reply = `${value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`}\n`;
          for (let i = 0; i < reply.length; i += 100) {
            socket.write(reply.slice(i, i + 100));
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
      };
      socket.on('data', (text: string) => {
        buffered += text;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        void answer(lines);
      });
    });
    const summary = await runLoad(mixOptions(port, { connections: 1, maxDigits: 3_000, mix: parseMix('100%:3000'), durationSec: 0.3 }));
    expect(summary.passed).toBe(true);
    expect(summary.mix![1]!.latencyUs.count).toBeGreaterThan(0);
  });
});
