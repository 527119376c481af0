// The sweep's command line (`npm run bench`): which servers, which concurrencies, how long, and where
// the reports go. One table (OPTIONS) gives the parsing, --help and the docs' table.

import { UsageError, parseNumberOption } from '../../common/cli.ts';
import { parseOptions, renderOptionHelp, type OptionTable } from '../../common/option-table.ts';
import { ALL_PEER_NAMES } from '../harness/peers.ts';
import { parseVariantList, type RunnableVariants } from '../harness/variant-list.ts';

const DEFAULT_CONCURRENCY = [1, 10, 100, 1000] as const;
const QUICK_CONCURRENCY = [1, 10, 100] as const;
const DEFAULT_POINT_SECONDS = 5;
const QUICK_POINT_SECONDS = 1.5;
const DEFAULT_WARMUP_SECONDS = 1;
const QUICK_WARMUP_SECONDS = 0.5;

export const OPTIONS = [
  {
    type: 'string', name: 'variants', value: 'LIST', default: 'blog', accepts: 'server names and groups, comma-separated',
    help: `servers, comma-separated: ${ALL_PEER_NAMES.join(', ')}, or a group: blog (the blog's three models in Node ` +
      'and its three Python servers), node, python, all; python-* need python3 on PATH',
  },
  {
    type: 'string', name: 'concurrency', value: 'LIST', accepts: 'whole numbers from 1 to 100000, comma-separated',
    help: 'clients per point, comma-separated',
    shown: `${DEFAULT_CONCURRENCY.join(',')}; --quick: ${QUICK_CONCURRENCY.join(',')}`,
  },
  {
    type: 'number', name: 'duration', short: 'd', value: 'SECONDS', min: 0.1, max: 3600,
    help: 'measured load per point', shown: `${DEFAULT_POINT_SECONDS}; --quick: ${QUICK_POINT_SECONDS}`,
  },
  {
    type: 'number', name: 'warmup', value: 'SECONDS', min: 0, max: 3600,
    help: 'unmeasured load before each point, on the same connections and server',
    shown: `${DEFAULT_WARMUP_SECONDS}; --quick: ${QUICK_WARMUP_SECONDS}`,
  },
  { type: 'integer', name: 'pipeline', value: 'K', min: 1, max: 10_000, default: 1, help: 'requests in flight per client' },
  { type: 'integer', name: 'timeout-ms', value: 'T', min: 1, max: 3_600_000, default: 5000, help: 'per request and per connect' },
  { type: 'flag', name: 'quick', help: 'a short run for CI: the --quick defaults above' },
  { type: 'flag', name: 'no-framing-check', help: 'skip the short pipelined check of each server\'s framing' },
  {
    type: 'flag', name: 'http',
    help: 'after the sweep, the same sweep over HTTP measured by autocannon (hexd\'s servers only; its own tables), ' +
      'and a table of both testers\' figures side by side',
  },
  { type: 'string', name: 'json', value: 'FILE', default: 'reports/bench.json', accepts: 'a file name', help: 'every point and the environment, as JSON' },
  {
    type: 'string', name: 'html', value: 'FILE', default: 'reports/bench.html', accepts: 'a file name',
    help: 'a self-contained page: the story, SVG charts, the tables and the raw JSON',
  },
  { type: 'string', name: 'svg', value: 'FILE', default: 'reports/bench-throughput.svg', accepts: 'a file name', help: 'the throughput chart alone' },
  { type: 'string', name: 'markdown', value: 'FILE', accepts: 'a file name', help: 'a results page in Markdown, from the JSON (none unless asked)' },
] as const satisfies OptionTable;

export interface BenchOptions {
  /** Names to run, in order; python-* ones are dropped with a note when python3 is missing. */
  variants: string[];
  /** Whether the variants were named on the command line (then a missing python3 is an error). */
  variantsGiven: boolean;
  concurrency: number[];
  durationSec: number;
  /** Unmeasured load before each point's measurement, on the same connections and server. */
  warmupSec: number;
  pipeline: number;
  timeoutMs: number;
  quick: boolean;
  /** Whether to run the short pipelined framing check per variant. */
  framingCheck: boolean;
  /** After the sweep, the same sweep over HTTP with autocannon (hexd's servers only). */
  http: boolean;
  json: string;
  html: string;
  svg: string;
  /** The results page, when asked for. */
  markdown: string | undefined;
}

export type BenchCommand = { kind: 'help'; text: string } | { kind: 'run'; options: BenchOptions };

/** The sweep runs every server: hexd's and, where python3 is present, the blog's. */
const BENCH_VARIANTS: RunnableVariants = { program: 'bench', names: ALL_PEER_NAMES };

function benchHelpText(): string {
  return [
    'usage: npm run bench -- [options]',
    '',
    'Starts each server itself on a free port and loads it at each concurrency in turn, sampling its',
    'memory, threads and CPU from /proc; prints one comparison table and writes JSON, HTML and SVG.',
    '',
    'options:',
    renderOptionHelp(OPTIONS),
    '',
    'old spellings, kept for one release:',
    '  --perf [options]             now npm run perf (npm run perf -- --help)',
    '  --scenario LIST [options]    now npm run scenario (npm run scenario -- --help)',
    '',
  ].join('\n');
}

export function parseBenchVariants(raw: string): string[] {
  return parseVariantList(raw, BENCH_VARIANTS);
}

export function parseConcurrencyList(raw: string): number[] {
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError('--concurrency names no value');
  const values = parts.map((part) => parseNumberOption('concurrency', part, { min: 1, max: 100_000 }));
  return [...new Set(values)].sort((a, b) => a - b);
}

export function parseBenchCommand(argv: readonly string[]): BenchCommand {
  const { values, given, help } = parseOptions(OPTIONS, argv);
  if (help) return { kind: 'help', text: benchHelpText() };
  const quick = values.quick;
  return {
    kind: 'run',
    options: {
      variants: parseBenchVariants(values.variants),
      variantsGiven: given.has('variants'),
      concurrency: values.concurrency === undefined
        ? [...(quick ? QUICK_CONCURRENCY : DEFAULT_CONCURRENCY)]
        : parseConcurrencyList(values.concurrency),
      durationSec: values.duration ?? (quick ? QUICK_POINT_SECONDS : DEFAULT_POINT_SECONDS),
      warmupSec: values.warmup ?? (quick ? QUICK_WARMUP_SECONDS : DEFAULT_WARMUP_SECONDS),
      pipeline: values.pipeline,
      timeoutMs: values['timeout-ms'],
      quick,
      framingCheck: !values['no-framing-check'],
      http: values.http,
      json: values.json,
      html: values.html,
      svg: values.svg,
      markdown: values.markdown,
    },
  };
}
