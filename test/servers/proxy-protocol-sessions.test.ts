// --proxy-protocol in every variant: the header read first (split or with the client's bytes), its
// client address in --verbose logs, a connection without one refused, and without the option a
// PROXY header is just a bad line.

import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { once } from 'node:events';
import { VARIANTS } from '../../servers/shared/options.ts';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer, startServer } from '../helpers/servers.ts';

const V1 = 'PROXY TCP4 192.0.2.1 10.77.0.2 56324 4312\r\n';
const SIGNATURE = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];
/** v2 PROXY over AF_INET/STREAM from 198.51.100.7:40000 to 10.77.0.3:4312, as HAProxy's send-proxy-v2 sends it. */
const V2 = Buffer.from([...SIGNATURE, 0x21, 0x11, 0x00, 0x0c, 198, 51, 100, 7, 10, 77, 0, 3, 0x9c, 0x40, 0x10, 0xd8]);
/** v2 LOCAL: HAProxy's own health-check connections. */
const V2_LOCAL = Buffer.from([...SIGNATURE, 0x20, 0x00, 0x00, 0x00]);

describe.each(VARIANTS)('%s with --proxy-protocol', (variant) => {
  it('reads a v2 header, then serves lines as always, the header alone or with lines in the same write', async () => {
    const { port } = await startServer(variant, { proxyProtocol: true });
    const alone = await LineClient.connect(port);
    alone.send(V2);
    expect(await alone.request('4312')).toBe('0x10d8');
    alone.end();
    expect(await alone.rest()).toEqual([]);

    const together = await LineClient.connect(port);
    together.send(Buffer.concat([V2_LOCAL, Buffer.from('1\n2\n255')]));
    together.end();
    expect(await together.rest()).toEqual(['0x1', '0x2', '0xff']);
  });

  it('reads a v1 header sent a byte at a time, and then HTTP as well as lines', async () => {
    const { port } = await startServer(variant, { proxyProtocol: true });
    const client = await LineClient.connect(port);
    for (const byte of Buffer.from(`${V1}43`)) client.send(Buffer.from([byte]));
    client.send('12\n');
    expect(await client.line()).toBe('0x10d8');
    client.end();
    await client.closed;

    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
    // write, not end: a FIN while node:http is first imported loses the request (a known gap, not the header's).
    socket.write(`${V1}GET /4312 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    await once(socket, 'close');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n0x10d8\n$/);
  });

  it('refuses a connection that does not start with a header: one error line, then closed', async () => {
    const { port } = await startServer(variant, { proxyProtocol: true });
    const client = await LineClient.connect(port);
    client.send('4312\n');
    const rest = await client.rest();
    expect(rest).toHaveLength(1);
    expect(rest[0]).toMatch(/^error: .*PROXY protocol header.*--proxy-protocol/);

    const bad = await LineClient.connect(port);
    bad.send('PROXY TCP4 192.0.2.1 10.77.0.2 99999 4312\r\n4312\n');
    expect(await bad.rest()).toEqual([expect.stringMatching(/^error: v1 header carries a port/)]);
  });

  it('closes a connection whose header does not end within --line-timeout-ms', async () => {
    const { port } = await startServer(variant, { proxyProtocol: true, lineTimeoutMs: 100 });
    const client = await LineClient.connect(port);
    client.send(V1.slice(0, 10));
    expect(await client.rest()).toEqual([expect.stringMatching(/^error: line timeout/)]);
  });

  it('logs the client address the header carries, and a refusal, with --verbose', async () => {
    const hexd = await spawnServer([variant, '--port', '0', '--proxy-protocol', '--verbose']);
    const client = await LineClient.connect(hexd.port);
    client.send(V2);
    expect(await client.request('4312')).toBe('0x10d8');
    client.end();
    await client.closed;
    expect(await hexd.stderrLine(/^198\.51\.100\.7:40000 connected \(via 127\.0\.0\.1:\d+, PROXY v2\)/)).toBeTruthy();
    expect(await hexd.stderrLine(/^198\.51\.100\.7:40000 closed after 1 reply/)).toBeTruthy();

    const direct = await LineClient.connect(hexd.port);
    direct.send('4312\n');
    await direct.rest();
    expect(await hexd.stderrLine(/^127\.0\.0\.1:\d+ refused: the connection does not start with a PROXY protocol header/)).toBeTruthy();
  });
});

describe.each(VARIANTS)('%s without --proxy-protocol', (variant) => {
  it('answers a PROXY v1 header as a bad line and goes on serving', async () => {
    const { port } = await startServer(variant);
    const client = await LineClient.connect(port);
    client.send(`${V1}4312\n`);
    expect(await client.line()).toMatch(/^error: /);
    expect(await client.line()).toBe('0x10d8');
  });
});
