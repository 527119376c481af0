// The fleet for real: hexd backends in network namespaces (as root; a machine where they cannot be made
// fails these tests rather than skipping them) or on loopback addresses, behind a real HAProxy; nothing
// left behind after a stop, a signal or a failed start; a backend killed under load.

import { describe, expect, it, onTestFinished } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { LineClient } from '../../common/line-client.ts';
import { processTree } from '../../common/proc.ts';
import { startFleet, type Fleet } from '../../fleet/fleet.ts';
import { crashUnderLoad, drainUnderLoad } from '../../fleet/faults.ts';
import { DEFAULT_TIMINGS, worstDetectionMs } from '../../fleet/haproxy-config.ts';
import { FLEET_SUBNET, fleetNames } from '../../fleet/network-namespaces.ts';
import { NODE, ROOT } from '../helpers/servers.ts';
import { killTree } from '../helpers/kill-tree.ts';

/** What a fleet of process `id` may have left: its namespaces and links, by the names it gives them. */
function leftovers(id: number): { namespaces: string[]; links: string[] } {
  const names = fleetNames(id);
  const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((line) => line.startsWith(names.namespace(0).replace(/h1$/, '')));
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n')
    .map((line) => line.split(': ')[1]?.split('@')[0] ?? '')
    .filter((name) => name === names.bridge || name.startsWith(`hx${id}h`));
  return { namespaces, links };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process the fleet runs: HAProxy and each backend with its descendants (cluster's workers). */
async function fleetPids(fleet: Fleet): Promise<number[]> {
  const trees = await Promise.all([fleet.haproxy.pid, ...fleet.backends.map((b) => b.server.pid)].map(processTree));
  return trees.flat().map((stat) => stat.pid);
}

/** `clients` connections through HAProxy, each answered once and left open; closed when the test ends. */
async function connectThrough(fleet: Fleet, clients: number): Promise<LineClient[]> {
  const connected = await Promise.all(Array.from({ length: clients }, () => LineClient.connect(fleet.frontend.port)));
  onTestFinished(() => connected.forEach((client) => client.destroy()));
  for (const client of connected) expect(await client.request('4312')).toBe('0x10d8');
  return connected;
}

async function expectAllRemoved(fleet: Fleet, pids: readonly number[]): Promise<void> {
  await fleet.stop();
  expect(leftovers(process.pid)).toEqual({ namespaces: [], links: [] });
  expect(pids.filter(alive)).toEqual([]);
  expect(existsSync(dirname(fleet.haproxy.socketPath))).toBe(false);
}

describe('fleet in network namespaces', () => {
  it('gives each backend a namespace on the bridge, spreads clients evenly (leastconn), and removes it all on stop', async () => {
    const fleet = await startFleet({ backends: 3, variant: 'event-loop', loopback: false, port: 0 });
    onTestFinished(() => fleet.stop());
    expect(fleet.hosts.kind).toBe('namespaces');
    expect(fleet.backends.map((b) => `${b.host}:${b.port}`)).toEqual([2, 3, 4].map((n) => `${FLEET_SUBNET}.${n}:4312`));
    expect(leftovers(process.pid).namespaces).toHaveLength(3);
    const pids = await fleetPids(fleet);

    await connectThrough(fleet, 30);
    const open = (await fleet.haproxy.stats()).map((s) => s.currentConnections);
    expect(open).toEqual([10, 10, 10]);

    // The backends take only PROXY connections: a client straight to one is refused.
    const direct = await LineClient.connect(4312, { host: `${FLEET_SUBNET}.2` });
    direct.send('4312\n');
    expect(await direct.rest()).toEqual([expect.stringMatching(/^error: .*PROXY protocol header/)]);

    // HAProxy itself accepts the generated config, as written beside its admin socket.
    execFileSync('haproxy', ['-c', '-q', '-f', join(dirname(fleet.haproxy.socketPath), 'haproxy.cfg')]);
    await expectAllRemoved(fleet, pids);
  });

  it('removes what a fleet killed with SIGKILL left, by the dead pid in its names, and nothing else', async () => {
    const dead = 4_000_000; // above any pid this machine has given (pid_max is at most 4,194,304, and none runs)
    expect(alive(dead)).toBe(false);
    const stale = fleetNames(dead);
    execFileSync('ip', ['netns', 'add', stale.namespace(0)]);
    execFileSync('ip', ['link', 'add', stale.bridge, 'type', 'bridge']);
    onTestFinished(() => {
      spawnSync('ip', ['netns', 'del', stale.namespace(0)]);
      spawnSync('ip', ['link', 'del', stale.bridge]);
    });
    const fleet = await startFleet({ backends: 1, variant: 'event-loop', loopback: false, port: 0 });
    onTestFinished(() => fleet.stop());
    expect(leftovers(dead)).toEqual({ namespaces: [], links: [] });
    expect(leftovers(process.pid).namespaces).toHaveLength(1);
    await fleet.stop();
  });

  it('a cluster backend\'s workers go too', async () => {
    const fleet = await startFleet({ backends: 1, variant: 'cluster', loopback: false, port: 0 });
    onTestFinished(() => fleet.stop());
    await connectThrough(fleet, 4);
    const pids = await fleetPids(fleet);
    expect(pids.length).toBeGreaterThan(2); // HAProxy, the primary and its workers
    await expectAllRemoved(fleet, pids);
  });
});

describe('fleet on loopback addresses', () => {
  it('puts the backends on 127.0.0.2 and .3 when asked, even as root, and removes it all on stop', async () => {
    const fleet = await startFleet({ backends: 2, variant: 'pool', loopback: true, port: 0 });
    onTestFinished(() => fleet.stop());
    expect(fleet.hosts.kind).toBe('loopback');
    expect(fleet.backends.map((b) => b.host)).toEqual(['127.0.0.2', '127.0.0.3']);
    expect(leftovers(process.pid).namespaces).toEqual([]);
    const pids = await fleetPids(fleet);
    await connectThrough(fleet, 10);
    expect((await fleet.haproxy.stats()).map((s) => s.currentConnections)).toEqual([5, 5]);
    await expectAllRemoved(fleet, pids);
  });
});

/** `npm run fleet -- ARGS` as a child; resolves once it serves, with its output so far and its process tree. */
async function spawnFleet(args: readonly string[]) {
  const child = spawn(NODE, ['fleet/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => killTree(child));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const stdout: string[] = [];
  const serving = Promise.withResolvers<void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line);
    if (line.startsWith('serving until')) serving.resolve();
  });
  return { child, exited, stdout, stderr, serving: serving.promise };
}

describe('npm run fleet', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('stops on %s with status %i, leaving no namespace, link or process', async (signal, status) => {
    const fleet = await spawnFleet(['-n', '2']);
    await Promise.race([fleet.serving, fleet.exited.then(() => {
      throw new Error(`fleet exited before serving: ${fleet.stderr.join('\n')}`);
    })]);
    expect(fleet.stdout[0]).toMatch(/^hosts: network namespaces /);
    const port = Number(/haproxy: 127\.0\.0\.1:(\d+)/.exec(fleet.stdout.join('\n'))?.[1]);
    const client = await LineClient.connect(port);
    expect(await client.request('4312')).toBe('0x10d8');
    client.end();
    await client.closed;
    const tree = (await processTree(fleet.child.pid!)).map((stat) => stat.pid);
    expect(tree.length).toBeGreaterThanOrEqual(4); // the program, HAProxy and 2 backends
    expect(leftovers(fleet.child.pid!).namespaces).toHaveLength(2);

    fleet.child.kill(signal);
    expect(await fleet.exited).toBe(status);
    expect(leftovers(fleet.child.pid!)).toEqual({ namespaces: [], links: [] });
    expect(tree.filter(alive)).toEqual([]);
  });

  it('says it uses loopback addresses with --loopback', async () => {
    const fleet = await spawnFleet(['-n', '2', '--loopback']);
    await fleet.serving;
    expect(fleet.stdout[0]).toMatch(/^hosts: loopback addresses 127\.0\.0\.2, 127\.0\.0\.3/);
    fleet.child.kill('SIGTERM');
    expect(await fleet.exited).toBe(143);
  });

  it('fails to start with one line and status 1 when HAProxy cannot bind, removing what it had made', async () => {
    const busy = net.createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    onTestFinished(() => void busy.close());
    const port = (busy.address() as net.AddressInfo).port;
    const fleet = await spawnFleet(['-n', '2', '--port', String(port)]);
    expect(await fleet.exited).toBe(1);
    expect(fleet.stderr).toEqual([expect.stringMatching(/^hexd-fleet: haproxy exited .*cannot bind socket/)]);
    expect(leftovers(fleet.child.pid!)).toEqual({ namespaces: [], links: [] });
    // Its backends had started (HAProxy comes last): none is left on the fleet's subnet.
    expect(spawnSync('pgrep', ['-f', `servers/main.ts .*--host ${FLEET_SUBNET.replaceAll('.', '\\.')}\\.`], { encoding: 'utf8' }).stdout).toBe('');
  });
});

describe('a backend killed under load', () => {
  it('costs only the requests in flight on its connections; HAProxy takes it out within its bound, the others serve, and it rejoins', async () => {
    const fleet = await startFleet({ backends: 2, variant: 'event-loop', loopback: false, port: 0 });
    onTestFinished(() => fleet.stop());
    const crash = await crashUnderLoad(fleet, 1, DEFAULT_TIMINGS, () => {});
    // Detection is seen by asking the admin socket every 50 ms: that much slack past the config's bound.
    // (Failed connects of the clients' own reconnects usually mark it down well before the checks.)
    expect(crash.detectMs).toBeLessThanOrEqual(worstDetectionMs(DEFAULT_TIMINGS) + 100);
    expect(crash.connectionsOnKilled).toBeGreaterThan(0);
    const lost = crash.lost.dropped + crash.lost.timeouts + crash.lost.errors;
    expect(lost).toBeGreaterThan(0);
    // Pipeline 1: one request in flight per connection it had, and per connection sent to it while it
    // died (its kernel still accepts for a moment after the kill, more so on a busy machine).
    expect(lost).toBeLessThanOrEqual(crash.connectionsOnKilled + crash.connectionsGivenUntilDown);
    expect(crash.lost.connectFailed).toBe(0); // reconnects all reached HAProxy, and through it a live backend
    expect(crash.connects).toBeGreaterThanOrEqual(crash.clients + crash.connectionsOnKilled);
    expect(crash.ok).toBeGreaterThan(crash.clients * 10);
    expect((await fleet.haproxy.stats()).map((s) => s.status)).toEqual(['UP', 'UP']);
    // The rejoined backend serves new clients again.
    const clients = await connectThrough(fleet, 4);
    expect(clients).toHaveLength(4);
    expect((await fleet.haproxy.stats()).find((s) => s.name === 'host1')?.currentConnections).toBeGreaterThan(0);
  });
});

describe('a backend drained, then stopped, under load', () => {
  it('gets no new connection once drained; at SIGTERM no request is lost: each one in flight at the goodbye goes again, through HAProxy, to the other', async () => {
    const fleet = await startFleet({ backends: 2, variant: 'event-loop', loopback: false, port: 0 });
    onTestFinished(() => fleet.stop());
    const drain = await drainUnderLoad(fleet, 1, () => {});
    expect(drain.connectionsAtDrain).toBeGreaterThan(0);
    expect(drain.newConnectionsAfterDrain).toBe(0);
    // HAProxy's drain moves no open TCP connection: hexd closes those still open at SIGTERM after the
    // replies it owes and its goodbye, and the load tester sends what was in flight again (docs/fleet.md).
    expect(drain.connectionsAtStop).toBeGreaterThan(0);
    expect(drain.lost).toEqual({ dropped: 0, timeouts: 0, errors: 0, connectFailed: 0 });
    expect(drain.resent).toBeGreaterThan(0);
    expect(drain.resent).toBeLessThanOrEqual(drain.connectionsAtStop); // pipeline 1
    expect(drain.ok).toBeGreaterThan(drain.clients * 10);
    expect((await fleet.haproxy.stats()).find((s) => s.name === 'host2')?.status).toMatch(/^(DRAIN|DOWN|MAINT)/);
  });
});
