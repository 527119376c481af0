// A churn of short clients: each connects, asks one number, checks the reply and leaves, a fixed
// number of them at a time, until a count is reached or time is up. What a thread-per-client server
// pays per client (a Worker's start, or a reused Worker's hand-over) shows here as clients per second.

import { connect, type Socket } from 'node:net';
import { expectReply } from '../harness/checker.ts';
import { DEFAULT_MAX_DIGITS } from '../../protocol/index.ts';

export interface ChurnFigure {
  /** Clients that got their right reply. */
  served: number;
  /** Clients that failed: no connection, a wrong reply, or no reply before the end. */
  failed: number;
  seconds: number;
  clientsPerSec: number;
}

export interface ChurnSpec {
  host: string;
  port: number;
  clients: number;
  concurrency: number;
  /** Stops starting clients after this long (those under way still finish, up to a second more). */
  maxSeconds: number;
}

/** One short client: connect, one request, the reply checked, close. Resolves whether it was right. */
function oneClient(host: string, port: number, n: number): Promise<boolean> {
  const request = `${n}\n`;
  const expected = `${expectReply(String(n), DEFAULT_MAX_DIGITS).reply}\n`;
  return new Promise((resolve) => {
    let got = '';
    let settled = false;
    const socket: Socket = connect({ host, port, noDelay: true });
    const settle = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(10_000, () => settle(false));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      if (got.endsWith('\n')) settle(got === expected);
    });
    socket.on('error', () => settle(false));
    socket.on('close', () => settle(false));
  });
}

export async function churn(spec: ChurnSpec): Promise<ChurnFigure> {
  const started = performance.now();
  const stopAt = started + spec.maxSeconds * 1000;
  let next = 0;
  let served = 0;
  let failed = 0;
  async function lane(): Promise<void> {
    while (next < spec.clients && performance.now() < stopAt) {
      const n = next++;
      if (await oneClient(spec.host, spec.port, 4312 + n)) served++;
      else failed++;
    }
  }
  await Promise.all(Array.from({ length: spec.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { served, failed, seconds, clientsPerSec: served / seconds };
}
