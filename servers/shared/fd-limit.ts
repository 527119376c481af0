// Whether the process's limit on open file descriptors (`ulimit -n`) can hold --max-clients: past it,
// accept() fails with EMFILE and newcomers are neither served nor told. Said once, at start.

import { readFileSync } from 'node:fs';
import type { ServerOptions, Variant } from './options.ts';

/**
 * Descriptors one client costs the server process, by variant: its socket, and on threads its
 * Worker's own (an event loop, its pipes: about 7); on processes, the pipe to its child.
 */
const FDS_PER_CLIENT: Readonly<Record<Variant, number>> = {
  blocking: 1,
  threads: 8,
  'event-loop': 1,
  processes: 2,
  cluster: 1,
  pool: 1,
};

/** What the process holds before any client: Node's own, the listeners, the pool's threads. */
const BASE_FDS = 64;

/** The soft limit on open files, from /proc/self/limits; undefined where it cannot be read. */
export function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((text) => text.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/** The warning to print when `limit` cannot hold --max-clients, else undefined. */
export function fdLimitWarning(variant: Variant, options: ServerOptions, limit = openFilesLimit()): string | undefined {
  if (limit === undefined || options.maxClients === 0) return undefined;
  const perClient = FDS_PER_CLIENT[variant];
  const needed = BASE_FDS + options.listeners + options.maxClients * perClient;
  if (needed <= limit) return undefined;
  const each = perClient === 1 ? 'one per client' : `about ${perClient} per client`;
  return `hexd: warning: ulimit -n is ${limit}, but --max-clients ${options.maxClients} on ${variant} needs about ${needed} file descriptors (${each}); raise it (ulimit -n ${needed}) or lower --max-clients to ${Math.max(1, Math.floor((limit - BASE_FDS - options.listeners) / perClient))}`;
}
