// Hardening: the server listens on loopback unless told otherwise, and says so loudly when it is told
// to listen on every interface.

import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { Variant } from '../../servers/shared/options.ts';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer, type ServerProcess } from '../helpers/servers.ts';
import { listeningAddresses } from '../../common/proc.ts';

/** The variants the hardening issue covers (blocking, threads, event-loop). */
const HARDENED = ['blocking', 'threads', 'event-loop'] as const satisfies readonly Variant[];

const WARNING = /^hexd: warning: listening on every interface \(0\.0\.0\.0\)/;

/** Stops the server and returns its whole stderr (every line read once the process has closed). */
async function stop(hexd: ServerProcess): Promise<string[]> {
  const closed = once(hexd.child, 'close');
  hexd.child.kill('SIGTERM');
  await closed;
  expect(await hexd.exited).toBe(0);
  return hexd.stderr;
}

/** The distinct addresses listening on the port (a server may hold several sockets there). */
async function listenersOn(port: number): Promise<string[]> {
  return [...new Set(await listeningAddresses(port))];
}

async function answers(port: number): Promise<string> {
  const client = await LineClient.connect(port, { host: '127.0.0.1' });
  const reply = await client.request('4312');
  client.end();
  await client.closed;
  return reply;
}

describe.each(HARDENED)('%s', (variant) => {
  it('binds 127.0.0.1 by default, with no warning', async () => {
    const hexd = await spawnServer([variant, '--port', '0']);
    expect(hexd.readyLine).toBe(`listening on 127.0.0.1:${hexd.port} (${variant}, pid ${hexd.pid})`);
    expect(await listenersOn(hexd.port)).toEqual(['127.0.0.1']); // what the kernel says, too
    expect(await answers(hexd.port)).toBe('0x10d8');
    expect(await stop(hexd)).toEqual([]);
  });

  it('warns on stderr when given --host 0.0.0.0', async () => {
    const hexd = await spawnServer([variant, '--port', '0', '--host', '0.0.0.0']);
    expect(hexd.readyLine).toBe(`listening on 0.0.0.0:${hexd.port} (${variant}, pid ${hexd.pid})`);
    expect(await listenersOn(hexd.port)).toEqual(['0.0.0.0']);
    expect(await hexd.stderrLine(WARNING)).toMatch(/anyone who can reach this machine can connect/);
    expect(await answers(hexd.port)).toBe('0x10d8');
    const stderr = await stop(hexd);
    expect(stderr.filter((line) => WARNING.test(line))).toHaveLength(1);
  });
});
