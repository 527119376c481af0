// The reference server of `npm run perf` (the plainest Node server, the ceiling) started as
// perf starts it: it must answer right, pipelined or split across packets, or the ceiling is false.

import net from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { expectReply } from '../../../load/harness/checker.ts';
import { loadOptions } from '../../../load/harness/load-options.ts';
import { ROOT } from '../../../load/harness/peers.ts';
import { referenceServer } from '../../../load/perf/servers.ts';
import { runLoad } from '../../../load/harness/run.ts';
import { startServerProcess, type ServerProcess } from '../../../load/harness/server-process.ts';
import { DEFAULT_MAX_DIGITS } from '../../../protocol/index.ts';

async function startReference(): Promise<ServerProcess> {
  const spec = referenceServer();
  const server = await startServerProcess(spec.command, spec.args, { cwd: ROOT });
  onTestFinished(() => server.stop());
  return server;
}

/** Sends `parts` one write each (a pause between), half-closes, and returns everything received. */
async function exchange(port: number, parts: readonly string[]): Promise<string> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (text: string) => (received += text));
  for (const part of parts) {
    socket.write(part);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const expectedLines = parts.join('').split('\n').length - 1;
  while (received.split('\n').length - 1 < expectedLines) await once(socket, 'data');
  socket.destroy();
  return received;
}

describe('load/perf/reference-server.ts', () => {
  it('prints the ready line and answers as Python hex() does', async () => {
    const server = await startReference();
    expect(server.variant).toBe('reference');
    const numbers = ['4312', '1234', '0', '-255', '12345678901234567890123456789', '-98765432109876543210'];
    const replies = await exchange(server.port, [numbers.map((n) => `${n}\n`).join('')]);
    expect(replies).toBe(numbers.map((n) => `${expectReply(n, DEFAULT_MAX_DIGITS).reply}\n`).join(''));
  });

  it('frames by line: a number split across packets is one request', async () => {
    const server = await startReference();
    expect(await exchange(server.port, ['43', '12\n-2', '55\n'])).toBe('0x10d8\n-0xff\n');
  });

  it('answers a pipelined load test with no wrong reply', async () => {
    const server = await startReference();
    const summary = await runLoad(loadOptions({ host: server.host, port: server.port }, { connections: 4, pipeline: 16, durationSec: 0.3 }));
    expect(summary.passed).toBe(true);
    expect(summary.replies.ok).toBeGreaterThan(100);
  });

  it('stays the plainest server: about 20 lines of code', () => {
    const code = readFileSync(new URL('../../../load/perf/reference-server.ts', import.meta.url), 'utf8')
      .split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(22);
  });
});
