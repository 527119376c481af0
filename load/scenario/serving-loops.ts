// Which of a server's threads serve its clients, as its /stats tells them (docs/telemetry.md): on
// threads and processes the main thread only accepts, and the Workers' and children's loops serve;
// on cluster its workers'; on the others the main loop. The scenarios' text and charts read the same.

import type { ServerView } from '../harness/server-view.ts';

const SERVING_LOOPS = new Set(['worker', 'child', 'cluster-worker']);

function servingLoops(view: ServerView): ServerView['threads'] {
  const serving = view.threads.filter((t) => SERVING_LOOPS.has(t.kind) && t.kind !== 'main');
  return serving.length > 0 ? serving : view.threads.filter((t) => t.kind === 'main');
}

/** The worst of the serving loops' figure; null without a view. */
export function worstServingLoop(view: ServerView | null | undefined, key: 'delayP99Ms' | 'delayMaxMs'): number | null {
  if (view == null) return null;
  return Math.max(0, ...servingLoops(view).map((t) => t[key]));
}
