// GET /metrics: the same figures as /stats, in Prometheus's text format, written by prom-client.
// One registry per process, built on the first scrape; each scrape sets every series from a fresh
// buildStats(), so a thread that has gone leaves no series behind. Per-thread series carry the labels
// `kind` and `thread` (the entry's id in /stats).

import { Counter, Gauge, Registry } from 'prom-client';
import type { Stats, ThreadStats } from './stats.ts';
import type { ThreadCounters } from './counters.ts';

const THREAD_LABELS = ['kind', 'thread'] as const;
type ThreadLabels = Record<(typeof THREAD_LABELS)[number], string>;

function labelsOf(thread: ThreadStats): ThreadLabels {
  return { kind: thread.kind, thread: thread.id };
}

/** Exited threads' and processes' counts, under one series, so counters never go backwards. */
const RETIRED: ThreadLabels = { kind: 'retired', thread: 'retired' };

export interface MetricsWriter {
  contentType: string;
  render(stats: Stats): Promise<string>;
}

export function createMetricsWriter(): MetricsWriter {
  const registry = new Registry();
  let current: Stats | undefined;
  const each = (fn: (stats: Stats) => void) => function collect(this: Gauge | Counter): void {
    this.reset();
    if (current !== undefined) fn(current);
  };

  const perThreadGauge = (name: string, help: string, value: (t: ThreadStats) => number): void => {
    const gauge: Gauge<keyof ThreadLabels> = new Gauge({
      name, help, labelNames: THREAD_LABELS, registers: [registry],
      collect: each((stats) => {
        for (const thread of stats.threads) gauge.set(labelsOf(thread), value(thread));
      }),
    });
  };
  const perThreadCounter = (name: string, help: string, key: Exclude<keyof ThreadCounters, 'connectionsOpen'>): void => {
    const counter: Counter<keyof ThreadLabels> = new Counter({
      name, help, labelNames: THREAD_LABELS, registers: [registry],
      collect: each((stats) => {
        for (const thread of stats.threads) counter.inc(labelsOf(thread), thread.counters[key]);
        const retired = stats.totals.counters[key] - stats.threads.reduce((sum, t) => sum + t.counters[key], 0);
        counter.inc(RETIRED, retired);
      }),
    });
  };
  const processGauge = (name: string, help: string, value: (stats: Stats) => number | null): void => {
    const gauge = new Gauge({
      name, help, registers: [registry],
      collect: each((stats) => {
        const v = value(stats);
        if (v !== null) gauge.set(v);
      }),
    });
  };

  const variantInfo: Gauge<'variant'> = new Gauge({
    name: 'hexd_info', help: 'Always 1; the server\'s concurrency model is in the label variant.', labelNames: ['variant'], registers: [registry],
    collect: each((stats) => variantInfo.set({ variant: stats.variant }, 1)),
  });
  processGauge('hexd_uptime_seconds', 'Seconds since the answering process started.', (s) => s.uptimeSeconds);
  processGauge('hexd_resident_memory_bytes', 'RSS of the answering process plus its child processes or cluster workers.', (s) => s.rssBytes);
  processGauge('hexd_os_threads', 'OS threads of the answering process (/proc/self/status).', (s) => s.osThreads);
  const units: Gauge<'state'> = new Gauge({
    name: 'hexd_units', help: 'threads and processes: Workers or child processes by state; waiting counts clients in line.', labelNames: ['state'], registers: [registry],
    collect: each((stats) => {
      if (stats.units === null) return;
      for (const [state, count] of Object.entries(stats.units)) units.set({ state }, count);
    }),
  });

  perThreadGauge('hexd_event_loop_delay_p50_seconds', 'Median event-loop delay since the thread started, the sampling resolution subtracted.', (t) => t.delayMs.p50 / 1000);
  perThreadGauge('hexd_event_loop_delay_p99_seconds', '99th percentile event-loop delay since the thread started.', (t) => t.delayMs.p99 / 1000);
  perThreadGauge('hexd_event_loop_delay_max_seconds', 'Largest event-loop delay since the thread started.', (t) => t.delayMs.max / 1000);
  perThreadGauge('hexd_event_loop_recent_delay_p99_seconds', '99th percentile event-loop delay over the last interval.', (t) => t.recentDelayMs.p99 / 1000);
  perThreadGauge('hexd_event_loop_utilization_ratio', 'Event-loop utilisation over the last interval (0 idle, 1 never idle).', (t) => t.utilisation);
  perThreadGauge('hexd_thread_stale', '1 when the thread has sent no figures for two intervals.', (t) => (t.stale ? 1 : 0));
  perThreadGauge('hexd_connections_open', 'Connections this thread serves now.', (t) => t.counters.connectionsOpen);
  perThreadCounter('hexd_connections_total', 'Connections this thread has served.', 'connectionsTotal');
  perThreadCounter('hexd_replies_total', 'Replies written, error replies included.', 'replies');
  perThreadCounter('hexd_error_replies_total', 'Replies that were error lines.', 'errorReplies');
  perThreadCounter('hexd_received_bytes_total', 'Bytes read from clients.', 'bytesIn');
  perThreadCounter('hexd_sent_bytes_total', 'Bytes of replies written to clients.', 'bytesOut');
  perThreadCounter('hexd_conversions_total', 'pool: long numbers converted on a conversion thread.', 'conversions');

  return {
    contentType: registry.contentType,
    async render(stats) {
      current = stats;
      try {
        return await registry.metrics();
      } finally {
        current = undefined;
      }
    },
  };
}
