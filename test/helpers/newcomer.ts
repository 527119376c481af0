// What hardening tests ask of a server under attack: how long a newcomer waits for its first reply,
// and how a client's connection appears in the server's --verbose log.

import { expect } from 'vitest';
import { LineClient } from '../../common/line-client.ts';

/** A regex source matching the client's address as the server logs it. */
export function peerOf(client: LineClient): string {
  return `127\\.0\\.0\\.1:${client.socket.localPort}`;
}

/** Connects, asks 4312, checks the reply, leaves; resolves with the milliseconds it took. */
export async function timedRequest(port: number): Promise<number> {
  const started = performance.now();
  const client = await LineClient.connect(port);
  expect(await client.request('4312')).toBe('0x10d8');
  const waitedMs = performance.now() - started;
  client.end();
  await client.closed;
  return waitedMs;
}
