// The command line of `npm run scenario`: which workloads, which servers, how long. One table
// (OPTIONS) gives the parsing, --help and the docs' table.

import { UsageError } from '../../common/cli.ts';
import { parseOptions, renderOptionHelp, type OptionTable } from '../../common/option-table.ts';
import { VARIANTS, isVariant, type Variant } from '../../servers/shared/options.ts';
import { parseVariantList, type RunnableVariants } from '../harness/variant-list.ts';
import { SCENARIO_NAMES, scenarioPlan, type ScenarioName, type ScenarioPlan } from './plan.ts';

/** The talk's experiment alone (the io scenario runs it first). */
const RATIO_SCENARIO = 'io-ratio';

/** A scenario's own figures, for the defaults --help shows. */
const io = (quick: boolean): ScenarioPlan => scenarioPlan('io', quick);
const cpu = (quick: boolean): ScenarioPlan => scenarioPlan('cpu', quick);

export const OPTIONS = [
  {
    type: 'string', name: 'scenario', value: 'LIST', accepts: 'io, cpu, mixed, io-ratio, all, comma-separated',
    help: 'workloads, comma-separated: io, cpu, mixed, io-ratio, or all (io, cpu and mixed); required',
  },
  {
    type: 'string', name: 'variants', value: 'LIST', default: 'all', accepts: 'server names and groups, comma-separated',
    help: `servers, comma-separated: ${VARIANTS.join(', ')}, or a group (node, blog, all) for those of them in it; ` +
      'not the Python servers',
  },
  { type: 'integer', name: 'concurrency', value: 'N', min: 1, max: 10_000, help: 'clients', shown: 'each scenario\'s own' },
  {
    type: 'number', name: 'duration', short: 'd', value: 'SECONDS', min: 0.1, max: 600, help: 'measured load per run',
    shown: `${io(false).durationSec}; --quick: ${io(true).durationSec} for io, ${cpu(true).durationSec} for cpu and mixed`,
  },
  {
    type: 'number', name: 'warmup', value: 'SECONDS', min: 0, max: 600,
    help: 'load before measuring; a thread or process per client gets longer, so that every client\'s is up before measuring',
    shown: `${io(false).warmupSec}; --quick: ${io(true).warmupSec}`,
  },
  { type: 'flag', name: 'no-ratio', help: 'with io, skip the experiment of Travis Hathaway\'s talk "asyncio and friends"' },
  { type: 'flag', name: 'quick', help: 'shorter runs and fewer clients' },
  {
    type: 'string', name: 'json', value: 'FILE', accepts: 'a file name', help: 'every run and verdict, as JSON',
    shown: 'reports/scenario-NAMES.json',
  },
  {
    type: 'string', name: 'html', value: 'FILE', accepts: 'a file name',
    help: 'a self-contained page: a chart per scenario, the tables and the raw JSON', shown: 'reports/scenario-NAMES.html',
  },
  { type: 'string', name: 'markdown', value: 'FILE', accepts: 'a file name', help: 'a results page in Markdown, from the JSON (none unless asked)' },
] as const satisfies OptionTable;

export interface ScenarioOptions {
  /** Load scenarios, in order. */
  scenarios: ScenarioName[];
  /** Whether to run the talk's experiment (with io, or alone as io-ratio). */
  ratio: boolean;
  variants: Variant[];
  quick: boolean;
  /** Overrides of each scenario's own figures. */
  clients: number | undefined;
  durationSec: number | undefined;
  warmupSec: number | undefined;
  json: string;
  /** The HTML page with the charts. */
  html: string;
  /** The results page, when asked for. */
  markdown: string | undefined;
}

export type ScenarioCommand = { kind: 'help'; text: string } | { kind: 'run'; options: ScenarioOptions };

function scenarioHelpText(): string {
  return [
    'usage: npm run scenario -- io|cpu|mixed|io-ratio|all [options]   (or --scenario LIST)',
    '',
    'Runs every hexd server through a workload and ends with a measured "which to use" table: per',
    'scenario, the model that won (by req/s and by p99 of the light requests), by how much, at what memory.',
    '  io        every reply waits 20 ms on a timer (--delay-ms 20), 100 clients (--quick: 50); first,',
    '            the experiment of the talk "asyncio and friends": 20 requests one after another vs at once, then 1 to 1000 clients',
    '  cpu       1% of requests are 1,000,000-digit numbers (--max-digits 1000000, --mix 1%:1000000), 20',
    '            clients; each server also runs without them, to show what they cost the light requests',
    '  mixed     both: --delay-ms 20 and 0.5% of 1,000,000-digit numbers, 50 clients (--quick: 30)',
    '  io-ratio  that experiment alone',
    '  all       io, cpu and mixed',
    'Each takes 1 to 2 minutes on 2 cores (--quick: 45 to 70 s). The blog\'s Python servers are left out: they',
    'have no --delay-ms and no --max-digits (Python\'s int() refuses over 4300 digits; recv(1024) cannot hold',
    'a 1 MB line).',
    '',
    'options:',
    renderOptionHelp(OPTIONS),
    '',
  ].join('\n');
}

export function parseScenarioList(raw: string): { scenarios: ScenarioName[]; ratio: boolean } {
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError('--scenario names no scenario: choose io, cpu, mixed, io-ratio or all');
  const scenarios: ScenarioName[] = [];
  let ratio = false;
  for (const part of parts) {
    const names: readonly string[] = part === 'all' ? SCENARIO_NAMES : [part];
    for (const name of names) {
      if (name === RATIO_SCENARIO) {
        ratio = true;
        continue;
      }
      if (!(SCENARIO_NAMES as readonly string[]).includes(name)) {
        throw new UsageError(`unknown scenario ${JSON.stringify(name)}: choose io, cpu, mixed, io-ratio or all`);
      }
      if (name === 'io') ratio = true;
      if (!scenarios.includes(name as ScenarioName)) scenarios.push(name as ScenarioName);
    }
  }
  return { scenarios, ratio };
}

/** Scenarios run hexd's servers only. */
const SCENARIO_VARIANTS: RunnableVariants = {
  program: 'scenario',
  names: VARIANTS,
  why: 'the Python servers have no --delay-ms or --max-digits, so scenarios leave them out',
};

export function parseScenarioVariants(raw: string): Variant[] {
  return parseVariantList(raw, SCENARIO_VARIANTS).filter(isVariant);
}

export function parseScenarioCommand(argv: readonly string[]): ScenarioCommand {
  const { values, help, positionals } = parseOptions(OPTIONS, argv, { positionals: true });
  if (help) return { kind: 'help', text: scenarioHelpText() };
  // `npm run scenario -- io` and `npm run scenario -- --scenario io` say the same.
  if (positionals.length > 1 || (positionals.length === 1 && values.scenario !== undefined)) {
    throw new UsageError('name the scenarios once: npm run scenario -- io,cpu (or --scenario io,cpu)');
  }
  const list = values.scenario ?? positionals[0];
  if (list === undefined) throw new UsageError('name a scenario: io, cpu, mixed, io-ratio or all');
  const selected = parseScenarioList(list);
  const ratio = selected.ratio && !values['no-ratio'];
  if (selected.scenarios.length === 0 && !ratio) throw new UsageError('--no-ratio leaves nothing to run');
  const names = [...selected.scenarios, ...(selected.scenarios.length === 0 ? [RATIO_SCENARIO] : [])];
  return {
    kind: 'run',
    options: {
      scenarios: selected.scenarios,
      ratio,
      variants: parseScenarioVariants(values.variants),
      quick: values.quick,
      clients: values.concurrency,
      durationSec: values.duration,
      warmupSec: values.warmup,
      json: values.json ?? `reports/scenario-${names.join('-')}.json`,
      html: values.html ?? `reports/scenario-${names.join('-')}.html`,
      markdown: values.markdown,
    },
  };
}
