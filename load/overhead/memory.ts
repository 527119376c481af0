// Memory of a process as Linux reports it: RSS (every page it touches, shared ones counted in full) and
// PSS (shared pages divided among the processes sharing them), in kilobytes.

import { readFileSync } from 'node:fs';

function field(file: string, name: string): number | null {
  try {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null; // gone, or no /proc
  }
}

export function rssKb(pid: number | 'self' = 'self'): number | null {
  return field(`/proc/${pid}/status`, 'VmRSS');
}

/** Null where smaps_rollup is missing (kernels before 4.14, or no /proc). */
export function pssKb(pid: number | 'self' = 'self'): number | null {
  return field(`/proc/${pid}/smaps_rollup`, 'Pss');
}
