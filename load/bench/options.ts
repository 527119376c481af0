// The benchmark's command line: which servers, which concurrencies, how long, and where reports go.

import { UsageError, parseNumberOption, parseCommandLine } from '../../common/cli.ts';
import { ALL_PEER_NAMES, PYTHON_VARIANTS, BLOG_PEER_NAMES } from '../harness/peers.ts';

export const DEFAULT_CONCURRENCY = [1, 10, 100, 1000] as const;
export const QUICK_CONCURRENCY = [1, 10, 100] as const;
export const DEFAULT_POINT_SECONDS = 5;
export const QUICK_POINT_SECONDS = 1.5;
export const DEFAULT_WARMUP_SECONDS = 1;
export const QUICK_WARMUP_SECONDS = 0.5;

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
  /** Run the performance targets (load/perf/main.ts) instead of the sweep. */
  perf: boolean;
  /** After the sweep, the same sweep over HTTP with autocannon (hexd's servers only). */
  http: boolean;
  json: string;
  html: string;
  svg: string;
}

export type BenchCommand = { kind: 'help'; text: string } | { kind: 'run'; options: BenchOptions };

const GROUPS: Record<string, readonly string[]> = {
  blog: BLOG_PEER_NAMES,
  all: ALL_PEER_NAMES,
  node: ALL_PEER_NAMES.filter((name) => !name.startsWith('python-')),
  python: PYTHON_VARIANTS.map((p) => p.name),
};

export function benchHelpText(): string {
  return [
    'usage: npm run bench -- [options]',
    '',
    'Starts each server itself on a free port and loads it at each concurrency in turn, sampling its',
    'memory, threads and CPU from /proc; prints one comparison table and writes JSON, HTML and SVG.',
    '',
    'options:',
    `  --variants LIST        comma-separated: ${ALL_PEER_NAMES.join(', ')},`,
    '                         or blog (the blog\'s three models in Node and its Python servers), node, python,',
    '                         all (default: blog; python-* need python3 on PATH)',
    `  --concurrency LIST     clients per point, comma-separated (default: ${DEFAULT_CONCURRENCY.join(',')}; --quick: ${QUICK_CONCURRENCY.join(',')})`,
    `  -d, --duration SECONDS load per point (default: ${DEFAULT_POINT_SECONDS}; --quick: ${QUICK_POINT_SECONDS})`,
    `  --warmup SECONDS       load before measuring each point (default: ${DEFAULT_WARMUP_SECONDS}; --quick: ${QUICK_WARMUP_SECONDS})`,
    '  --pipeline K           requests in flight per client (default: 1)',
    '  --timeout-ms T         per request and per connect (default: 5000)',
    '  --quick                a short run for CI: the --quick defaults above',
    '  --no-framing-check     skip the short pipelined check of each server\'s framing',
    '  --http                 after the sweep, the same sweep over HTTP, measured by autocannon (its own',
    '                         tables), and a table of both testers\' figures side by side',
    '  --perf                 instead of the sweep: measure every performance target (load/perf*.ts) and',
    '                         print each with its figure, every run and PASS/FAIL; exit 1 when one fails.',
    '                         About 6 minutes (--quick: about 1.5); only --quick and --json apply',
    '                         (default --json: reports/perf.json)',
    '  --json FILE            (default: reports/bench.json)',
    '  --html FILE            (default: reports/bench.html)',
    '  --svg FILE             the throughput chart alone (default: reports/bench-throughput.svg)',
    '  --scenario LIST        instead of the sweep: io, cpu, mixed, io-ratio or all, each server through that',
    '                         workload, then a measured "which to use" table (load/scenario*.ts; --scenario all --help)',
    '  -h, --help             show this help',
    '',
  ].join('\n');
}

export function parseVariantList(raw: string): string[] {
  const names: string[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const expanded = GROUPS[part] ?? (ALL_PEER_NAMES.includes(part) ? [part] : null);
    if (expanded === null) {
      throw new UsageError(`unknown variant ${JSON.stringify(part)}: choose from ${ALL_PEER_NAMES.join(', ')}, or all, node, python`);
    }
    for (const name of expanded) if (!names.includes(name)) names.push(name);
  }
  if (names.length === 0) throw new UsageError('--variants names no variant');
  return names;
}

export function parseConcurrencyList(raw: string): number[] {
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError('--concurrency names no value');
  const values = parts.map((part) => parseNumberOption('concurrency', part, { min: 1, max: 100_000 }));
  return [...new Set(values)].sort((a, b) => a - b);
}

export function parseBenchCommand(argv: readonly string[]): BenchCommand {
  const parsed = parseCommandLine({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      variants: { type: 'string' },
      concurrency: { type: 'string' },
      duration: { type: 'string', short: 'd' },
      warmup: { type: 'string' },
      pipeline: { type: 'string' },
      'timeout-ms': { type: 'string' },
      quick: { type: 'boolean' },
      'no-framing-check': { type: 'boolean' },
      perf: { type: 'boolean' },
      http: { type: 'boolean' },
      json: { type: 'string' },
      html: { type: 'string' },
      svg: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { values } = parsed;
  if (values.help === true) return { kind: 'help', text: benchHelpText() };
  const quick = values.quick === true;
  const perf = values.perf === true;
  if (perf) {
    const sweepOnly = ['variants', 'concurrency', 'duration', 'warmup', 'pipeline', 'timeout-ms', 'no-framing-check', 'html', 'svg'] as const;
    const given = sweepOnly.find((name) => values[name] !== undefined);
    if (given !== undefined) throw new UsageError(`--${given} does not apply to --perf, which runs its own plan`);
  }
  const file = (name: 'json' | 'html' | 'svg', fallback: string): string => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    if (raw.trim() === '') throw new UsageError(`--${name} needs a file name`);
    return raw;
  };
  return {
    kind: 'run',
    options: {
      variants: values.variants === undefined ? [...BLOG_PEER_NAMES] : parseVariantList(values.variants),
      variantsGiven: values.variants !== undefined,
      concurrency: values.concurrency === undefined
        ? [...(quick ? QUICK_CONCURRENCY : DEFAULT_CONCURRENCY)]
        : parseConcurrencyList(values.concurrency),
      durationSec: values.duration === undefined
        ? (quick ? QUICK_POINT_SECONDS : DEFAULT_POINT_SECONDS)
        : parseNumberOption('duration', values.duration, { min: 0.1, max: 3600, fraction: true }),
      warmupSec: values.warmup === undefined
        ? (quick ? QUICK_WARMUP_SECONDS : DEFAULT_WARMUP_SECONDS)
        : parseNumberOption('warmup', values.warmup, { min: 0, max: 3600, fraction: true }),
      pipeline: values.pipeline === undefined ? 1 : parseNumberOption('pipeline', values.pipeline, { min: 1, max: 10_000 }),
      timeoutMs: values['timeout-ms'] === undefined ? 5_000 : parseNumberOption('timeout-ms', values['timeout-ms'], { min: 1, max: 3_600_000 }),
      quick,
      framingCheck: values['no-framing-check'] !== true,
      perf,
      http: values.http === true,
      json: file('json', perf ? 'reports/perf.json' : 'reports/bench.json'),
      html: file('html', 'reports/bench.html'),
      svg: file('svg', 'reports/bench-throughput.svg'),
    },
  };
}
