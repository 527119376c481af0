// What a soak run records (a line per window, the memory's slope) and how it prints. Returns strings;
// the entry point writes them as the windows come.

import type { Environment } from '../harness/environment.ts';
import type { SoakOptions } from './options.ts';

/** The server tree after one window of load. */
export interface SoakWindow {
  /** Since the load began. */
  atSec: number;
  requestsPerSec: number;
  /** Null where /proc could not be read. */
  rssKb: number | null;
  fds: number;
  threads: number | null;
  /** Wrong replies, errors, dropped requests and failed connects so far. */
  failures: number;
  /** The server's own view over the window (its /stats): worst loop delay p99, ms; absent without telemetry. */
  loopDelayP99Ms?: number | null;
  /** The serving threads' mean utilisation over the window. */
  utilisation?: number | null;
}

export interface SoakReport {
  environment: Environment;
  options: SoakOptions;
  windows: SoakWindow[];
  /** Correct replies in all. */
  requests: number;
  failures: number;
  /** Least-squares slope of RSS over time, after the first window. */
  rssSlopeMbPerMinute: number;
  elapsedSec: number;
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** The windows with an RSS figure, as minutes and MB. */
function rssSeries(windows: readonly SoakWindow[]): { minutes: number[]; rssMb: number[] } {
  const sampled = windows.filter((w) => w.rssKb !== null);
  return { minutes: sampled.map((w) => w.atSec / 60), rssMb: sampled.map((w) => w.rssKb! / 1024) };
}

/** MB per minute; the first window holds start-up growth (JIT, heap sizing), so the slope is over the rest. */
export function rssSlope(windows: readonly SoakWindow[]): number {
  const { minutes, rssMb } = rssSeries(windows);
  const steady = minutes.length > 2 ? 1 : 0;
  return slope(minutes.slice(steady), rssMb.slice(steady));
}

const clock = (sec: number): string => `${Math.floor(sec / 60)}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

export const WINDOW_HEADER = '  time      req/s    RSS (MB)   fds  threads  errors  loop p99 ms  busy\n';

export function windowLine(w: SoakWindow): string {
  return `  ${clock(w.atSec).padStart(5)}  ${Math.round(w.requestsPerSec).toLocaleString('en-US').padStart(9)}  ` +
    `${(w.rssKb === null ? '-' : (w.rssKb / 1024).toFixed(1)).padStart(10)}  ${String(w.fds).padStart(4)}  ` +
    `${String(w.threads ?? '-').padStart(7)}  ${String(w.failures).padStart(6)}  ` +
    `${(w.loopDelayP99Ms == null ? '-' : w.loopDelayP99Ms.toFixed(1)).padStart(11)}  ${(w.utilisation == null ? '-' : w.utilisation.toFixed(2)).padStart(4)}\n`;
}

export function summaryLine(report: SoakReport): string {
  const { rssMb } = rssSeries(report.windows);
  const mbPerMinute = report.rssSlopeMbPerMinute;
  return `soak: ${report.requests.toLocaleString('en-US')} correct replies; errors ${report.failures}; ` +
    `RSS slope ${mbPerMinute >= 0 ? '+' : ''}${mbPerMinute.toFixed(3)} MB/min after the first window ` +
    `(${rssMb[0]?.toFixed(1) ?? '-'} MB to ${rssMb.at(-1)?.toFixed(1) ?? '-'} MB)\n`;
}
