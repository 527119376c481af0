// CI's `npm audit`: findings of high severity or above fail; a registry that will not answer the
// audit (an HTTP error, as some mirrors give) is said in one line and CI goes on.

import { spawnSync } from 'node:child_process';

interface AuditJson {
  statusCode?: number;
  message?: string;
  error?: unknown;
  metadata?: { vulnerabilities?: Record<string, number> };
}

const FAILING = ['high', 'critical'];

/** What CI does with an audit's JSON: go on (with a line saying why), or fail on high findings. */
export function auditVerdict(stdout: string): { ok: boolean; line: string } {
  let report: AuditJson;
  try {
    report = JSON.parse(stdout) as AuditJson;
  } catch {
    return { ok: true, line: 'ci: npm audit could not run (its answer was not JSON); going on' };
  }
  const counts = report.metadata?.vulnerabilities;
  if (counts === undefined) {
    const why = report.statusCode === undefined ? (report.message ?? 'no findings in its answer') : `HTTP ${report.statusCode}`;
    return { ok: true, line: `ci: npm audit could not run (the registry answered ${why}); going on` };
  }
  const summary = Object.entries(counts).filter(([, n]) => n > 0).map(([level, n]) => `${n} ${level}`).join(', ');
  const failing = FAILING.reduce((sum, level) => sum + (counts[level] ?? 0), 0);
  return { ok: failing === 0, line: `ci: npm audit: ${summary === '' ? 'no known vulnerabilities' : summary}` };
}

function main(): number {
  const result = spawnSync('npm', ['audit', '--json'], { encoding: 'utf8', timeout: 120_000 });
  const verdict = auditVerdict(result.stdout ?? '');
  process.stdout.write(`${verdict.line}\n`);
  // The findings themselves, as npm prints them, for whoever reads the failed run.
  if (!verdict.ok) spawnSync('npm', ['audit', '--audit-level=high'], { stdio: 'inherit' });
  return verdict.ok ? 0 : 1;
}

// Run as a program, not when a test imports the verdict.
if (import.meta.main) process.exitCode = main();
