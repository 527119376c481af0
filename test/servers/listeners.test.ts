// --listeners: several listening sockets on one port (SO_REUSEPORT), and the port still claimed as
// by one socket: another hexd, or any server that does not itself ask for SO_REUSEPORT, gets
// EADDRINUSE.

import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { once } from 'node:events';
import { DEFAULT_LISTENERS, VARIANTS } from '../../servers/shared/options.ts';
import { LineClient } from '../../common/line-client.ts';
import { listeningAddresses } from '../../common/proc.ts';
import { startServer } from '../helpers/servers.ts';

/** Listening sockets the kernel holds on the port. */
const socketsOn = async (port: number): Promise<number> => (await listeningAddresses(port)).length;

describe('listening sockets', () => {
  it.each(VARIANTS.filter((v) => v !== 'cluster'))('%s holds its default number of sockets on the port', async (variant) => {
    const { port } = await startServer(variant);
    expect(await socketsOn(port)).toBe(DEFAULT_LISTENERS[variant]);
  });

  it('holds what --listeners asks for, and none once closed', async () => {
    const { server, port } = await startServer('event-loop', { listeners: 3 });
    expect(await socketsOn(port)).toBe(3);
    await server.close();
    expect(await socketsOn(port)).toBe(0);
  });

  it('serves connections that arrive on every socket, one model counting them all', async () => {
    const { server, port } = await startServer('event-loop', { listeners: 4 });
    // The kernel spreads connections over the sockets by a hash of their ports: 200 reach all four.
    const clients = await Promise.all(Array.from({ length: 200 }, () => LineClient.connect(port)));
    await server.untilConnections(200);
    const replies = await Promise.all(clients.map((client, i) => client.request(String(i))));
    expect(replies).toEqual(clients.map((_, i) => `0x${i.toString(16)}`));
    for (const client of clients) client.end();
    await server.untilConnections(0);
  });
});

describe('the port stays claimed', () => {
  it('a second hexd on the port of a many-socket server fails with HEXD_PORT_IN_USE', async () => {
    const { port } = await startServer('event-loop');
    await expect(startServer('event-loop', { port })).rejects.toMatchObject({ code: 'HEXD_PORT_IN_USE' });
    await expect(startServer('threads', { port })).rejects.toMatchObject({ code: 'HEXD_PORT_IN_USE' });
    expect(await socketsOn(port)).toBe(DEFAULT_LISTENERS['event-loop']);
  });

  it('a many-socket server cannot join a port a plain server holds', async () => {
    const plain = net.createServer().listen(0, '127.0.0.1');
    await once(plain, 'listening');
    const { port } = plain.address() as net.AddressInfo;
    await expect(startServer('event-loop', { port })).rejects.toMatchObject({ code: 'HEXD_PORT_IN_USE' });
    expect(await socketsOn(port)).toBe(1);
    plain.close();
  });
});
