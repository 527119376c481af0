// Every server variant through the same cases: replies, pipelining, half-close, bad input, limits,
// concurrent clients, shutdown. What differs between variants is tested in test/variant-*.test.ts.

import { describe, expect, it } from 'vitest';
import { VARIANTS } from '../../servers/shared/options.ts';
import { LineClient } from '../../common/line-client.ts';
import { startServer } from '../helpers/servers.ts';

describe.each(VARIANTS)('%s server', (variant) => {
  it('answers a number with its hex, and keeps answering', async () => {
    const { port } = await startServer(variant);
    const client = await LineClient.connect(port);
    expect(await client.request('4312')).toBe('0x10d8');
    expect(await client.request('1234')).toBe('0x4d2');
    expect(await client.request('-255')).toBe('-0xff');
    expect(await client.request('0')).toBe('0x0');
    expect(await client.request(' +1_000\r')).toBe('0x3e8');
    expect(await client.request('٤٣١٢')).toBe('0x10d8');
    client.end();
    expect(await client.rest()).toEqual([]);
  });

  it('answers pipelined lines in order, and a number split across writes once', async () => {
    const { port } = await startServer(variant);
    const client = await LineClient.connect(port);
    const numbers = Array.from({ length: 500 }, (_, i) => i * 7919 - 1000);
    client.send(numbers.map((n) => `${n}\n`).join(''));
    const replies = await client.lines(numbers.length);
    expect(replies).toEqual(numbers.map((n) => (n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`)));

    client.send('43');
    client.send('1');
    client.send('2\r');
    client.send('\n');
    expect(await client.line()).toBe('0x10d8');
    client.end();
    await client.closed;
  });

  it('answers a last line without LF when the client half-closes', async () => {
    const { port } = await startServer(variant);
    const client = await LineClient.connect(port);
    client.send('1\n4312');
    client.end();
    expect(await client.rest()).toEqual(['0x1', '0x10d8']);
  });

  it('gives every bad line one error reply and stays usable', async () => {
    const { port } = await startServer(variant);
    const client = await LineClient.connect(port);
    const bad = ['0x10', '1.5', '1__0', '_1', '1_', '--1', '', 'hello', '１２x'];
    for (const line of bad) {
      const reply = await client.request(line);
      expect(reply, `reply to ${JSON.stringify(line)}`).toMatch(/^error: /);
    }
    client.send(Buffer.from([0x34, 0xff, 0xfe, 0x0a])); // invalid UTF-8 kills the blog's sync server
    expect(await client.line()).toMatch(/^error: .*UTF-8/);
    expect(await client.request('4312')).toBe('0x10d8');
  });

  it('enforces --max-digits and --max-line-bytes, then serves the next line', async () => {
    const { port } = await startServer(variant, { limits: { maxDigits: 20, maxLineBytes: 100 } });
    const client = await LineClient.connect(port);
    expect(await client.request('9'.repeat(20))).toBe(`0x${(10n ** 20n - 1n).toString(16)}`);
    expect(await client.request('9'.repeat(21))).toMatch(/^error: .*--max-digits/);
    client.send('1'.repeat(1000));
    expect(await client.line()).toMatch(/^error: .*--max-line-bytes/); // answered before the line ends
    client.send(`${'2'.repeat(5000)}\n`);
    expect(await client.request('4312')).toBe('0x10d8');
    expect(client.pending).toEqual([]);
  });

  it('serves several clients, each its own answers', async () => {
    const { port } = await startServer(variant);
    const clients = await Promise.all(Array.from({ length: 8 }, () => LineClient.connect(port)));
    // Each sends and half-closes at once, so even the blocking server gets through them in turn.
    clients.forEach((client, i) => {
      client.send(`${i}\n${i * 1000}\n`);
      client.end();
    });
    const replies = await Promise.all(clients.map((client) => client.rest()));
    expect(replies).toEqual(clients.map((_, i) => [`0x${i.toString(16)}`, `0x${(i * 1000).toString(16)}`]));
  });

  it('on close, answers what it has read, then ends every connection', async () => {
    const { server, port } = await startServer(variant);
    const client = await LineClient.connect(port);
    expect(await client.request('1')).toBe('0x1');
    client.send('2\n3\n');
    expect(await client.lines(2)).toEqual(['0x2', '0x3']);
    await Promise.all([server.close(), client.closed]);
    expect(server.connections).toBe(0);
  });
});
