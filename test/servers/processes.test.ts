// processes: one child process per client, owning that client's socket.

import { expect, it } from 'vitest';
import { once } from 'node:events';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';
import { childPids as children, readStatus } from '../../common/proc.ts';
import { Driven } from '../helpers/processes.ts';

it('runs each client in its own child process, which leaves with its client', async () => {
  const hexd = await spawnServer(['processes', '--port', '0', '--verbose']);
  const clients = [];
  for (let i = 1; i <= 3; i++) {
    const client = await LineClient.connect(hexd.port);
    expect(await client.request(String(i))).toBe(`0x${i}`);
    clients.push(client);
  }
  const pids = await children(hexd.pid);
  expect(pids).toHaveLength(3);
  // Each child logged serving its client under its own pid.
  for (const pid of pids) await hexd.stderrLine(new RegExp(`connected \\(process ${pid}\\)$`));

  for (const client of clients) {
    client.end();
    await client.closed;
  }
  await Promise.all(pids.map((pid) => hexd.stderrLine(new RegExp(`closed after 1 reply \\(process ${pid}\\)$`))));
});

it('a child that dies ends only its own client', async () => {
  const hexd = await spawnServer(['processes', '--port', '0']);
  const bystander = await LineClient.connect(hexd.port);
  expect(await bystander.request('1')).toBe('0x1');
  const victim = await LineClient.connect(hexd.port);
  expect(await victim.request('2')).toBe('0x2');
  const [, victimPid] = await children(hexd.pid);
  process.kill(victimPid!, 'SIGKILL');
  await victim.closed;
  expect(await bystander.request('4312')).toBe('0x10d8');
  const newcomer = await LineClient.connect(hexd.port);
  expect(await newcomer.request('255')).toBe('0xff');
});

it('a child whose server dies ends its client and exits, rather than live on as an orphan', async () => {
  const hexd = await spawnServer(['processes', '--port', '0']);
  const client = await LineClient.connect(hexd.port);
  expect(await client.request('1')).toBe('0x1');
  const [childPid] = await children(hexd.pid);
  hexd.child.kill('SIGKILL');
  await client.closed; // the orphaned child closed its client's connection...
  const state = async (): Promise<string> => (await readStatus(childPid!))?.state ?? 'gone';
  // ...and exits just after: look every 20 ms for at most 5 s (there is no exit event for a stranger's
  // child). A zombie has exited and waits only for its reaper.
  let seen = await state();
  for (let tries = 0; !['Z', 'X', 'gone'].includes(seen) && tries < 250; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen = await state();
  }
  expect(['Z', 'X', 'gone']).toContain(seen);
});

it('answers every line a client sends in separate writes while its child starts', async () => {
  const hexd = await spawnServer(['processes', '--port', '0']);
  const client = await LineClient.connect(hexd.port);
  // Each line its own packet, a few milliseconds apart: the first arrives before the child is
  // ready and later ones while it starts, so every one must reach the child.
  for (let i = 1; i <= 5; i++) {
    client.send(`${i}\n`);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the input's pacing, not a wait for state
  }
  expect(await client.lines(5)).toEqual(['0x1', '0x2', '0x3', '0x4', '0x5']);
  client.end();
  await client.closed;
});

it.each(['SIGTERM', 'SIGINT'] as const)('a second %s stops it with the shutdown lines alone, in the server and its children', async (signal) => {
  const hexd = await spawnServer(['processes', '--port', '0']);
  // nc keeps its side open when the server half-closes, so the shutdown waits on this client.
  const connected = new Driven('nc', ['127.0.0.1', String(hexd.port)]);
  connected.write('1\n');
  await connected.waitFor('0x1\n');
  hexd.child.kill(signal);
  await hexd.stderrLine(/^hexd: shutting down: waiting/);
  hexd.child.kill(signal);
  expect(await hexd.exited).toBe(0);
  // The children share the server's stderr: it closes once the last of them has gone.
  await once(hexd.child, 'close');
  expect(hexd.stderr).toEqual([
    expect.stringMatching(/^hexd: shutting down: waiting up to \d+ s for 1 connected client to finish/),
    `hexd: ${signal} again: stopping now`,
  ]);
});
