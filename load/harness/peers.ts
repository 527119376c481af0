// The servers the benchmarks compare: hexd's variants and, when python3 is present, the blog's
// three Python servers. Each has a concurrency model, which is what the benchmark's story is about.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVER_OPTIONS, VARIANTS, type ServerOptionValues } from '../../servers/shared/options.ts';
import { formatArgv } from '../../common/option-table.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Model = 'blocking' | 'threads' | 'event loop' | 'processes' | 'cluster' | 'pool';

export interface Peer {
  name: string;
  family: 'node' | 'python';
  model: Model;
  /** The command that starts it on a free port and prints the ready line. */
  command: string;
  args: readonly string[];
}

const NODE_MODELS: Record<(typeof VARIANTS)[number], Model> = {
  blocking: 'blocking',
  threads: 'threads',
  'event-loop': 'event loop',
  processes: 'processes',
  cluster: 'cluster',
  pool: 'pool',
};

export const PYTHON_VARIANTS = [
  { name: 'python-sync', arg: 'sync', model: 'blocking' },
  { name: 'python-threads', arg: 'threads', model: 'threads' },
  { name: 'python-asyncio', arg: 'asyncio', model: 'event loop' },
] as const;

export const ALL_PEER_NAMES: readonly string[] = [...VARIANTS, ...PYTHON_VARIANTS.map((p) => p.name)];

/** The blog's story: its three models in Node, and its own three Python servers. The default sweep. */
export const BLOG_PEER_NAMES: readonly string[] = ['blocking', 'threads', 'event-loop', ...PYTHON_VARIANTS.map((p) => p.name)];

/** hexd's command line for these option values; the names are the server table's, checked when typed. */
export function hexdArgs(values: Partial<ServerOptionValues>): string[] {
  return formatArgv(SERVER_OPTIONS, values);
}

/** A fair run: no cap on clients, and no idle timeout closing clients that wait their turn. */
export const BENCH_SERVER_OPTIONS = { 'max-clients': 100_000, 'idle-timeout-ms': 0 } as const satisfies Partial<ServerOptionValues>;

/** `python3 --version`, or null when there is no python3 on PATH. */
export function findPython(): string | null {
  const result = spawnSync('python3', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error !== undefined || result.status !== 0) return null;
  return `${result.stdout}${result.stderr}`.trim();
}

export function nodePeers(options: Partial<ServerOptionValues> = {}): Peer[] {
  return VARIANTS.map((variant) => ({
    name: variant,
    family: 'node' as const,
    model: NODE_MODELS[variant],
    command: process.execPath,
    args: ['servers/main.ts', variant, ...hexdArgs({ ...optionsFor(variant, options), port: 0 })],
  }));
}

/**
 * processes keeps its own --max-clients, sized to a quarter of memory: uncapped, a 1000-client point
 * would start 1000 child processes (about 48 GB of RSS). Past it, clients are refused and the report
 * shows them unserved.
 */
function optionsFor(variant: string, options: Partial<ServerOptionValues>): Partial<ServerOptionValues> {
  return variant === 'processes' ? { ...options, 'max-clients': undefined } : options;
}

export function pythonPeers(): Peer[] {
  return PYTHON_VARIANTS.map((p) => ({
    name: p.name,
    family: 'python' as const,
    model: p.model,
    command: 'python3',
    args: ['load/harness/python_servers.py', p.arg, '0'],
  }));
}
