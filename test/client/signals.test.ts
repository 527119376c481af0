// The client stopped by a signal while it waits for a reply: nothing more said, status 130 or 143.

import { expect, it, onTestFinished } from 'vitest';
import net from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { EXIT_SIGNALLED } from '../../common/errors.ts';
import { NODE } from '../helpers/servers.ts';
import { Driven } from '../helpers/processes.ts';

it.each(['SIGINT', 'SIGTERM'] as const)('%s while waiting for a reply: exit 128 + its number, with nothing on stderr', async (signal) => {
  // A server that takes the line and never answers, as a busy blocking server keeps a client waiting;
  // half-open, so the client's own half-close is not answered with a close either.
  const sockets: net.Socket[] = [];
  const silent = net.createServer({ allowHalfOpen: true }, (socket) => sockets.push(socket.resume())).listen(0, '127.0.0.1');
  await once(silent, 'listening');
  onTestFinished(() => new Promise<void>((resolve) => {
    silent.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  }));
  const connected = once(silent, 'connection');
  const client = new Driven(NODE, ['client/main.ts', '--port', String((silent.address() as AddressInfo).port), '1']);
  await connected;
  client.child.kill(signal);
  expect(await client.exited).toBe(EXIT_SIGNALLED[signal]);
  expect(client.output).toBe('');
});
