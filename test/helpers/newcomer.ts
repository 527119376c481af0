// What hardening tests ask of a server under attack: how long a newcomer waits for its first reply,
// and how a client's connection appears in the server's --verbose log.

import { expect } from 'vitest';
import { LineClient } from '../../common/line-client.ts';

/** The documented target (docs/limits.md): a newcomer beside an attack is answered within this. */
const NEWCOMER_TARGET_MS = 1_000;
/**
 * What fails a test: three times the target. The figure against the target is printed by each test
 * (`waitFigure`); timings on a shared CI machine have run to 1.6 s where this one measures 0.2 s, and
 * the failures these tests were written for took 4 to 72 s.
 */
export const NEWCOMER_LIMIT_MS = 3 * NEWCOMER_TARGET_MS;

/** A newcomer's wait for the record, marked when it missed the target. */
export function waitFigure(waitedMs: number): string {
  return `${waitedMs.toFixed(0)} ms${waitedMs < NEWCOMER_TARGET_MS ? '' : ` (over the ${NEWCOMER_TARGET_MS} ms target)`}`;
}

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
