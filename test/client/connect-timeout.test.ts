// The client gives up connecting after --connect-timeout-ms, with the line a kernel timeout would get,
// where an address drops its connects: here a real listener whose process is stopped (SIGSTOP) and
// whose accept queue (backlog 1) is full, so the kernel drops every further SYN.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { expect, it, onTestFinished } from 'vitest';
import { NODE } from '../helpers/servers.ts';
import { run } from '../helpers/processes.ts';

/** A port whose listener takes no more connections and refuses none: connects to it hang. */
async function silentPort(): Promise<number> {
  const listener = spawn(NODE, ['-e', "const s = require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  onTestFinished(() => void listener.kill('SIGKILL')); // a stopped process dies of SIGKILL too
  const [line] = (await once(createInterface({ input: listener.stdout }), 'line')) as [string];
  const port = Number(line);
  listener.kill('SIGSTOP');
  // Two connections fill a backlog of 1 (the kernel holds backlog + 1); the third waits, unanswered.
  const fillers = Array.from({ length: 3 }, () => net.connect(port, '127.0.0.1').on('error', () => {}));
  onTestFinished(() => fillers.forEach((socket) => socket.destroy()));
  await Promise.all(fillers.slice(0, 2).map((socket) => once(socket, 'connect')));
  return port;
}

it('gives up connecting after --connect-timeout-ms with one line that says so, and exits 2', async () => {
  const port = await silentPort();
  const started = performance.now();
  const { code, stdout, stderr } = await run(NODE, ['client/main.ts', '--port', String(port), '--connect-timeout-ms', '300', '1']);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toBe(`hexd-client: cannot connect to 127.0.0.1:${port}: timed out, nothing answered (is the address right? a firewall may drop the port)\n`);
  expect(performance.now() - started).toBeLessThan(30_000); // the kernel's own timeout would take about two minutes
});
