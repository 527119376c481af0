// The soak command: its options, the slope it reports, its window lines, and a short real run.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { rssSlope, slope, windowLine, type SoakReport, type SoakWindow } from '../../../load/soak/report.ts';
import { NODE, ROOT } from '../../helpers/servers.ts';
import { parseSoakCommand } from '../../../load/soak/options.ts';

it('fits a least-squares slope', () => {
  expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
  expect(slope([0, 1, 2], [5, 5, 5])).toBe(0);
  expect(slope([1], [3])).toBe(0);
});

it('parses and bounds its options', () => {
  expect(parseSoakCommand(['--minutes', '10'])).toEqual({
    kind: 'run',
    options: { minutes: 10, variant: 'event-loop', connections: 10, pipeline: 1, windowSec: 10 },
  });
  const blocking = parseSoakCommand(['--minutes', '1', '--variant', 'blocking']);
  expect(blocking.kind === 'run' && blocking.options.connections).toBe(1);
  expect(() => parseSoakCommand([])).toThrow(/--minutes is required/);
  expect(() => parseSoakCommand(['--minutes', '121'])).toThrow(/--minutes must be a number from 0.05 to 120/);
  expect(() => parseSoakCommand(['--minutes', '1', '--variant', 'fibers'])).toThrow(/unknown variant/);
});

it('fits the slope after the first window, which holds start-up growth', () => {
  const window = (atSec: number, rssMb: number | null): SoakWindow =>
    ({ atSec, requestsPerSec: 1000, rssKb: rssMb === null ? null : rssMb * 1024, fds: 5, threads: 7, failures: 0 });
  expect(rssSlope([window(60, 10), window(120, 50), window(180, 50), window(240, 50)])).toBe(0);
  expect(rssSlope([window(60, 10), window(120, null), window(180, 12), window(240, 14)])).toBeCloseTo(2);
  expect(windowLine(window(75, 50))).toBe('   1:15      1,000        50.0     5        7       0            -     -\n');
  expect(windowLine({ ...window(75, 50), loopDelayP99Ms: 12.34, utilisation: 0.5 })).toBe('   1:15      1,000        50.0     5        7       0         12.3  0.50\n');
});

it('runs a short soak against a real server and writes its JSON when asked', () => {
  const json = join(mkdtempSync(join(tmpdir(), 'hexd-soak-')), 'soak.json');
  const result = spawnSync(NODE, ['load/soak/main.ts', '--minutes', '0.05', '--window-seconds', '1', '-c', '2', '--json', json],
    { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/soak: [\d,]+ correct replies; errors 0; RSS slope/);
  const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
  expect(report.options).toMatchObject({ variant: 'event-loop', connections: 2, windowSec: 1 });
  expect(report.windows.length).toBeGreaterThanOrEqual(2);
  expect(report.failures).toBe(0);
  expect(report.requests).toBeGreaterThan(0);
  // The server's own view of each window, from its /stats.
  expect(report.windows[0]).toMatchObject({ loopDelayP99Ms: expect.any(Number), utilisation: expect.any(Number) });
  expect(report.environment.command).toContain('--minutes 0.05');
});
