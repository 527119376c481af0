// The sweep's old spellings, kept for one release: `npm run bench -- --perf` and `-- --scenario` run the
// programs that are now npm run perf and npm run scenario, as child processes.

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasFor, aliasNotice } from '../../../load/bench/aliases.ts';
import { NODE, ROOT } from '../../helpers/servers.ts';

const PERF_NOTICE = 'hexd-bench: --perf is now npm run perf; this spelling goes in the next release\n';

describe('aliasFor', () => {
  it('hands any command line naming --scenario to the scenario program, whole', () => {
    expect(aliasFor(['--quick', '--scenario', 'io'])).toMatchObject({ flag: '--scenario', script: 'load/scenario/main.ts', args: ['--quick', '--scenario', 'io'] });
    expect(aliasFor(['--scenario=cpu'])).toMatchObject({ npmScript: 'scenario', args: ['--scenario=cpu'] });
    expect(aliasFor(['--quick', '--perf'])?.flag).toBe('--perf');
  });

  it('hands --perf to the perf program without the flag; the sweep is no alias', () => {
    expect(aliasFor(['--perf', '--quick', '--json', 'x.json'])).toEqual({ flag: '--perf', npmScript: 'perf', script: 'load/perf/main.ts', args: ['--quick', '--json', 'x.json'] });
    expect(aliasFor(['--quick', '--variants', 'node'])).toBeNull();
    expect(aliasNotice(aliasFor(['--perf'])!)).toBe(PERF_NOTICE);
  });
});

describe('npm run bench -- --perf', () => {
  it('runs npm run perf after one line on stderr, and passes on its exit status', () => {
    const help = spawnSync(NODE, ['load/bench/main.ts', '--perf', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: npm run perf -- [options]');
    expect(help.stderr).toBe(PERF_NOTICE);
    const bad = spawnSync(NODE, ['load/bench/main.ts', '--perf', '-d', '3'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`${PERF_NOTICE}hexd-perf: unknown option -d (see --help)\n`);
  });

  it('passes SIGTERM on to the program, which stops its servers, and ends with its status', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'hexd-alias-')), 'perf.json');
    const bench = spawn(NODE, ['load/bench/main.ts', '--perf', '--quick', '--json', json], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    bench.stderr.setEncoding('utf8');
    // The perf program logs its pinning once its signal handlers are in place.
    await new Promise<void>((resolve) => {
      bench.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('perf: pinning')) resolve();
      });
    });
    bench.kill('SIGTERM');
    const [code] = await once(bench, 'exit');
    expect(stderr.startsWith(PERF_NOTICE)).toBe(true);
    expect(code).toBe(143); // the perf program's own status on SIGTERM (docs/errors.md#signals), passed on
  });
});
