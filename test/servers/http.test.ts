// Every variant answers HTTP on the same port: curl, fetch, keep-alive, HTTP/1.0, bad requests, and a
// short autocannon run that must serve everyone without an error.

import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { VARIANTS } from '../../servers/shared/options.ts';
import { answerHttp, createHttpFront } from '../../servers/shared/http-front.ts';
import { sniffHttp } from '../../servers/shared/http-sniff.ts';
import { defaultLimits } from '../../protocol/index.ts';
import { LineClient } from '../../common/line-client.ts';
import { startServer } from '../helpers/servers.ts';
import { run } from '../helpers/processes.ts';

const curl = (...args: string[]) => run('curl', ['-sS', '--max-time', '10', ...args]);

/** One raw connection: writes `request`, resolves with everything until the server closes. */
async function raw(port: number, request: string): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
  socket.end(request);
  await once(socket, 'close');
  return text;
}

describe.each(VARIANTS)('%s over HTTP', (variant) => {
  it('answers curl and fetch: 200 with the hex, 400 with the error, 404, 405, usage at /', async () => {
    const { port } = await startServer(variant);
    const base = `http://127.0.0.1:${port}`;
    // One fetch: undici opens a new connection per request when it likes, and blocking would make
    // each wait for the one before to close (a keep-alive holds blocking's only slot; README says so).
    const ok = await fetch(`${base}/-255`);
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/plain; charset=utf-8', '-0xff\n']);

    // One curl, one connection, many requests: status and body of each.
    const urls = ['/4312', `/${encodeURIComponent('٤٣١٢')}`, '/0x10', '/1/2', '/'].map((path) => `${base}${path}`);
    const answers = await curl('-w', '|%{http_code}\n', ...urls);
    const [hex, unicode, bad, deep, usage] = answers.stdout.split(/\|(\d{3})\n/).reduce<string[][]>((pairs, part, i, all) => {
      if (i % 2 === 0 && i + 1 < all.length) pairs.push([part, all[i + 1]!]);
      return pairs;
    }, []);
    expect(hex).toEqual(['0x10d8\n', '200']);
    expect(unicode).toEqual(['0x10d8\n', '200']);
    expect(bad).toEqual(['error: not a decimal integer: "0x10"\n', '400']);
    expect(deep![1]).toBe('404');
    expect(usage![0]).toMatch(/GET \/4312 +-> 0x10d8/);

    const post = await curl('-i', '-X', 'POST', '-d', '1', `${base}/1`);
    expect(post.stdout).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n[\s\S]*Allow: GET, HEAD\r\n/);
  });

  it('keeps a connection alive across requests, pipelined too, and speaks HTTP/1.0', async () => {
    const { port } = await startServer(variant);
    const reused = await curl('-w', ' %{num_connects}\n', `http://127.0.0.1:${port}/1`, `http://127.0.0.1:${port}/2`);
    expect(reused.stdout).toBe('0x1\n 1\n0x2\n 0\n'); // the second request opened no new connection

    const pipelined = await raw(port, 'GET /10 HTTP/1.1\r\nHost: x\r\n\r\nGET /11 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(pipelined.match(/\r\n\r\n(0x[0-9a-f]+)\n/g)?.map((s) => s.trim())).toEqual(['0xa', '0xb']);

    const http10 = await curl('-0', '-i', `http://127.0.0.1:${port}/16`);
    expect(http10.stdout).toMatch(/^HTTP\/1\.[01] 200 OK\r\n[\s\S]*\r\n\r\n0x10\n$/);
  });

  it('answers malformed HTTP with 400, and hurts no other client', async () => {
    const { port } = await startServer(variant);
    // The line protocol client arrives first, so even blocking serves it after the bad one leaves.
    const malformed = await raw(port, 'GET /1 HTTP/1.1\r\nHost x\r\n\r\n');
    expect(malformed).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const lines = await LineClient.connect(port);
    expect(await lines.request('4312')).toBe('0x10d8');
    lines.end();
    await lines.closed;
    expect((await fetch(`http://127.0.0.1:${port}/7`)).status).toBe(200);
  });

  it('serves a short autocannon run to everyone, with no errors and no non-2xx', async () => {
    // blocking serves one connection at a time, so autocannon gets one connection there.
    const connections = variant === 'blocking' ? 1 : 10;
    const { port } = await startServer(variant);
    const result = await autocannon({ url: `http://127.0.0.1:${port}/4312`, connections, amount: 2000, timeout: 10 });
    expect(result.errors).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result['2xx']).toBe(2000);
  });
});

describe('HTTP sniffing and routing, unit', () => {
  it('tells an HTTP request line from protocol lines', () => {
    expect(sniffHttp(Buffer.from('GET /1 HTTP/1.1\r\n'))).toBe('yes');
    expect(sniffHttp(Buffer.from('GET /1 HTTP/1.0\n'))).toBe('yes');
    expect(sniffHttp(Buffer.from('GET /1 HT'))).toBe('more');
    expect(sniffHttp(Buffer.from('4312\n'))).toBe('no');
    expect(sniffHttp(Buffer.from('-1\n'))).toBe('no');
    expect(sniffHttp(Buffer.from('GET 1\n'))).toBe('no');
    expect(sniffHttp(Buffer.from('Hello\n'))).toBe('no');
  });

  it('reads the path segment by the line rules and limits', () => {
    const limits = { maxDigits: 5, maxLineBytes: 20 };
    expect(answerHttp('GET', '/12345?x=1', limits)).toMatchObject({ status: 200, body: '0x3039\n' });
    expect(answerHttp('GET', '/123456', limits).body).toMatch(/^error: .*--max-digits/);
    expect(answerHttp('GET', `/${'1'.repeat(21)}`, limits).status).toBe(414);
    expect(answerHttp('GET', '/%E0%A4', limits)).toMatchObject({ status: 400 });
    expect(answerHttp('HEAD', '/1', defaultLimits()).status).toBe(200);
    expect(answerHttp('DELETE', '/1', defaultLimits()).status).toBe(405);
  });
});

it('answers a request whose FIN ended the stream before the HTTP front had it (the first request of a process)', async () => {
  const front = createHttpFront({ limits: defaultLimits(), keepAliveTimeoutMs: 5000, headersTimeoutMs: 5000, requestTimeoutMs: 5000 }, () => {});
  const accepted = Promise.withResolvers<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => accepted.resolve(socket)); // as hexd's servers
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  client.end('GET /4312 HTTP/1.1\r\nHost: hexd\r\n\r\n');
  const socket = await accepted.promise;
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'end'); // the whole request read, and the stream ended, as while node:http loaded
  socket.removeAllListeners('data');
  const response: Buffer[] = [];
  client.on('data', (chunk: Buffer) => response.push(chunk));
  front(socket, Buffer.concat(chunks));
  await once(client, 'close');
  server.close();
  expect(Buffer.concat(response).toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n0x10d8\n$/);
});
