// The ready line: what a hexd server prints on stdout once it listens, and what scripts and tests
// wait for. `listening on HOST:PORT (VARIANT, pid N)`, with an IPv6 host in brackets; the pid is the
// process that owns the listening socket. The Python peers (load/harness/python_servers.py) print the
// same shape.

import { formatAddress } from './cli.ts';

export interface ReadyLine {
  /** The address listened on, without brackets. */
  host: string;
  port: number;
  variant: string;
  pid: number;
}

const READY_LINE = /^listening on (?:\[([^\]]+)\]|([^\s[\]:]+)):(\d+) \(([\w-]+), pid (\d+)\)$/;

/** The ready line, without its newline. */
export function formatReadyLine(ready: ReadyLine): string {
  return `listening on ${formatAddress(ready.host, ready.port)} (${ready.variant}, pid ${ready.pid})`;
}

/** The fields of a ready line, or null for any other line. */
export function parseReadyLine(line: string): ReadyLine | null {
  const match = READY_LINE.exec(line);
  if (!match) return null;
  return { host: (match[1] ?? match[2])!, port: Number(match[3]), variant: match[4]!, pid: Number(match[5]) };
}
