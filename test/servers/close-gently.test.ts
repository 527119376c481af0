// closeGently: the last line and FIN, then the client's FIN closes the socket; and at most `cap`
// sockets wait out their grace at once, so clients turned away in a burst cannot take every descriptor.

import net, { type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { expect, it, onTestFinished } from 'vitest';
import { capSocketsInGrace, closeGently } from '../../servers/shared/close-gently.ts';

/** A server whose accepted sockets are handed to the test, and clients connected to it. */
async function pairs(count: number): Promise<{ server: Socket; client: Socket; ended: Promise<unknown>; text: () => string }[]> {
  const accepted: Socket[] = [];
  const listener = net.createServer((socket) => accepted.push(socket)).listen(0, '127.0.0.1');
  await once(listener, 'listening');
  onTestFinished(() => void listener.close());
  const { port } = listener.address() as AddressInfo;
  const result = [];
  for (let i = 0; i < count; i++) {
    const client = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let text = '';
    client.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    client.on('error', () => {});
    const ended = once(client, 'end');
    await once(client, 'connect');
    while (accepted.length <= i) await once(listener, 'connection');
    onTestFinished(() => void client.destroy());
    result.push({ server: accepted[i]!, client, ended, text: () => text });
  }
  return result;
}

it('sends the last line and FIN, and closes on the client\'s FIN', async () => {
  const [pair] = await pairs(1);
  closeGently(pair!.server, 'error: bye\n');
  await pair!.ended;
  expect(pair!.text()).toBe('error: bye\n');
  pair!.client.end();
  await once(pair!.server, 'close');
});

it('lets at most `cap` sockets wait out their grace: past it the oldest is closed at once', async () => {
  capSocketsInGrace(2);
  onTestFinished(() => capSocketsInGrace(Number.POSITIVE_INFINITY));
  const [first, second, third] = await pairs(3);
  closeGently(first!.server, 'error: full\n', 60_000);
  closeGently(second!.server, 'error: full\n', 60_000);
  expect(first!.server.destroyed).toBe(false);
  closeGently(third!.server, 'error: full\n', 60_000);
  expect(first!.server.destroyed).toBe(true);
  expect([second!.server.destroyed, third!.server.destroyed]).toEqual([false, false]);
  await once(first!.server, 'close'); // long before its 60 s grace
  await first!.ended;
  expect(first!.text()).toBe('error: full\n');
});
