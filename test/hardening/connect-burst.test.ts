// Hardening: a burst of clients that connect and close at once costs processes and threads little: a
// client that leaves before its turn gets no child process or Worker, and a newcomer right after the
// burst is served within a second. On threads, which tells a client gone from one that waits by the
// kernel's view of the connection (servers/shared/departed-clients.ts), one in a hundred sends a line
// and closes its side at once: it must still be answered. (processes reads each waiting client's
// first bytes, and every sender would be a child process started, the newcomer's wait.) Attacks the
// real server process.

import net from 'node:net';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';
import { NEWCOMER_LIMIT_MS, waitFigure } from '../helpers/newcomer.ts';

const BURST = 4_000;
const LANES = 32;

const SENDER_EVERY = 100;

/**
 * BURST connect-and-close, LANES at a time, as fast as they go; resolves when the last has closed its
 * side, with the replies the senders among them will get (each its first line, or how it ended).
 */
async function connectAndCloseBurst(port: number, withSenders: boolean): Promise<Promise<string>[]> {
  let next = 0;
  const replies: Promise<string>[] = [];
  const lane = async (): Promise<void> => {
    while (next++ < BURST) {
      const sender = withSenders && next % SENDER_EVERY === 0;
      const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: sender });
      socket.on('error', () => {}); // a reset from a full server is part of the game
      if (sender) {
        let text = '';
        socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
        replies.push(new Promise((resolve) => socket.on('close', () => resolve(text.split('\n')[0] ?? ''))));
        socket.end('4312\n'); // a line and FIN together: it waits for its answer
        await once(socket, 'connect').catch(() => {});
        continue;
      }
      await once(socket, 'connect').catch(() => {});
      socket.destroy(); // FIN at once; the client does not wait for the server's side
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  return replies;
}

const CASES = [{ variant: 'processes', withSenders: false }, { variant: 'threads', withSenders: true }] as const;

it.for(CASES)('$variant: after 4,000 connect-and-close, a newcomer is served within 1 s', async ({ variant, withSenders }, { annotate }) => {
  const hexd = await spawnServer([variant, '--port', '0', '--verbose']);
  const burstStarted = performance.now();
  const senders = await connectAndCloseBurst(hexd.port, withSenders);
  const burstEnded = performance.now();
  const newcomer = await LineClient.connect(hexd.port);
  expect(await newcomer.request('4312')).toBe('0x10d8');
  const waitMs = performance.now() - burstEnded;
  newcomer.end();
  await newcomer.closed;
  const sessions = hexd.stderr.filter((line) => / connected \(/.test(line)).length;
  await annotate(`${variant}: ${BURST} connect-and-close in ${(burstEnded - burstStarted).toFixed(0)} ms; ${sessions} sessions started; newcomer served ${waitFigure(waitMs)} after the burst`);
  expect(waitMs).toBeLessThan(NEWCOMER_LIMIT_MS);
  expect(senders).toHaveLength(withSenders ? BURST / SENDER_EVERY : 0);
  expect(await Promise.all(senders)).toEqual(senders.map(() => '0x10d8'));
});
