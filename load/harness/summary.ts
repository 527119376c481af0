// Turns what the threads found into the run's one record: the JSON written by --json and the input of
// every renderer. Histograms are merged here; percentiles are read only from the merged ones.

import { formatAddress } from '../../common/cli.ts';
import { decodeHistogram, mergeHistograms, summarizeUs, type LatencySummaryUs } from './histogram.ts';
import type { SliceResult } from './messages.ts';
import type { LoadOptions } from './load-options.ts';
import { mixClassNames, mixShares, type MixEntry } from './mix.ts';
import { MAX_PROBLEMS, addTally, emptyTally, repliesOf, type Problem, type Tally } from './tally.ts';
import { minMedianMax, type MinMedianMax } from './stats.ts';
import type { ServerView } from './server-view.ts';

export interface LoadSummary {
  target: string;
  /** The options used, as given or defaulted. */
  options: Omit<LoadOptions, 'target'> & { target: string; mode: 'closed loop' | 'open loop' };
  startedAt: string;
  durationSec: number;
  /** Correct replies per second. */
  requestsPerSec: number;
  /** Every reply per second, right or not. */
  repliesPerSec: number;
  /** Correct replies only, from the (scheduled, in open loop) send time. */
  latencyUs: LatencySummaryUs;
  connectUs: LatencySummaryUs;
  clients: {
    total: number;
    /** Connections that got at least one correct reply. */
    served: number;
    /** Correct replies per connection; zeros when no connection reported (JSON has no NaN). */
    repliesPerClient: MinMedianMax;
  };
  /** What happened to the requests, as the threads' tallies counted it (tally.ts says what each means). */
  replies: Pick<Tally, 'ok' | 'wrong' | 'errors' | 'timeouts' | 'dropped' | 'connectFailed'>;
  requests: {
    sent: number;
    /** Sent again after a server's goodbye (tally.ts). */
    resent: number;
    unfinished: number;
    unsent: number;
    connects: number;
  };
  cpu: {
    /** This process, every thread: 100 is one core busy. */
    testerPercent: number;
    /** The --server-pid process and its descendants, when known. */
    serverPercent: number | null;
    serverPid: number | null;
  };
  /** The first few wrong replies, as seen. */
  problems: Problem[];
  /** False when any reply was wrong or any connection failed: the exit status is then 1. */
  passed: boolean;
  node: string;
  /** --mix only: each kind of request apart, light first. */
  mix: MixClassSummary[] | null;
  /** The server's own figures from its /stats during the run; null when it did not answer. */
  server: ServerView | null;
  /** The signal that stopped the run before its --duration or --requests (npm run load only). */
  stoppedBy?: 'SIGINT' | 'SIGTERM';
}

/** One kind of request of a --mix run: the light numbers, or one entry's big numbers. */
export interface MixClassSummary {
  name: string;
  /** Null for the light numbers (1 to 20 digits). */
  digits: number | null;
  /** Its share of the requests sent, percent, as laid out in the request pool. */
  sharePercent: number;
  /** Correct replies only. */
  latencyUs: LatencySummaryUs;
  /** Replies that were wrong or unexpected errors. */
  notOk: number;
}

export interface RunMeasures {
  startedAt: Date;
  elapsedMs: number;
  testerCpuPercent: number;
  serverCpuPercent: number | null;
}

export function summarize(options: LoadOptions, results: readonly SliceResult[], measures: RunMeasures): LoadSummary {
  const tally = emptyTally();
  for (const result of results) addTally(tally, result.tally);
  const latency = mergeHistograms(results.map((r) => decodeHistogram(r.latencyHdr)));
  const connect = mergeHistograms(results.map((r) => decodeHistogram(r.connectHdr)));
  const okPerClient = results.flatMap((r) => r.okPerClient);
  const seconds = measures.elapsedMs / 1000;
  const perSec = (n: number): number => (seconds > 0 ? Math.round(n / seconds) : 0);
  const target = formatAddress(options.target.host, options.target.port);
  const mix = summarizeMix(options.mix ?? [], results);
  return {
    target,
    options: { ...options, target, mode: options.rate === null ? 'closed loop' : 'open loop' },
    startedAt: measures.startedAt.toISOString(),
    durationSec: Math.round(seconds * 1000) / 1000,
    requestsPerSec: perSec(tally.ok),
    repliesPerSec: perSec(repliesOf(tally)),
    latencyUs: summarizeUs(latency),
    connectUs: summarizeUs(connect),
    clients: {
      total: options.connections,
      served: okPerClient.filter((n) => n > 0).length,
      repliesPerClient: okPerClient.length === 0 ? { min: 0, median: 0, max: 0 } : minMedianMax(okPerClient),
    },
    replies: {
      ok: tally.ok,
      wrong: tally.wrong,
      errors: tally.errors,
      timeouts: tally.timeouts,
      dropped: tally.dropped,
      connectFailed: tally.connectFailed,
    },
    requests: { sent: tally.sent, resent: tally.resent, unfinished: tally.unfinished, unsent: tally.unsent, connects: tally.connects },
    cpu: {
      testerPercent: measures.testerCpuPercent,
      serverPercent: measures.serverCpuPercent,
      serverPid: options.serverPid,
    },
    problems: results.flatMap((r) => r.problems).slice(0, MAX_PROBLEMS),
    passed: tally.wrong + tally.errors === 0 && tally.connectFailed + tally.dropped === 0,
    node: process.version,
    mix,
    server: null, // the caller adds the server's own view (server-view.ts) when it has one
  };
}

function summarizeMix(entries: readonly MixEntry[], results: readonly SliceResult[]): MixClassSummary[] | null {
  if (entries.length === 0) return null;
  const names = mixClassNames(entries);
  const shares = mixShares(entries);
  return names.map((name, k) => {
    const parts = results.map((r) => r.classes?.[k]).filter((c) => c !== undefined);
    return {
      name,
      digits: k === 0 ? null : entries[k - 1]!.digits,
      sharePercent: shares[k]!,
      latencyUs: summarizeUs(mergeHistograms(parts.map((c) => decodeHistogram(c.latencyHdr)))),
      notOk: parts.reduce((sum, c) => sum + c.notOk, 0),
    };
  });
}
