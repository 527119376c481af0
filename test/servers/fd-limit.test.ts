// The start-up warning when `ulimit -n` cannot hold --max-clients.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { fdLimitWarning, openFilesLimit } from '../../servers/shared/fd-limit.ts';
import { serverOptions } from '../../servers/shared/options.ts';
import { NODE, ROOT } from '../helpers/servers.ts';

it('warns when the limit cannot hold --max-clients, by what a client costs the variant', () => {
  expect(fdLimitWarning('threads', serverOptions({}, 'threads'), 1024)).toBe(
    'hexd: warning: ulimit -n is 1024, but --max-clients 256 on threads needs about 2113 file descriptors (about 8 per client); raise it (ulimit -n 2113) or lower --max-clients to 119',
  );
  expect(fdLimitWarning('event-loop', serverOptions({ maxClients: 500 }), 1024)).toBeUndefined();
  expect(fdLimitWarning('event-loop', serverOptions({ maxClients: 0 }), 256)).toBeUndefined();
  expect(openFilesLimit()).toBeGreaterThan(0);
});

it('a threads server started under ulimit -n 512 says so on stderr', async () => {
  const child = spawn('sh', ['-c', `ulimit -n 512 && exec "${NODE}" servers/main.ts threads --port 0`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const [warning] = (await once(createInterface({ input: child.stderr }), 'line')) as [string];
  child.kill();
  await once(child, 'exit');
  expect(warning).toMatch(/^hexd: warning: ulimit -n is 512, but --max-clients 256 on threads needs about \d+ file descriptors/);
});
