// pool: the event loop stays responsive while a huge number converts on the worker pool.

import { expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { startServer } from '../helpers/servers.ts';
import { defaultMaxLineBytes, toPythonHex } from '../../protocol/index.ts';

const MILLION = 1_000_000;

it('answers small requests on other connections while a 1,000,000-digit number converts', async () => {
  const { port } = await startServer('pool', {
    limits: { maxDigits: MILLION, maxLineBytes: defaultMaxLineBytes(MILLION) },
    offloadMinBytes: 10_000,
  });
  const digits = `9${'1234567890'.repeat(MILLION / 10 - 1)}123456789`;
  const conversionStarted = performance.now();
  const expected = toPythonHex(BigInt(digits)); // the same conversion, here, to check the reply...
  const conversionMs = performance.now() - conversionStarted; // ...and to know what it costs

  const heavy = await LineClient.connect(port);
  const light = await LineClient.connect(port);
  heavy.send(`${digits}\n4312\n`); // the small one waits behind the big one: replies keep their order
  let heavyDone = false;
  const heavyReplies = heavy.lines(2).finally(() => (heavyDone = true));

  // Meanwhile the event loop keeps answering the other connection, each in less than the
  // conversion's time; done on the loop itself, the first of them would wait the whole conversion
  // and more (the line's transfer too). Less than all of it, not a fraction, so that a machine busy
  // with other tests cannot fail it.
  const latenciesMs: number[] = [];
  for (let i = 0; !heavyDone || i === 0; i++) {
    const sent = performance.now();
    expect(await light.request(String(i))).toBe(`0x${i.toString(16)}`);
    latenciesMs.push(performance.now() - sent);
  }
  expect(await heavyReplies).toEqual([expected, '0x10d8']);
  expect(latenciesMs.length).toBeGreaterThan(1);
  expect(Math.max(...latenciesMs)).toBeLessThan(conversionMs);
});

it('keeps replies in request order when only some lines go to the pool', async () => {
  const { port } = await startServer('pool', { offloadMinBytes: 20 });
  const client = await LineClient.connect(port);
  const lines = ['1', '9'.repeat(30), '2', '8'.repeat(40), 'x', '3'];
  client.send(lines.map((line) => `${line}\n`).join(''));
  const replies = await client.lines(lines.length);
  expect(replies).toEqual(['0x1', toPythonHex(10n ** 30n - 1n), '0x2', toPythonHex(BigInt('8'.repeat(40))), 'error: not a decimal integer: "x"', '0x3']);
});
