// What the process's limit on open file descriptors (`ulimit -n`) lets it serve. Past it accept() fails
// with EMFILE and newcomers are neither served nor told, so --max-clients is lowered to fit, with a
// warning at start.

import { readFileSync } from 'node:fs';
import type { ServerOptions, Variant } from './options.ts';

/**
 * Descriptors one client costs the server process, by variant: its socket, and on threads its
 * Worker's own (an event loop, its pipes: about 7); on processes, the pipe to its child, and while the
 * child starts, the pipe that would report a failed exec.
 */
const FDS_PER_CLIENT: Readonly<Record<Variant, number>> = {
  blocking: 1,
  threads: 8,
  'event-loop': 1,
  processes: 3,
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

/**
 * Descriptors kept free beyond the clients the limit can hold: a client turned away still holds one
 * while it is told the server is full, and libuv needs one spare to shed connections it cannot accept.
 */
const REFUSAL_FDS = 32;

/** The most clients `limit` descriptors hold on this variant, with room left to turn others away. */
function clientsWithin(variant: Variant, listeners: number, limit: number): number {
  return Math.max(1, Math.floor((limit - BASE_FDS - listeners - REFUSAL_FDS) / FDS_PER_CLIENT[variant]));
}

function descriptorsNeeded(variant: Variant, options: ServerOptions): number {
  return BASE_FDS + options.listeners + REFUSAL_FDS + options.maxClients * FDS_PER_CLIENT[variant];
}

/**
 * --max-clients as this process can hold it: lowered to what `ulimit -n` allows (and set, where 0 asked
 * for none), so that a client past it is told the server is full instead of finding accept() failing
 * with EMFILE, which on threads left the main thread spinning on it.
 */
export function clientsWithinFdLimit(variant: Variant, options: ServerOptions, limit = openFilesLimit()): number {
  if (limit === undefined) return options.maxClients;
  const fit = clientsWithin(variant, options.listeners, limit);
  return options.maxClients === 0 ? fit : Math.min(options.maxClients, fit);
}

/**
 * How many clients being turned away (or closed for another reason) may hold a descriptor at once, in
 * close-gently.ts's grace: half the descriptors left once the clients served have theirs.
 */
export function closingWithinFdLimit(variant: Variant, options: ServerOptions, limit = openFilesLimit()): number {
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  const served = clientsWithinFdLimit(variant, options, limit);
  return Math.max(1, Math.floor((limit - BASE_FDS - options.listeners - served * FDS_PER_CLIENT[variant]) / 2));
}

/** The warning to print when `limit` cannot hold --max-clients, else undefined. */
export function fdLimitWarning(variant: Variant, options: ServerOptions, limit = openFilesLimit()): string | undefined {
  // --max-clients 0 asks for no limit of hexd's own: the descriptors are then the limit, as asked.
  if (limit === undefined || options.maxClients === 0) return undefined;
  const serving = clientsWithinFdLimit(variant, options, limit);
  if (serving === options.maxClients) return undefined;
  const perClient = FDS_PER_CLIENT[variant];
  const each = perClient === 1 ? 'one per client' : `about ${perClient} per client`;
  return `hexd: warning: ulimit -n is ${limit}, too few for --max-clients ${options.maxClients} on ${variant} (${each}): serving at most ${serving} clients at once and telling the rest the server is full; raise it (ulimit -n ${descriptorsNeeded(variant, options)}) to serve ${options.maxClients}`;
}
