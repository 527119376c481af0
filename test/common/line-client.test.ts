// common/line-client.ts against small servers in this process: lines however TCP cuts them, the last
// line without its LF, iteration until close, and connection failures told in one line.

import net, { type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LineClient, describeConnectionError } from '../../common/line-client.ts';
import { NODE } from '../helpers/servers.ts';
import { run } from '../helpers/processes.ts';

/** A server on a free port that hands each connection to `serve`; closed when the test ends. */
async function server(serve: (socket: Socket) => void): Promise<number> {
  const listener = net.createServer(serve).listen(0, '127.0.0.1');
  await once(listener, 'listening');
  onTestFinished(() => new Promise<void>((resolve) => listener.close(() => resolve())));
  return (listener.address() as AddressInfo).port;
}

describe('LineClient', () => {
  it('reassembles lines cut anywhere, keeps a last line without LF, and says the close was clean', async () => {
    const port = await server((socket) => {
      socket.write('0x');
      socket.write('1\n0x2\n0');
      socket.end('x3');
    });
    const client = await LineClient.connect(port);
    expect(await client.lines(2)).toEqual(['0x1', '0x2']);
    expect(await client.rest()).toEqual(['0x3']);
    expect(client.failure).toBeNull();
    await expect(client.line()).rejects.toThrow(/connection closed after 0 of 1 lines/);
  });

  it('answers a request with its reply line', async () => {
    const port = await server((socket) => socket.setEncoding('utf8').on('data', (text: string) => socket.write(`got ${text}`)));
    const client = await LineClient.connect(port, { host: '127.0.0.1' });
    expect(await client.request('4312')).toBe('got 4312');
    expect(client.pending).toEqual([]);
    client.destroy();
  });

  it('iterates the lines as they come until the server closes', async () => {
    const port = await server((socket) => {
      socket.write('a\nb\n');
      setImmediate(() => socket.end('c\n'));
    });
    const client = await LineClient.connect(port);
    const seen: string[] = [];
    for await (const line of client) seen.push(line);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('reads UTF-8 by default, and latin1 (one character per byte) when asked', async () => {
    const port = await server((socket) => socket.end(Buffer.from('é\n', 'utf8')));
    expect(await (await LineClient.connect(port)).rest()).toEqual(['é']);
    expect(await (await LineClient.connect(port, { encoding: 'latin1' })).rest()).toEqual(['\u00c3\u00a9']);
  });

  it('tells a reset as a ConnectionError once closed', async () => {
    const port = await server((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const client = await LineClient.connect(port);
    client.send('1\n');
    await client.closed;
    expect(client.failure).toMatchObject({ code: 'HEXD_CONNECTION', message: `connection to 127.0.0.1:${port} was reset by the server` });
  });

  it('refuses with a ConnectionError that says what to do', async () => {
    const port = await server(() => {});
    const unused = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    expect(unused).not.toBe(port);
    await expect(LineClient.connect(unused)).rejects.toMatchObject({
      code: 'HEXD_CONNECTION',
      message: `cannot connect to 127.0.0.1:${unused}: connection refused (is a server running? try npm start)`,
    });
  });
});

describe('LineClient with a signal', () => {
  it('stops waiting for a reply when the signal aborts, but hands over lines that came before', async () => {
    const port = await server((socket) => socket.write('early\n'));
    const client = await LineClient.connect(port, { signal: AbortSignal.timeout(100) });
    onTestFinished(() => client.destroy());
    await expect(client.lines(2)).rejects.toThrow(`no reply from 127.0.0.1:${port} before the deadline`);
    expect(await client.line()).toBe('early');
    await expect(client.line()).rejects.toThrow('before the deadline');
  });

  it('does not connect past the deadline', async () => {
    const port = await server(() => {});
    await expect(LineClient.connect(port, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'HEXD_CONNECTION',
      message: `cannot connect to 127.0.0.1:${port} before the deadline`,
    });
  });
});

describe('describeConnectionError', () => {
  const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
  it('says each failure in one line, an IPv6 host in brackets', () => {
    expect(describeConnectionError(error('EPIPE'), '::1', 1).message).toBe('connection to [::1]:1 was reset by the server');
    expect(describeConnectionError(error('ENOTFOUND'), 'nowhere', 2).message).toBe('cannot connect to nowhere:2: unknown host nowhere');
    expect(describeConnectionError(error('EPROTO'), '10.0.0.1', 3).message).toBe('connection to 10.0.0.1:3 failed: EPROTO');
  });

  it.each([
    ['ENETUNREACH', /^cannot connect to \[2001:db8::1\]:4: network unreachable, .*is the address right\? a server on this machine is 127\.0\.0\.1 or ::1/],
    ['EHOSTUNREACH', /^cannot connect to \[2001:db8::1\]:4: host unreachable, .*is the address right/],
    ['ETIMEDOUT', /^cannot connect to \[2001:db8::1\]:4: timed out, nothing answered \(is the address right\?/],
    ['EADDRNOTAVAIL', /^cannot connect to \[2001:db8::1\]:4: .*no local port .*wait a minute/],
  ])('says what %s means and what to do, as a HEXD_CONNECTION', (code, message) => {
    const described = describeConnectionError(error(code), '2001:db8::1', 4);
    expect(described.code).toBe('HEXD_CONNECTION');
    expect(described.message).toMatch(message);
  });
});

// Linux refuses a TCP connect to a multicast or broadcast address with ENETUNREACH, at once and
// whatever the machine's network: a route that is always missing.
const UNREACHABLE = '224.0.0.1';

describe('an unreachable network, as a person meets it', () => {
  it.each([
    ['the client', 'hexd-client', ['client/main.ts', '--host', UNREACHABLE, '--port', '65432', '1']],
    ['the load tester', 'hexd-load', ['load/tester/main.ts', '--target', `${UNREACHABLE}:65432`, '--allow-remote', '-d', '1']],
  ])('%s: one line that says what it means and what to do, exit 2', async (_name, program, args) => {
    const ran = await run(NODE, args);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toBe(`${program}: cannot connect to ${UNREACHABLE}:65432: network unreachable, this machine has no route to ${UNREACHABLE} (is the address right? a server on this machine is 127.0.0.1 or ::1)\n`);
  });
});
