// Hardening: HTTP cannot hold a connection open by trickling. A request line still being sniffed is a
// line and must end within --line-timeout-ms; a request's headers must be complete within it too
// (node:http's headersTimeout, whose check hexd starts itself), else the connection is closed; on
// blocking the client waiting behind it is then served. A request line too long to sniff gets 414.
// Attacks the real server process.

import net from 'node:net';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';

const LINE_TIMEOUT_MS = 1_000;
/** The deadlines are checked every tenth of the timeout; the rest is a busy machine's slack. */
const CLOSE_SLACK_MS = 1_000;
const TRICKLE_EVERY_MS = 100;

interface Trickled {
  /** Everything the server sent, once it closed. */
  received: Promise<string>;
  /** When the server closed, in ms after the first byte. */
  closedAfterMs: Promise<number>;
}

/** Sends `head` at once, then one byte of `trickle` every TRICKLE_EVERY_MS, until the server closes. */
async function trickle(port: number, head: string, trickleText: string): Promise<Trickled> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const started = performance.now();
  socket.write(head);
  let next = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(trickleText[next++ % trickleText.length]!);
  }, TRICKLE_EVERY_MS);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => {
    clearInterval(timer);
    return performance.now() - started;
  });
  return { received: closed.then(() => Buffer.concat(chunks).toString('latin1')), closedAfterMs: closed };
}

it.for(['event-loop', 'threads'] as const)('%s: headers trickled a byte at a time are cut off after --line-timeout-ms with a 408', async (variant, { annotate }) => {
  const hexd = await spawnServer([variant, '--port', '0', '--line-timeout-ms', String(LINE_TIMEOUT_MS)]);
  const slow = await trickle(hexd.port, 'GET /4312 HTTP/1.1\r\nHost: x\r\n', 'X-Slow: y\r\n');
  const closedAfterMs = await slow.closedAfterMs;
  const received = await slow.received;
  await annotate(`${variant}: closed after ${closedAfterMs.toFixed(0)} ms: ${JSON.stringify(received.split('\r\n')[0])}`);
  expect(received.startsWith('HTTP/1.1 408 ')).toBe(true);
  expect(closedAfterMs).toBeLessThan(LINE_TIMEOUT_MS + CLOSE_SLACK_MS);
});

it('blocking: a request line sniffed a byte at a time is cut off, and the client waiting behind it is served', async ({ annotate }) => {
  const hexd = await spawnServer(['blocking', '--port', '0', '--line-timeout-ms', String(LINE_TIMEOUT_MS)]);
  const slow = await trickle(hexd.port, 'GET /', '1');
  const waiting = await LineClient.connect(hexd.port);
  waiting.send('4312\n');
  const closedAfterMs = await slow.closedAfterMs;
  expect(await waiting.line()).toBe('0x10d8');
  const received = await slow.received;
  await annotate(`blocking: sniffed line closed after ${closedAfterMs.toFixed(0)} ms: ${JSON.stringify(received)}`);
  expect(received).toMatch(/^error: line timeout/);
  expect(closedAfterMs).toBeLessThan(LINE_TIMEOUT_MS + CLOSE_SLACK_MS);
  waiting.end();
  await waiting.closed;
});

it('blocking: headers trickled a byte at a time free the only seat after --line-timeout-ms', async () => {
  const hexd = await spawnServer(['blocking', '--port', '0', '--line-timeout-ms', String(LINE_TIMEOUT_MS)]);
  const slow = await trickle(hexd.port, 'GET /4312 HTTP/1.1\r\nHost: x\r\n', 'X-Slow: y\r\n');
  const waiting = await LineClient.connect(hexd.port);
  waiting.send('255\n');
  expect(await waiting.line()).toBe('0xff');
  expect((await slow.received).startsWith('HTTP/1.1 408 ')).toBe(true);
  expect(await slow.closedAfterMs).toBeLessThan(LINE_TIMEOUT_MS + CLOSE_SLACK_MS);
  waiting.end();
  await waiting.closed;
});

it.for([
  ['whole', `GET /${'1'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
  ['without its end', `GET /${'1'.repeat(70_000)}`],
] as const)('event-loop: a request line past 8 KiB (%s) gets 414, not line-protocol errors', async ([, request]) => {
  const hexd = await spawnServer(['event-loop', '--port', '0']);
  const socket = net.connect(hexd.port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(request);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'close');
  const received = Buffer.concat(chunks).toString('latin1');
  expect(received).toMatch(/^HTTP\/1\.1 414 URI Too Long\r\n[^]*\r\n\r\nerror: request line longer than 8192 bytes\n$/);
});
