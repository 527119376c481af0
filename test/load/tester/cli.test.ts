// End to end: the real `npm run load` and `npm run bench` programs, and the blog's Python servers.

import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { NODE, ROOT, spawnServer } from '../../helpers/servers.ts';
import { statsPortOf } from '../../helpers/stats.ts';
import { startServerProcess } from '../../../load/harness/server-process.ts';
import { loadOptions } from '../../../load/harness/load-options.ts';
import { runLoad } from '../../../load/harness/run.ts';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function runNode(args: readonly string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(NODE, args, { cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hexd-load-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('npm run load', () => {
  it('prints the tables, writes the JSON, and exits 0 against a correct server', async () => {
    const server = await spawnServer(['event-loop', '--port', '0']);
    const json = join(await tempDir(), 'out', 'load.json');
    const ran = await runNode(['load/tester/main.ts', '--target', `127.0.0.1:${server.port}`, '-c', '3', '-d', '0.3',
      '--json', json, '--server-pid', String(server.pid)]);
    expect(ran.stderr).toBe(''); // no progress bar off a TTY
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('Latency (µs)');
    expect(ran.stdout).toContain('3 of 3');
    const summary = JSON.parse(await readFile(json, 'utf8'));
    expect(Object.keys(summary.latencyUs)).toEqual(expect.arrayContaining(['p50', 'p90', 'p99', 'p999', 'max', 'mean']));
    expect(summary.clients).toMatchObject({ total: 3, served: 3 });
    expect(Object.keys(summary.clients.repliesPerClient)).toEqual(['min', 'median', 'max']);
    expect(Object.keys(summary.replies)).toEqual(['ok', 'wrong', 'errors', 'timeouts', 'dropped', 'connectFailed']);
    expect(summary.requestsPerSec).toBeGreaterThan(0);
    expect(summary.options).toMatchObject({ connections: 3, durationSec: 0.3, pipeline: 1 });
    expect(typeof summary.cpu.serverPercent).toBe('number');
  });

  it('prints the server\'s own view from its /stats beside the client\'s, and the JSON carries it', async () => {
    const server = await spawnServer(['event-loop', '--port', '0', '--stats-port', '0']);
    const statsPort = await statsPortOf(server);
    const json = join(await tempDir(), 'load.json');
    const ran = await runNode(['load/tester/main.ts', '--target', `127.0.0.1:${server.port}`, '-c', '4', '-d', '0.8',
      '--stats-port', String(statsPort), '--json', json]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('Server\'s own view (/stats)');
    expect(ran.stdout).toMatch(/Loop delay p99 \/ max .*? [\d.]+ \/ [\d.]+ /);
    const summary = JSON.parse(await readFile(json, 'utf8'));
    expect(summary.server).toMatchObject({ variant: 'event-loop', statsUrl: `http://127.0.0.1:${statsPort}/stats` });
    expect(summary.server.polls).toBeGreaterThan(0);
    expect(summary.server.threads.map((t: { id: string }) => t.id)).toEqual(['main']);
    // The server counted what the client did (a warm-up-free run: every reply is in both).
    expect(summary.server.serverReplies).toBeGreaterThanOrEqual(summary.replies.ok);
    expect(summary.server.utilisation.max).toBeGreaterThan(0);
  });

  it('exits 1 on wrong replies, and still writes the JSON', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.on('data', () => socket.write('0x0\n'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    onTestFinished(() => {
      server.close();
    });
    const json = join(await tempDir(), 'load.json');
    const ran = await runNode(['load/tester/main.ts', '--target', `127.0.0.1:${(server.address() as AddressInfo).port}`,
      '-c', '1', '-n', '20', '--json', json]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/^hexd-load: \d+ wrong replies/);
    expect(JSON.parse(await readFile(json, 'utf8')).replies.wrong).toBeGreaterThan(0);
  });

  it('says in one line, at once, that nothing listens on the target, and exits 2', async () => {
    const free = net.createServer().listen(0, '127.0.0.1');
    await once(free, 'listening');
    const { port } = free.address() as AddressInfo;
    free.close();
    await once(free, 'close');
    const ran = await runNode(['load/tester/main.ts', '--target', `127.0.0.1:${port}`, '-d', '5']);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe(''); // no tables of zeros
    expect(ran.stderr).toBe(`hexd-load: cannot connect to 127.0.0.1:${port}: connection refused (is a server running? try npm start)\n`);
  });

  it('refuses a remote target with exit 2', async () => {
    const ran = await runNode(['load/tester/main.ts', '--target', '192.0.2.1:65432']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^hexd-load: .*--allow-remote.*\(see --help\)\n$/);
  });

  it('--digits past what --max-digits can be raised to says the limit, not to raise it, and exits 2', async () => {
    for (const digits of ['200000000', '1-100000000000000000000000']) {
      const ran = await runNode(['load/tester/main.ts', '--target', '127.0.0.1:65432', '--digits', digits]);
      expect(ran.code).toBe(2);
      expect(ran.stderr).toBe(`hexd-load: --digits must be at most 100000000 (the most --max-digits allows), got "${digits}" (see --help)\n`);
    }
    // Within that limit, raising --max-digits is the advice.
    const within = await runNode(['load/tester/main.ts', '--target', '127.0.0.1:65432', '--digits', '5000']);
    expect(within.code).toBe(2);
    expect(within.stderr).toMatch(/raise --max-digits to at least 5000/);
  });
});

describe.runIf(hasPython)('the blog\'s Python servers (load/harness/python_servers.py)', () => {
  async function python(variant: string) {
    const server = await startServerProcess('python3', ['load/harness/python_servers.py', variant, '0'], { cwd: ROOT });
    onTestFinished(() => server.stop());
    expect(server.variant).toBe(`python-${variant}`);
    return server;
  }

  it('sync serves one client at a time', async () => {
    const server = await python('sync');
    const summary = await runLoad(loadOptions({ host: server.host, port: server.port }, { connections: 3, durationSec: 0.3 }));
    expect(summary.replies.wrong).toBe(0);
    expect(summary.clients.served).toBe(1);
  });

  it('threads and asyncio serve every client, one request at a time', async () => {
    for (const variant of ['threads', 'asyncio']) {
      const server = await python(variant);
      const summary = await runLoad(loadOptions({ host: server.host, port: server.port }, { connections: 3, durationSec: null, requests: 300, rate: 3000 }));
      expect(summary.replies).toMatchObject({ ok: 300, wrong: 0 });
      expect(summary.clients.served).toBe(3);
    }
  });

  it('without framing, pipelined requests get wrong answers, and the tester says so', async () => {
    const server = await python('asyncio');
    const summary = await runLoad(loadOptions({ host: server.host, port: server.port }, {
      connections: 1, pipeline: 16, durationSec: 0.3, timeoutMs: 200,
    }));
    expect(summary.replies.wrong).toBeGreaterThan(0);
    expect(summary.problems[0]?.got).toBeDefined();
    expect(summary.passed).toBe(false);
  });
});

describe('npm run bench', () => {
  it('runs a narrowed sweep and writes the table, JSON, HTML and SVG', async () => {
    const dir = await tempDir();
    const variants = hasPython ? 'event-loop,python-sync' : 'event-loop';
    const ran = await runNode(['load/bench/main.ts', '--quick', '--variants', variants, '--concurrency', '1,2', '-d', '0.3',
      '--json', join(dir, 'b.json'), '--html', join(dir, 'b.html'), '--svg', join(dir, 'b.svg')]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/│ *Peak RSS \(MB\) *│|│ *Peak *│/); // the heading whole, or wrapped to fit 120 columns
    expect(ran.stdout).toContain('2 of 2');
    const report = JSON.parse(await readFile(join(dir, 'b.json'), 'utf8'));
    expect(report.points).toHaveLength(hasPython ? 4 : 2);
    expect(report.environment).toMatchObject({ node: process.version, command: expect.stringContaining('load/bench/main.ts') });
    expect(report.environment.commit).toBeTruthy();
    expect(report.environment.cpuModel).toBeTruthy();
    const sync = report.points.filter((p: { variant: string }) => p.variant === 'python-sync');
    expect(sync.map((p: { clientsServed: number }) => p.clientsServed)).toEqual(hasPython ? [1, 1] : []);
    const syncFraming = report.framing.filter((f: { variant: string }) => f.variant === 'python-sync');
    expect(syncFraming.map((f: { replies: { wrong: number } }) => f.replies.wrong > 0)).toEqual(hasPython ? [true] : []);
    expect(await readFile(join(dir, 'b.html'), 'utf8')).toContain('<svg');
    expect((await readFile(join(dir, 'b.svg'), 'utf8')).startsWith('<svg xmlns')).toBe(true);
  });
});
