// The line of clients waiting for their turn (servers/shared/waiting-line.ts), on real sockets.

import net, { type Socket } from 'node:net';
import { once } from 'node:events';
import { expect, it, onTestFinished } from 'vitest';
import { WaitingLine } from '../../servers/shared/waiting-line.ts';

/** Polls `check` until it holds: a reset reaches the server's socket with no event (it is not read). */
async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('lets go a waiting client that reset its connection, and keeps the others in their order', async () => {
  let changes = 0;
  const line = new WaitingLine(() => changes++);
  const server = net.createServer({ pauseOnConnect: true }, (socket) => line.join(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const clients: Socket[] = [];
  onTestFinished(() => {
    for (const client of clients) client.destroy();
    line.destroyAll();
    server.close();
  });
  for (let i = 0; i < 3; i++) {
    const client = net.connect(port, '127.0.0.1').on('error', () => {});
    await once(client, 'connect');
    clients.push(client);
  }
  await until(() => line.length === 3);
  const [resetting, second, third] = clients;
  resetting!.resetAndDestroy();
  await once(resetting!, 'close');

  await until(() => {
    line.dropReset();
    return line.length === 2;
  });
  expect(changes).toBe(4); // three joined, one let go
  expect(line.next()?.remotePort).toBe(second!.localPort);
  line.dropReset(); // the others did not reset: they stay
  expect(line.next()?.remotePort).toBe(third!.localPort);
});

it('a client that closed with a FIN is not taken for one that reset', async () => {
  const line = new WaitingLine(() => {});
  const server = net.createServer({ pauseOnConnect: true }, (socket) => line.join(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    line.destroyAll();
    server.close();
  });
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  await until(() => line.length === 1);
  client.end();
  await once(client, 'finish');
  line.dropReset();
  expect(line.length).toBe(1); // its bytes (and its FIN) wait unread for whoever serves it
  client.destroy();
});
