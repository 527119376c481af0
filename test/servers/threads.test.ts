// threads: one worker thread per client, owning that client's socket.

import os from 'node:os';
import { expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer, startServer } from '../helpers/servers.ts';
import { threadCount } from '../helpers/proc.ts';
import { readThreadStats } from '../../common/proc.ts';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_WORKER, RELEASE_FILE_ENV, THROW_IN_WORKER, TEST_HOOKS_ENV } from '../../servers/shared/test-hooks.ts';
import { serverOptions } from '../../servers/shared/options.ts';
import { MAX_STARTING, workerResourceLimits } from '../../servers/threads/server.ts';
import { THREADS_V8_FLAGS } from '../../servers/threads/runtime-tuning.ts';

it('adds one thread per connected client and removes it when the client leaves', async () => {
  const { server, port } = await startServer('threads', { lingerMs: 0 });
  const base = await threadCount();
  const clients = [];
  for (let i = 1; i <= 5; i++) {
    const client = await LineClient.connect(port);
    expect(await client.request(String(i))).toBe(`0x${i}`); // its worker is up and serving
    clients.push(client);
    expect(await threadCount()).toBe(base + i);
  }
  for (const [i, client] of clients.entries()) {
    client.end();
    await client.closed;
    await server.untilConnections(clients.length - i - 1);
    await untilThreads(base + clients.length - i - 1);
  }
});

it('keeps answering clients while the main thread is busy: the I/O is in the workers', async () => {
  const releaseFile = join(await mkdtemp(join(tmpdir(), 'hexd-')), 'release');
  const hexd = await spawnServer(['threads', '--port', '0'], { [TEST_HOOKS_ENV]: '1', [RELEASE_FILE_ENV]: releaseFile });
  const clients = await Promise.all([1, 2, 3].map(() => LineClient.connect(hexd.port)));
  for (const client of clients) expect(await client.request('1')).toBe('0x1');

  hexd.child.kill('SIGUSR2');
  await hexd.stderrLine(/main thread busy/);
  // The main thread spins until the release file exists, which is only created after these replies.
  const replies = await Promise.all(clients.map((client, i) => client.request(String(4312 + i))));
  expect(replies).toEqual(['0x10d8', '0x10d9', '0x10da']);
  expect(hexd.stderr.some((line) => /main thread free/.test(line))).toBe(false);
  await writeFile(releaseFile, '');
  await hexd.stderrLine(/main thread free/);
});

it('a worker that fails ends only its own client, with an error line where it can', async () => {
  const hexd = await spawnServer(['threads', '--port', '0'], { [TEST_HOOKS_ENV]: '1' });
  const bystander = await LineClient.connect(hexd.port);
  expect(await bystander.request('1')).toBe('0x1');

  const throwing = await LineClient.connect(hexd.port);
  expect(await throwing.request('2')).toBe('0x2');
  throwing.send(`${THROW_IN_WORKER}\n`);
  const last = await throwing.rest();
  expect(last.at(-1)).toMatch(/^error: internal error/);

  const exiting = await LineClient.connect(hexd.port);
  expect(await exiting.request('3')).toBe('0x3');
  exiting.send(`${EXIT_WORKER}\n`);
  await exiting.closed;

  expect(await bystander.request('4312')).toBe('0x10d8');
  const newcomer = await LineClient.connect(hexd.port);
  expect(await newcomer.request('255')).toBe('0xff');
  expect(hexd.child.exitCode).toBe(null);
});

it('gives every worker explicit resource limits', () => {
  const limits = workerResourceLimits(serverOptions());
  expect(limits.maxOldGenerationSizeMb).toBeGreaterThan(0);
  expect(limits.maxYoungGenerationSizeMb).toBeGreaterThan(0);
  expect(limits.stackSizeMb).toBeGreaterThan(0);
});

it('with --spare, clients take Workers started ahead, and the spares are refilled', async () => {
  const { server, port } = await startServer('threads', { spareWorkers: 2, lingerMs: 0 });
  const base = await threadCount();
  const clients = [];
  for (let i = 1; i <= 3; i++) {
    const client = await LineClient.connect(port);
    expect(await client.request(String(i))).toBe(`0x${i}`);
    clients.push(client);
  }
  expect(server.connections).toBe(3);
  for (const client of clients) client.end();
  await server.untilConnections(0);
  // Only the spares are left running, however many clients came and went.
  await Promise.all(clients.map((client) => client.closed));
  await untilThreads(base);
});

/** The nice value of each thread of this process (the in-process server's Workers are among them). */
async function niceValues(): Promise<number[]> {
  return (await readThreadStats('self')).map((stat) => stat.nice);
}

it('a serving thread yields to new clients: once its client sends again it runs at nice 19, the main thread at 0', async () => {
  const { server, port } = await startServer('threads', { spareWorkers: 1 });
  const before = await niceValues();
  expect(before.filter((nice) => nice === 19)).toEqual([]); // the spare waits at normal priority
  const client = await LineClient.connect(port);
  expect(await client.request('4312')).toBe('0x10d8');
  // Not after its first line: a client that asks once and leaves keeps its thread at normal priority.
  expect((await niceValues()).filter((nice) => nice === 19)).toEqual([]);
  // The worker lowers its priority right after answering the second read: once a third reply has
  // come, that has happened.
  expect(await client.request('1')).toBe('0x1');
  expect(await client.request('2')).toBe('0x2');
  expect((await niceValues()).filter((nice) => nice === 19)).toHaveLength(1);
  expect(os.getPriority()).toBe(0);
  client.end();
  await server.untilConnections(0);
  await client.closed;
});

it(`a flood of clients waits in line for Workers, at most ${MAX_STARTING} starting at once, and every one is served`, async () => {
  const { server, port } = await startServer('threads', { maxClients: 0 });
  const base = await threadCount();
  const count = MAX_STARTING + 36;
  const clients = await Promise.all(Array.from({ length: count }, () => LineClient.connect(port)));
  await server.untilConnections(count); // served or waiting, every one is counted
  const replies = await Promise.all(clients.map((client, i) => client.request(String(i))));
  expect(replies).toEqual(clients.map((_, i) => `0x${i.toString(16)}`));
  expect(await threadCount()).toBe(base + count);
  for (const client of clients) client.end();
  await server.untilConnections(0);
  await Promise.all(clients.map((client) => client.closed));
});

/** The thread id each `connected (thread N)` line of a --verbose server names, in order. */
const servingThreads = (stderr: readonly string[]): string[] =>
  stderr.flatMap((line) => /connected \(thread (\d+)\)/.exec(line)?.[1] ?? []);

/** The ids of this process's threads (the in-process server's Workers are among them). */
async function threadIds(): Promise<string> {
  return (await readdir('/proc/self/task')).sort().join(' ');
}

it('reuses Workers: a thread whose client left serves the next client, and only --spare idle ones stay', async () => {
  const { server, port } = await startServer('threads', { spareWorkers: 1, lingerMs: 0 });
  const base = await threadCount(); // the spare among them
  const seen = new Set<string>();
  for (let i = 1; i <= 4; i++) {
    const client = await LineClient.connect(port);
    expect(await client.request(String(i))).toBe(`0x${i}`);
    expect(await threadCount()).toBe(base); // the spare serves it: no thread started
    seen.add(await threadIds());
    client.end();
    await client.closed;
    await server.untilConnections(0); // its Worker is back as the spare
    expect((await niceValues()).filter((nice) => nice === 19)).toEqual([]); // and at normal priority again
  }
  // The same threads throughout: each client was served by the thread the one before it left.
  expect(seen.size).toBe(1);
  // Two at once: the spare serves one and a new thread the other; when both leave, one stays idle.
  const [a, b] = await Promise.all([LineClient.connect(port), LineClient.connect(port)]);
  expect(await a.request('10')).toBe('0xa');
  expect(await b.request('11')).toBe('0xb');
  expect(await threadCount()).toBe(base + 1);
  a.end();
  b.end();
  await Promise.all([a.closed, b.closed]);
  await server.untilConnections(0); // the second Worker has exited: no room among the spares
  await untilThreads(base);
});

it('a Worker whose client left lingers --linger-ms for the next client, who skips its start, then exits', async () => {
  const { server, port } = await startServer('threads', { lingerMs: 300 });
  const base = await threadCount();
  const ids: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const client = await LineClient.connect(port);
    expect(await client.request(String(i))).toBe(`0x${i}`);
    expect(await threadCount()).toBe(base + 1); // the first one's Worker, every time
    ids.push(await threadIds());
    client.end();
    await client.closed;
    await server.untilConnections(0);
  }
  expect(new Set(ids).size).toBe(1);
  await untilThreads(base); // exits, unused, once --linger-ms has passed
});

it('with --no-reuse, each client gets a thread of its own, which exits when the client leaves', async () => {
  const hexd = await spawnServer(['threads', '--port', '0', '--spare', '1', '--verbose', '--no-reuse']);
  for (let i = 1; i <= 3; i++) {
    const client = await LineClient.connect(hexd.port);
    expect(await client.request(String(i))).toBe(`0x${i}`);
    client.end();
    await client.closed;
  }
  await until(() => servingThreads(hexd.stderr).length >= 3);
  expect(new Set(servingThreads(hexd.stderr)).size).toBe(3);
});

/**
 * Waits until the process has `expected` threads, and fails if it ever has fewer. A Worker's 'exit'
 * comes once its thread is joined, but the kernel still counts a joined thread in `Threads:` until it
 * has finished exiting, for a moment longer on a busy machine.
 */
async function untilThreads(expected: number): Promise<void> {
  await until(async () => {
    const threads = await threadCount();
    if (threads < expected) throw new Error(`${threads} threads, fewer than the ${expected} expected`);
    return threads === expected;
  });
}

/** Polls `check` until it holds (a thread's exit is not announced to the client). */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function startedWith(pid: number): Promise<{ args: string[]; env: string[] }> {
  const [cmdline, environ] = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8'), readFile(`/proc/${pid}/environ`, 'utf8')]);
  return { args: cmdline.split('\0').slice(0, -1), env: environ.split('\0').slice(0, -1) };
}

it('restarts itself, same pid, with the V8 flags and malloc arenas that let an ended Worker give its memory back', async () => {
  const hexd = await spawnServer(['threads', '--port', '0', '--no-telemetry']);
  expect(hexd.pid).toBe(hexd.child.pid); // the ready line's pid is the process its starter holds
  const { args, env } = await startedWith(hexd.pid);
  for (const flag of THREADS_V8_FLAGS) expect(args.filter((arg) => arg === flag)).toHaveLength(1);
  expect(args.slice(-4)).toEqual(['threads', '--port', '0', '--no-telemetry']); // its own arguments, once
  expect(env).toContain('MALLOC_ARENA_MAX=2');
  const client = await LineClient.connect(hexd.port);
  expect(await client.request('4312')).toBe('0x10d8');
  client.end();
});

it('keeps a MALLOC_ARENA_MAX it was given; other variants start as they were started', async () => {
  const threads = await spawnServer(['threads', '--port', '0', '--no-telemetry'], { MALLOC_ARENA_MAX: '4' });
  expect((await startedWith(threads.pid)).env).toContain('MALLOC_ARENA_MAX=4');
  const eventLoop = await spawnServer(['event-loop', '--port', '0', '--no-telemetry']);
  const { args, env } = await startedWith(eventLoop.pid);
  for (const flag of THREADS_V8_FLAGS) expect(args).not.toContain(flag);
  expect(env.some((entry) => entry.startsWith('MALLOC_ARENA_MAX='))).toBe(false);
});
