// The servers the benchmark compares: hexd's three variants and, when python3 is present, the blog's
// three Python servers. Each has a concurrency model, which is what the benchmark's story is about.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VARIANTS } from '../../servers/shared/options.ts';

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

/**
 * Flags for a fair run, passed only when the server's --help lists them (they may not exist yet):
 * no cap on clients, and no idle timeout closing clients that wait their turn.
 */
export function benchServerFlags(helpText: string): string[] {
  const flags: string[] = [];
  if (/--max-clients\b/.test(helpText)) flags.push('--max-clients', '100000');
  if (/--idle-timeout-ms\b/.test(helpText)) flags.push('--idle-timeout-ms', '0');
  return flags;
}

export function nodeServerHelp(): string {
  const result = spawnSync(process.execPath, ['servers/main.ts', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 });
  return result.stdout ?? '';
}

/** `python3 --version`, or null when there is no python3 on PATH. */
export function findPython(): string | null {
  const result = spawnSync('python3', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error !== undefined || result.status !== 0) return null;
  return `${result.stdout}${result.stderr}`.trim();
}

export function nodePeers(serverFlags: readonly string[]): Peer[] {
  return VARIANTS.map((variant) => ({
    name: variant,
    family: 'node' as const,
    model: NODE_MODELS[variant],
    command: process.execPath,
    args: ['servers/main.ts', variant, '--port', '0', ...flagsFor(variant, serverFlags)],
  }));
}

/**
 * processes keeps its own --max-clients, sized to a quarter of memory: uncapped, a 1000-client point
 * would start 1000 child processes (about 48 GB of RSS). Past it, clients are refused and the report
 * shows them unserved.
 */
function flagsFor(variant: string, serverFlags: readonly string[]): readonly string[] {
  if (variant !== 'processes') return serverFlags;
  const at = serverFlags.indexOf('--max-clients');
  return at === -1 ? serverFlags : [...serverFlags.slice(0, at), ...serverFlags.slice(at + 2)];
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
