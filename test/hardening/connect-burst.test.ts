// Hardening: a burst of clients that connect and close at once costs processes and threads little: a
// client that leaves before its turn gets no child process or Worker, and a newcomer right after the
// burst is served within a second. Attacks the real server process.

import net from 'node:net';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';
import { NEWCOMER_LIMIT_MS, waitFigure } from '../helpers/newcomer.ts';

const BURST = 4_000;
const LANES = 32;

/** BURST connect-and-close, LANES at a time, as fast as they go; resolves when the last has closed its side. */
async function connectAndCloseBurst(port: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next++ < BURST) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => {}); // a reset from a full server is part of the game
      await once(socket, 'connect').catch(() => {});
      socket.destroy(); // FIN at once; the client does not wait for the server's side
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
}

it.for(['processes'] as const)('%s: after 4,000 connect-and-close, a newcomer is served within 1 s', async (variant, { annotate }) => {
  const hexd = await spawnServer([variant, '--port', '0', '--verbose']);
  const burstStarted = performance.now();
  await connectAndCloseBurst(hexd.port);
  const burstEnded = performance.now();
  const newcomer = await LineClient.connect(hexd.port);
  expect(await newcomer.request('4312')).toBe('0x10d8');
  const waitMs = performance.now() - burstEnded;
  newcomer.end();
  await newcomer.closed;
  const sessions = hexd.stderr.filter((line) => / connected \(/.test(line)).length;
  await annotate(`${variant}: ${BURST} connect-and-close in ${(burstEnded - burstStarted).toFixed(0)} ms; ${sessions} sessions started; newcomer served ${waitFigure(waitMs)} after the burst`);
  expect(waitMs).toBeLessThan(NEWCOMER_LIMIT_MS);
});
