// Renders a load run as autocannon-like tables. Returns a string; only the entry point writes it.

import type { ServerView } from './server-view.ts';
import Table from 'cli-table3';
import type { LatencySummaryUs } from './histogram.ts';
import { formatMix } from './mix.ts';
import type { LoadSummary, MixClassSummary } from './summary.ts';

/** Plain tables: no colours, so the output reads the same in a terminal, a file and CI. */
export const PLAIN = { head: [], border: [] };

export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

/** KiB as MB with one decimal: `61.3`. */
export const mb = (kb: number): string => (kb / 1024).toFixed(1);

function describeRun(summary: LoadSummary): string {
  const o = summary.options;
  const limits = [
    o.durationSec === null ? null : `${o.durationSec} s`,
    o.requests === null ? null : `${formatCount(o.requests)} requests`,
  ].filter((x) => x !== null).join(' or ');
  // Stopped early, the header gives the time actually run, not the time asked for.
  const length = summary.stoppedBy === undefined ? limits
    : `stopped early by ${summary.stoppedBy} after ${summary.durationSec.toFixed(2)} s (asked for ${limits})`;
  const loop = o.rate === null ? 'closed loop' : `open loop at ${formatCount(o.rate)} req/s`;
  const workers = o.workers === 1 ? '' : `, ${o.workers} workers`;
  const warmup = o.warmupSec > 0 ? ` after ${o.warmupSec} s of warm-up` : '';
  const mix = o.mix !== undefined && o.mix.length > 0 ? `, mix ${formatMix(o.mix)}` : '';
  return `hexd load test @ ${summary.target}: ${o.connections} connections, pipeline ${o.pipeline}, ${loop}${workers}, ${length}${warmup}${mix}`;
}

function latencyRow(name: string, l: LatencySummaryUs): (string | number)[] {
  return [name, ...[l.p50, l.p90, l.p99, l.p999, l.mean, l.max].map((v) => formatCount(v))];
}

/** --mix: latency of each kind of request apart, so the light requests' p99 shows what the heavy ones cost them. */
function renderMixTable(classes: readonly MixClassSummary[]): string {
  const table = new Table({
    head: ['Request kind', 'Share %', 'Correct', 'Not ok', 'p50 (µs)', 'p90 (µs)', 'p99 (µs)', 'Max (µs)'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: PLAIN,
  });
  for (const c of classes) {
    const l = c.latencyUs;
    const none = l.count === 0;
    table.push([c.name, String(c.sharePercent), formatCount(l.count), formatCount(c.notOk),
      ...[l.p50, l.p90, l.p99, l.max].map((v) => (none ? '-' : formatCount(v)))]);
  }
  return table.toString();
}

export function renderLoadReport(summary: LoadSummary): string {
  const latency = new Table({ head: ['Stat', 'p50', 'p90', 'p99', 'p99.9', 'Mean', 'Max'], style: PLAIN });
  latency.push(latencyRow('Latency (µs)', summary.latencyUs), latencyRow('Connect (µs)', summary.connectUs));

  const r = summary.replies;
  const replies = new Table({
    head: ['Replies', 'ok', 'wrong', 'errors', 'timeouts', 'dropped', 'connect failed', 'unfinished'],
    style: PLAIN,
  });
  replies.push(['count', ...[r.ok, r.wrong, r.errors, r.timeouts, r.dropped, r.connectFailed, summary.requests.unfinished].map(formatCount)]);

  const c = summary.clients;
  const per = c.repliesPerClient;
  const cpu = summary.cpu;
  const totals = new Table({ head: ['Stat', 'Value'], style: PLAIN });
  totals.push(
    ['Requests/s (correct replies)', formatCount(summary.requestsPerSec)],
    ['Clients served', `${formatCount(c.served)} of ${formatCount(c.total)}`],
    ['Replies per client (min / median / max)', `${formatCount(per.min)} / ${formatCount(per.median)} / ${formatCount(per.max)}`],
    ['Tester CPU %', cpu.testerPercent.toFixed(1)],
    ['Server CPU %', cpu.serverPercent === null ? 'unknown (pass --server-pid)' : `${cpu.serverPercent.toFixed(1)} (pid ${cpu.serverPid})`],
  );
  if (summary.requests.resent > 0) totals.push(['Resent after a server\'s goodbye (not read there)', formatCount(summary.requests.resent)]);
  if (summary.requests.unsent > 0) totals.push(['Due but not sent (window full)', formatCount(summary.requests.unsent)]);

  const lines = [
    describeRun(summary),
    '',
    latency.toString(),
    '',
    ...(summary.mix === null ? [] : ['By kind of request (latency of correct replies):', renderMixTable(summary.mix), '']),
    replies.toString(),
    '',
    totals.toString(),
    '',
    ...(summary.server === null ? [] : [renderServerView(summary.server), '']),
    `${formatCount(r.ok)} correct replies in ${summary.durationSec.toFixed(2)} s; ${formatCount(c.served)} of ${formatCount(c.total)} clients served.`,
  ];
  for (const p of summary.problems) {
    lines.push(p.request === null
      ? `${p.kind}: got ${JSON.stringify(p.got)} with no request in flight`
      : `${p.kind}: sent ${JSON.stringify(p.request)}, expected ${JSON.stringify(p.expected)}, got ${JSON.stringify(p.got)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The server's own figures (its /stats), beside the client's: the loop delay it felt, how busy each thread was. */
function renderServerView(view: ServerView): string {
  const head = new Table({ head: ['Server\'s own view (/stats)', 'Value'], style: PLAIN });
  const u = view.utilisation;
  head.push(
    ['Loop delay p99 / max (ms, worst thread, per 250 ms)', `${view.loopDelayP99Ms.toFixed(1)} / ${view.loopDelayMaxMs.toFixed(1)}`],
    ['Utilisation of serving threads (mean; min-max)', `${u.mean.toFixed(2)}; ${u.min.toFixed(2)}-${u.max.toFixed(2)}`],
    ['Replies the server counted', formatCount(view.serverReplies)],
  );
  if (view.osThreadsMax !== null) head.push(['OS threads (most seen)', formatCount(view.osThreadsMax)]);
  const perThread = new Table({ head: ['Thread', 'kind', 'utilisation', 'delay p99 ms', 'delay max ms', 'stale polls'], style: PLAIN });
  // The busiest first, at most a dozen: threads has one per client.
  for (const t of [...view.threads].sort((a, b) => b.utilisation - a.utilisation).slice(0, MAX_THREAD_ROWS)) {
    perThread.push([t.id, t.kind, t.utilisation.toFixed(2), t.delayP99Ms.toFixed(1), t.delayMaxMs.toFixed(1), formatCount(t.stalePolls)]);
  }
  const more = view.threads.length > MAX_THREAD_ROWS ? `\n(${view.threads.length - MAX_THREAD_ROWS} more threads in the JSON)` : '';
  return `${head.toString()}\n${perThread.toString()}${more}`;
}

const MAX_THREAD_ROWS = 12;

/** Why the exit status is 1, or null when it is 0. */
export function describeFailure(summary: LoadSummary): string | null {
  if (summary.passed) return null;
  const r = summary.replies;
  const parts = [
    r.wrong > 0 ? `${formatCount(r.wrong)} wrong replies` : null,
    r.errors > 0 ? `${formatCount(r.errors)} unexpected error replies` : null,
    r.connectFailed > 0 ? `${formatCount(r.connectFailed)} failed connects` : null,
    r.dropped > 0 ? `${formatCount(r.dropped)} requests dropped by closed connections` : null,
  ].filter((x) => x !== null);
  return parts.join(', ');
}
