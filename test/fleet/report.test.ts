// The fleet's report: the on-paper scaling read from the bench, and the text and Markdown renderers.

import { describe, expect, it } from 'vitest';
import { paperScaling, renderFleetText, type FleetReport } from '../../fleet/report.ts';
import { renderMarkdown } from '../../fleet/markdown.ts';
import type { BenchPoint } from '../../fleet/bench.ts';

const latencyUs = { p50: 3000, p90: 5000, p99: 9000, p999: 12_000, max: 20_000, mean: 3500, count: 1000 };
function benchPoint(path: BenchPoint['path'], backends: number, clients: number, cpuUs: number): BenchPoint {
  return {
    path, backends, clients, requestsPerSec: 20_000, latencyUs, serverCpuPercent: 40, serverCpuUsPerRequest: cpuUs, failed: 0,
    connectionsPerBackend: path === 'direct' ? null : Object.fromEntries(Array.from({ length: backends }, (_, i) => [`host${i + 1}`, clients / backends])),
  };
}
const bench = [benchPoint('direct', 1, 100, 20), benchPoint('direct', 1, 1000, 25), benchPoint('haproxy', 1, 100, 10), benchPoint('haproxy', 2, 100, 12)];

const report: FleetReport = {
  environment: { node: 'v26.10.0', python: null, cpuModel: 'cpu', cpus: 2, platform: 'Linux', commit: 'abc', command: 'npm run fleet -- --bench', date: '2026-11-29T04:00:00.000Z' },
  hosts: { kind: 'namespaces', description: 'network namespaces' },
  variant: 'event-loop',
  durationSec: 3,
  loadAverage: { start: 0.5, end: 1.5, cpus: 2 },
  haproxyConfig: 'global\n    maxconn 4096\n',
  bench,
  crash: null,
  drain: null,
};

describe('paperScaling', () => {
  it('reads each side\'s capacity per core from its CPU per request at 100 clients', () => {
    expect(paperScaling(bench)).toEqual({ backendPerCore: 50_000, balancerPerCore: 100_000, backendsPerBalancerCore: 2 });
  });

  it('is null without the runs it needs', () => {
    expect(paperScaling(bench.slice(0, 2))).toBeNull();
  });
});

describe('fleet report', () => {
  it('prints the bench with the spread, and says it shows the hop, not scaling', () => {
    const text = renderFleetText(report);
    expect(text).toMatch(/host1 50, host2 50/);
    expect(text).toMatch(/the hop's cost, not scaling/);
    expect(text).toMatch(/a core per 2\.00 of them/);
  });

  it('renders the Markdown page with the config it ran', () => {
    const page = renderMarkdown(report);
    expect(page).toMatch(/^# hexd fleet/);
    expect(page).toMatch(/\| HAProxy \| 2 \| 100 \| 20,000 \|/);
    expect(page).toMatch(/```\nglobal\n {4}maxconn 4096\n```/);
  });
});
