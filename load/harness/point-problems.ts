// What went wrong in one measured run, in words, for the Problems column of every benchmark table.

import type { LoadSummary } from './summary.ts';
import { formatCount } from './report.ts';

/** What a run's problems are read from: its replies, and whether the server died under it. */
export interface RunOutcome {
  replies: LoadSummary['replies'];
  serverExited: boolean;
}

/** The failures of a run, in words; `-` when there were none. */
export function pointProblems(run: RunOutcome): string {
  const r = run.replies;
  const parts = [
    r.wrong > 0 ? `${formatCount(r.wrong)} wrong` : null,
    r.errors > 0 ? `${formatCount(r.errors)} errors` : null,
    r.timeouts > 0 ? `${formatCount(r.timeouts)} timeouts` : null,
    r.dropped > 0 ? `${formatCount(r.dropped)} dropped` : null,
    r.connectFailed > 0 ? `${formatCount(r.connectFailed)} connect failed` : null,
    run.serverExited ? 'server died' : null,
  ].filter((x) => x !== null);
  return parts.length === 0 ? '-' : parts.join(', ');
}
