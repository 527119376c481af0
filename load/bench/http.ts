// `npm run bench -- --http`: the same servers over HTTP, measured by autocannon, a load tester nobody
// here wrote. For each hexd variant and concurrency: a fresh server, autocannon's own run and tables
// (printResult), and one row of figures to set beside the line protocol's.

import autocannon from 'autocannon';
import { ROOT, type Peer } from '../harness/peers.ts';
import { startServerProcess } from '../harness/server-process.ts';
import { formatCount } from '../harness/report.ts';
import { renderTextTable, type TableData } from '../harness/table-data.ts';

export interface HttpPoint {
  variant: string;
  clients: number;
  durationSec: number;
  /** autocannon's mean requests per second, and its latency percentiles in whole milliseconds. */
  requestsPerSec: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Responses with status 2xx, responses with any other status, socket errors, timeouts. */
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface HttpBenchOptions {
  concurrency: readonly number[];
  durationSec: number;
}

/** Runs autocannon against every hexd peer; writes autocannon's own tables through `print`. */
export async function runHttpBench(
  peers: readonly Peer[],
  options: HttpBenchOptions,
  print: (text: string) => void,
): Promise<HttpPoint[]> {
  const points: HttpPoint[] = [];
  for (const peer of peers.filter((p) => p.family === 'node')) {
    for (const clients of options.concurrency) {
      const server = await startServerProcess(peer.command, peer.args, { cwd: ROOT });
      try {
        const result = await autocannon({
          url: `http://${server.host}:${server.port}/4312`,
          connections: clients,
          duration: options.durationSec,
          timeout: 10,
        });
        print(`\nautocannon: ${peer.name}, ${clients} connection${clients === 1 ? '' : 's'}\n`);
        print(autocannon.printResult(result, { renderLatencyTable: false }));
        points.push({
          variant: peer.name,
          clients,
          durationSec: options.durationSec,
          requestsPerSec: result.requests.average,
          latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      } finally {
        await server.stop();
      }
    }
  }
  return points;
}

/** The line protocol's figures a row of the HTTP comparison sets beside autocannon's. */
type LinePoint = { variant: string; clients: number; requestsPerSec: number; latencyUs: { p50: number; p99: number } };

/** What the HTTP comparison shows, in one line. */
export const HTTP_COMPARISON_TITLE = 'Line protocol (hexd\'s load tester) against HTTP (autocannon), same servers, same concurrency';

/** Line protocol (hexd's tester) and HTTP (autocannon) side by side, one row per variant and concurrency. */
export function httpComparisonTable(http: readonly HttpPoint[], line: readonly LinePoint[]): TableData {
  return {
    head: ['Variant', 'Clients', 'Line req/s', 'HTTP req/s', 'Line/HTTP', 'Line p50 / p99 (ms)', 'HTTP p50 / p99 (ms)', 'HTTP non-2xx / errors / timeouts'],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows: http.map((h) => {
      const l = line.find((p) => p.variant === h.variant && p.clients === h.clients);
      return [
        h.variant,
        formatCount(h.clients),
        l === undefined ? '-' : formatCount(Math.round(l.requestsPerSec)),
        formatCount(Math.round(h.requestsPerSec)),
        l === undefined || h.requestsPerSec === 0 ? '-' : `${(l.requestsPerSec / h.requestsPerSec).toFixed(1)}x`,
        l === undefined ? '-' : `${(l.latencyUs.p50 / 1000).toFixed(2)} / ${(l.latencyUs.p99 / 1000).toFixed(2)}`,
        `${h.latencyMs.p50} / ${h.latencyMs.p99}`,
        `${h.non2xx} / ${h.errors} / ${h.timeouts}`,
      ];
    }),
  };
}

export function renderHttpComparison(http: readonly HttpPoint[], line: readonly LinePoint[]): string {
  return `${HTTP_COMPARISON_TITLE}:\n${renderTextTable(httpComparisonTable(http, line))}\n`;
}
