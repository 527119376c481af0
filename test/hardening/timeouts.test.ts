// Hardening: a client that trickles a line that never ends, or says nothing at all, is told why and
// closed by --line-timeout-ms / --idle-timeout-ms, while other clients are served (on blocking, the
// client waiting behind it is served once it is gone).

import { describe, expect, it } from 'vitest';
import type { Variant } from '../../servers/shared/options.ts';
import { LineClient } from '../../common/line-client.ts';
import { startServer } from '../helpers/servers.ts';

/** The variants the hardening issue covers (blocking, threads, event-loop). */
const HARDENED = ['blocking', 'threads', 'event-loop'] as const satisfies readonly Variant[];

const TIMEOUT_MS = 300;
const TRICKLE_EVERY_MS = 20;
/** How late a timeout may close its client; the sweep alone allows 10%, the rest is a loaded machine. */
const SLACK_MS = 2_000;

/** Sends one byte of a line that never ends every TRICKLE_EVERY_MS, until the connection closes. */
function trickle(client: LineClient): void {
  const timer = setInterval(() => client.send('7'), TRICKLE_EVERY_MS);
  void client.closed.then(() => clearInterval(timer));
}

/**
 * Runs `misbehave` on one client and checks the other is served: at once where clients are served
 * side by side (the bystander connects first and is answered while the other is still connected),
 * and on blocking only after the misbehaving client, which holds the only seat, has been closed.
 */
async function withBystander(
  variant: Variant,
  port: number,
  misbehave: (client: LineClient) => Promise<string[]>,
): Promise<{ transcript: string[]; elapsedMs: number }> {
  if (variant === 'blocking') {
    const client = await LineClient.connect(port);
    const startedMs = performance.now();
    const transcript = misbehave(client);
    const waiting = await LineClient.connect(port);
    waiting.send('4312\n');
    const result = { transcript: await transcript, elapsedMs: performance.now() - startedMs };
    expect(waiting.pending).toEqual([]); // nothing for the waiting client while the seat was held
    expect(await waiting.line()).toBe('0x10d8');
    expect(await waiting.request('-255')).toBe('-0xff');
    waiting.end();
    await waiting.closed;
    return result;
  }
  const bystander = await LineClient.connect(port);
  expect(await bystander.request('1')).toBe('0x1'); // on threads, its worker is up
  const client = await LineClient.connect(port);
  const startedMs = performance.now();
  let closed = false;
  void client.closed.then(() => (closed = true));
  const transcript = misbehave(client);
  expect(await bystander.request('4312')).toBe('0x10d8');
  expect(closed).toBe(false); // answered while the slow client was still connected
  const result = { transcript: await transcript, elapsedMs: performance.now() - startedMs };
  bystander.destroy(); // under --idle-timeout-ms it would be the next to go
  return result;
}

describe.each(HARDENED)('%s', (variant) => {
  it(`closes a client trickling a line without end after --line-timeout-ms ${TIMEOUT_MS}, and serves another`, async ({ annotate }) => {
    const { port } = await startServer(variant, { lineTimeoutMs: TIMEOUT_MS });
    const { transcript, elapsedMs } = await withBystander(variant, port, (client) => {
      trickle(client);
      return client.rest();
    });
    expect(transcript).toEqual([`error: line timeout: a line must end within ${TIMEOUT_MS} ms of its first byte (--line-timeout-ms)`]);
    await annotate(`${variant}: trickling client closed ${elapsedMs.toFixed(0)} ms after it connected (first byte at +${TRICKLE_EVERY_MS} ms)`);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });

  it(`closes a silent client after --idle-timeout-ms ${TIMEOUT_MS}, and serves another`, async ({ annotate }) => {
    const { port } = await startServer(variant, { idleTimeoutMs: TIMEOUT_MS });
    const { transcript, elapsedMs } = await withBystander(variant, port, (client) => client.rest());
    expect(transcript).toEqual(['error: idle timeout']);
    await annotate(`${variant}: silent client closed ${elapsedMs.toFixed(0)} ms after it connected`);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });
});
