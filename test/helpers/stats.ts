// Reading a spawned server's /stats and /metrics (servers/shared/telemetry), and polling them with a deadline.

import { parseStatsLine } from '../../common/stats-line.ts';
import type { Stats } from '../../servers/shared/telemetry/stats.ts';
import type { ServerProcess } from './servers.ts';

/** The --stats-port a spawned server printed just after its ready line. */
export async function statsPortOf(server: ServerProcess): Promise<number> {
  const line = await server.stdoutLine(/^stats on /);
  const parsed = parseStatsLine(line);
  if (parsed === null) throw new Error(`not a stats line: ${JSON.stringify(line)}`);
  return parsed.port;
}

export async function getText(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

async function getStats(port: number): Promise<Stats> {
  const { status, body } = await getText(port, '/stats');
  if (status !== 200) throw new Error(`/stats answered ${status}: ${body}`);
  return JSON.parse(body) as Stats;
}

/**
 * Polls /stats until `done` holds, every `everyMs`, for at most `withinMs`; then returns the last
 * figures, whether or not `done` held, for the test's expect() to say what was wrong.
 */
export async function pollStats(port: number, done: (stats: Stats) => boolean, withinMs = 10_000, everyMs = 50): Promise<Stats> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const stats = await getStats(port);
    if (done(stats) || performance.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, everyMs)); // a polling pace, not a synchronisation
  }
}
