// The experiments as docs/lab.md lists them (a generated block, tools/docs.ts), so the page and the
// docs tell the same story. Apart from experiments.ts, which the page's bundle holds.

import { markdownTable } from '../common/markdown.ts';
import { EXPERIMENTS } from './experiments.ts';
import type { LabSettings } from './settings.ts';

/** What an experiment sets, as a person would type it into the page. */
function describeSettings(settings: LabSettings): string {
  const parts = [`${settings.variants.join(', ')}`, `${settings.clients.toLocaleString('en-US')} clients each`];
  if (settings.pipeline > 1) parts.push(`${settings.pipeline} in flight`);
  if (settings.rate !== null) parts.push(`${settings.rate} req/s`);
  if (settings.delayMs > 0) parts.push(`--delay-ms ${settings.delayMs}`);
  if (settings.bigPercent > 0) parts.push(`${settings.bigPercent}% big numbers`);
  return parts.join('; ');
}

export function renderExperimentsMarkdown(): string {
  return markdownTable(['experiment', 'settings', 'what to look for'], EXPERIMENTS.map((e, i) =>
    [`${i + 1}. ${e.title}`, describeSettings(e.settings), e.lookFor]));
}
