// The stats line: what a hexd server prints on stdout just after its ready line when telemetry is on,
// `stats on http://HOST:PORT/stats and /metrics`, so that scripts, tests and the load tester find the
// --stats-port even when it was picked (port 0).

import { formatAddress } from './cli.ts';

export interface StatsLine {
  host: string;
  port: number;
}

const STATS_LINE = /^stats on http:\/\/(?:\[([^\]]+)\]|([^\s[\]:/]+)):(\d+)\/stats and \/metrics$/;

export function formatStatsLine(stats: StatsLine): string {
  return `stats on http://${formatAddress(stats.host, stats.port)}/stats and /metrics`;
}

/** The address in a stats line, or null for any other line. */
export function parseStatsLine(line: string): StatsLine | null {
  const match = STATS_LINE.exec(line);
  if (!match) return null;
  return { host: (match[1] ?? match[2])!, port: Number(match[3]) };
}
