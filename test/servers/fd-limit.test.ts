// The start-up warning when `ulimit -n` cannot hold --max-clients.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { clientsWithinFdLimit, fdLimitWarning, openFilesLimit } from '../../servers/shared/fd-limit.ts';
import { serverOptions } from '../../servers/shared/options.ts';
import { NODE, ROOT } from '../helpers/servers.ts';

it('lowers --max-clients to what the limit holds, by what a client costs the variant, and says so', () => {
  const threads = serverOptions({}, 'threads');
  expect(clientsWithinFdLimit('threads', threads, 1024)).toBe(115);
  expect(fdLimitWarning('threads', threads, 1024)).toBe(
    'hexd: warning: ulimit -n is 1024, too few for --max-clients 256 on threads (about 8 per client): serving at most 115 clients at once and telling the rest the server is full; raise it (ulimit -n 2145) to serve 256',
  );
  const eventLoop = serverOptions({ maxClients: 500, listeners: 1 });
  expect(clientsWithinFdLimit('event-loop', eventLoop, 1024)).toBe(500);
  expect(fdLimitWarning('event-loop', eventLoop, 1024)).toBeUndefined();
  // 0 asks for no limit of hexd's own: the descriptors are the limit, without a warning.
  const unlimited = serverOptions({ maxClients: 0, listeners: 1 });
  expect(clientsWithinFdLimit('event-loop', unlimited, 256)).toBe(159);
  expect(fdLimitWarning('event-loop', unlimited, 256)).toBeUndefined();
  expect(openFilesLimit()).toBeGreaterThan(0);
});

it('a threads server started under ulimit -n 512 says so on stderr', async () => {
  const child = spawn('sh', ['-c', `ulimit -n 512 && exec "${NODE}" servers/main.ts threads --port 0`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const [warning] = (await once(createInterface({ input: child.stderr }), 'line')) as [string];
  child.kill();
  await once(child, 'exit');
  expect(warning).toMatch(/^hexd: warning: ulimit -n is 512, too few for --max-clients 256 on threads \(about 8 per client\): serving at most 51 clients at once/);
});
