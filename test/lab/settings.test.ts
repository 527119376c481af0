// The one check of a lab run's settings, which the page and the lab's API both apply.

import { describe, expect, it } from 'vitest';
import { LAB_VARIANTS, checkSettings, needsServerRestart, type LabSettings } from '../../lab/settings.ts';
import { EXPERIMENTS } from '../../lab/experiments.ts';
import { VARIANTS } from '../../servers/shared/options.ts';

const good: LabSettings = { variants: ['blocking', 'event-loop'], clients: 10, pipeline: 1, rate: null, delayMs: 0, bigPercent: 0 };

function problemsOf(input: unknown): string[] {
  const result = checkSettings(input);
  return result.ok ? [] : result.problems.map((p) => p.field);
}

describe('checkSettings', () => {
  it('accepts settings within every bound, and an open-loop rate', () => {
    expect(checkSettings(good)).toEqual({ ok: true, settings: good });
    expect(checkSettings({ ...good, rate: 500.5, bigPercent: 0.5, delayMs: 20 })).toMatchObject({ ok: true });
  });

  it('lists the page\'s variants as the servers do', () => {
    expect([...LAB_VARIANTS]).toEqual([...VARIANTS]);
  });

  it('refuses each field out of range, all at once, naming the field', () => {
    expect(problemsOf({ variants: [], clients: 0, pipeline: 101, rate: 0, delayMs: -1, bigPercent: 11 }))
      .toEqual(['variants', 'clients', 'pipeline', 'rate', 'delayMs', 'bigPercent']);
  });

  it('refuses fractions where whole numbers are needed, text, and missing fields', () => {
    expect(problemsOf({ ...good, clients: 2.5 })).toEqual(['clients']);
    expect(problemsOf({ ...good, pipeline: '4' })).toEqual(['pipeline']);
    expect(problemsOf({ variants: ['pool'] })).toEqual(['clients', 'pipeline', 'delayMs', 'bigPercent']);
    expect(problemsOf(null)).toContain('variants');
  });

  it('refuses an unknown or repeated variant', () => {
    expect(problemsOf({ ...good, variants: ['fork'] })).toEqual(['variants']);
    expect(problemsOf({ ...good, variants: ['pool', 'pool'] })).toEqual(['variants']);
  });

  it('counts clients across the variants: at most 10,000 in all', () => {
    expect(checkSettings({ ...good, variants: ['blocking', 'threads'], clients: 5_000 })).toMatchObject({ ok: true });
    const result = checkSettings({ ...good, variants: ['blocking', 'threads', 'pool'], clients: 5_000 });
    expect(result).toMatchObject({ ok: false, problems: [{ field: 'clients' }] });
    expect(result.ok ? '' : result.problems[0]!.message).toContain('15000 in all');
  });

  it('restarts the servers only for a server setting', () => {
    expect(needsServerRestart(good, { ...good, delayMs: 20 })).toBe(true);
    expect(needsServerRestart(good, { ...good, clients: 20, pipeline: 4, rate: 100, bigPercent: 1 })).toBe(false);
  });
});

describe('the experiments', () => {
  it('are each valid settings, with two sentences of what to look for', () => {
    for (const experiment of EXPERIMENTS) {
      expect(checkSettings(experiment.settings), experiment.id).toMatchObject({ ok: true });
      expect(experiment.lookFor.split(/(?<=\.) /), experiment.id).toHaveLength(2);
    }
  });
});
