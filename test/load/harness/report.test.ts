import { describe, expect, it } from 'vitest';
import { describeFailure, renderLoadReport } from '../../../load/harness/report.ts';
import { summarize } from '../../../load/harness/summary.ts';
import { renderProgressBar } from '../../../load/tester/progress.ts';
import { loadOptions } from '../../../load/harness/load-options.ts';
import { createHistogram, encodeHistogram, recordMs } from '../../../load/harness/histogram.ts';
import { emptyTally } from '../../../load/harness/tally.ts';
import type { SliceResult } from '../../../load/harness/messages.ts';

function slice(okPerClient: number[], latencyMs: number[], extra: Partial<SliceResult['tally']> = {}): SliceResult {
  const latency = createHistogram();
  for (const ms of latencyMs) recordMs(latency, ms);
  const connect = createHistogram();
  recordMs(connect, 0.2);
  const ok = okPerClient.reduce((a, b) => a + b, 0);
  return {
    tally: { ...emptyTally(), ok, sent: ok, connects: okPerClient.length, ...extra },
    latencyHdr: encodeHistogram(latency),
    connectHdr: encodeHistogram(connect),
    okPerClient,
    problems: [],
    elapsedMs: 2000,
  };
}

const options = loadOptions({ host: '127.0.0.1', port: 4000 }, { connections: 4, workers: 2, durationSec: 2, serverPid: 99 });
const measures = { startedAt: new Date('2026-01-01T00:00:00Z'), elapsedMs: 2000, testerCpuPercent: 42.5, serverCpuPercent: 80 };

describe('summarize', () => {
  const summary = summarize(options, [slice([100, 0], [0.1, 0.2]), slice([0, 0], [])], measures);

  it('has the documented JSON fields', () => {
    expect(summary).toMatchObject({
      requestsPerSec: 50,
      latencyUs: { p50: 100, p90: 200, p99: 200, p999: 200, max: 200, mean: 150 },
      clients: { total: 4, served: 1, repliesPerClient: { min: 0, median: 0, max: 100 } },
      replies: { ok: 100, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 },
      options: { connections: 4, workers: 2, durationSec: 2, target: '127.0.0.1:4000', mode: 'closed loop' },
      cpu: { testerPercent: 42.5, serverPercent: 80, serverPid: 99 },
      passed: true,
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('reports zeros, not NaN, for replies per client when no connection reported', () => {
    const empty = summarize(options, [slice([], [])], measures);
    expect(empty.clients.repliesPerClient).toEqual({ min: 0, median: 0, max: 0 });
    expect(JSON.parse(JSON.stringify(empty)).clients.repliesPerClient).toEqual({ min: 0, median: 0, max: 0 });
  });

  it('fails on wrong replies, unexpected errors, failed or dropped connections, not on timeouts', () => {
    const run = (extra: Partial<SliceResult['tally']>) => summarize(options, [slice([1], [1], extra)], measures);
    expect(run({ timeouts: 5 }).passed).toBe(true);
    expect(run({ wrong: 1 }).passed).toBe(false);
    expect(run({ errors: 1 }).passed).toBe(false);
    expect(run({ connectFailed: 1 }).passed).toBe(false);
    expect(run({ dropped: 1 }).passed).toBe(false);
    expect(describeFailure(run({ wrong: 2, connectFailed: 1 }))).toBe('2 wrong replies, 1 failed connects');
    expect(describeFailure(run({}))).toBeNull();
  });

  it('renders autocannon-like tables as a string', () => {
    const text = renderLoadReport(summary);
    for (const part of ['127.0.0.1:4000', 'Latency (µs)', 'Connect (µs)', 'p99.9', 'ok', 'wrong', 'timeouts', 'connect failed',
      'Requests/s', 'Clients served', '1 of 4', '0 / 0 / 100', 'Tester CPU %', 'Server CPU %', '80.0 (pid 99)']) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('\x1b['); // no colours
  });
});

describe('renderProgressBar', () => {
  it('fills in proportion and clamps', () => {
    expect(renderProgressBar(0.5, 'x', 10)).toBe('[=====     ]  50% x');
    expect(renderProgressBar(2, 'x', 4)).toBe('[====] 100% x');
  });
});
