// Every variant reports on itself (servers/shared/telemetry, docs/telemetry.md): the figures in
// /stats match what was done to the server, a stalled thread shows its stall, utilisation follows
// load, and /metrics passes Prometheus's own checker.
// In the hardening suite (one file at a time): utilisation under load and at rest is read from real
// processes sharing the cores. (A 200 ms stall used to read as 17-100 ms under load: the delay
// histogram's reset lost the interval in which a stall began; test/servers/thread-monitor.test.ts.)

import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VARIANTS, type Variant } from '../../servers/shared/options.ts';
import { LineClient } from '../../common/line-client.ts';
import { BUSY_THREAD, TEST_HOOKS_ENV } from '../../servers/shared/test-hooks.ts';
import { spawnServer } from '../helpers/servers.ts';
import { getText, pollStats, statsPortOf } from '../helpers/stats.ts';
import type { Stats, ThreadStats } from '../../servers/shared/telemetry/stats.ts';

/** The kind of thread that runs the sessions, by variant. */
const SERVING_KIND: Readonly<Record<Variant, string>> = {
  blocking: 'main',
  threads: 'worker',
  'event-loop': 'main',
  processes: 'child',
  cluster: 'cluster-worker',
  pool: 'main',
};

async function start(variant: Variant, extra: string[] = []): Promise<{ port: number; statsPort: number }> {
  const server = await spawnServer([variant, '--port', '0', '--stats-port', '0', ...extra], { [TEST_HOOKS_ENV]: '1' });
  return { port: server.port, statsPort: await statsPortOf(server) };
}

const serving = (stats: Stats, variant: Variant): ThreadStats[] => stats.threads.filter((t) => t.kind === SERVING_KIND[variant]);

describe.each(VARIANTS)('%s telemetry', (variant) => {
  it('counts N requests as N replies, shows a 200 ms stall, and writes metrics promtool accepts', async () => {
    const { port, statsPort } = await start(variant);
    const good = Array.from({ length: 90 }, (_, i) => `${i * 31}\n`).join('');
    const bad = 'x\n'.repeat(5) + 'é\n'.repeat(5); // replies that quote them: ASCII, and beyond
    const client = await LineClient.connect(port);
    client.send(good + bad);
    const replies = await client.lines(100);
    expect(replies).toHaveLength(100);
    expect(replies.at(-1)).toBe('error: not a decimal integer: "é"');
    const counted = await pollStats(statsPort, (s) => s.totals.counters.replies >= 100);
    expect(counted.totals.counters.replies).toBe(100);
    expect(counted.totals.counters.errorReplies).toBe(10);
    expect(counted.totals.counters.bytesIn).toBe(Buffer.byteLength(good + bad));
    expect(counted.totals.counters.bytesOut).toBe(Buffer.byteLength(replies.map((reply) => `${reply}\n`).join('')));
    expect(counted.totals.counters.connectionsTotal).toBe(1);
    expect(counted.server).toBe('hexd');
    expect(counted.variant).toBe(variant);
    expect(serving(counted, variant).length).toBeGreaterThan(0);

    // The hook spins the thread that reads the line for 200 ms; the figures subtract the resolution.
    expect(await client.request(`${BUSY_THREAD}200`)).toMatch(/^error: /);
    const stalled = await pollStats(statsPort, (s) => serving(s, variant).some((t) => t.delayMs.max >= 200 - s.resolutionMs));
    expect(Math.max(...serving(stalled, variant).map((t) => t.delayMs.max))).toBeGreaterThanOrEqual(200 - stalled.resolutionMs);
    client.end();
    await client.closed;

    const metrics = await getText(statsPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^hexd_replies_total\{kind="[\w-]+",thread="[^"]+"\} \d+$/m);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: metrics.body, encoding: 'utf8' });
    expect(promtool.error, 'promtool (Debian package prometheus) must be installed').toBeUndefined();
    expect(`${promtool.stdout}${promtool.stderr}`).toBe('');
    expect(promtool.status).toBe(0);

    // Counts and timings only: no client address.
    const { body } = await getText(statsPort, '/stats');
    expect(body).not.toContain('127.0.0.1');
    expect(metrics.body).not.toContain('127.0.0.1');
  });

  it('shows utilisation above 0.8 under load and below 0.05 when idle', async () => {
    const { port, statsPort } = await start(variant);
    // Idle: no client at all, only the polls.
    const idle = await pollStats(statsPort, (s) => s.threads.every((t) => t.stale || t.utilisation < 0.05));
    expect(idle.threads.filter((t) => !t.stale).map((t) => t.utilisation).every((u) => u < 0.05)).toBe(true);

    // Load: one connection sending lines flat out (as fast as the server reads them), replies dropped,
    // until a snapshot shows the serving thread busy or the deadline passes.
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.resume();
    const block = '12345678\n'.repeat(10_000);
    let sending = true;
    void (async () => {
      while (sending && !socket.destroyed) {
        if (!socket.write(block)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
      }
    })();
    const loaded = await pollStats(statsPort, (s) => serving(s, variant).some((t) => t.utilisation > 0.8), 10_000);
    sending = false;
    socket.destroy();
    const busiest = Math.max(0, ...serving(loaded, variant).map((t) => t.utilisation));
    expect(busiest).toBeGreaterThan(0.8);
  });
});

describe('telemetry, by design', () => {
  it('answers /stats while blocking serves its one client and another waits, past --max-clients', async () => {
    const { port, statsPort } = await start('blocking', ['--max-clients', '2']);
    const first = await LineClient.connect(port);
    expect(await first.request('1')).toBe('0x1');
    const second = await LineClient.connect(port);
    second.send('2\n');
    const stats = await pollStats(statsPort, (s) => s.totals.counters.connectionsOpen === 1);
    expect(stats.totals.counters.connectionsOpen).toBe(1);
    expect((await getText(statsPort, '/metrics')).status).toBe(200);
    first.end();
    expect(await second.line()).toBe('0x2');
    second.end();
  });

  it('shows a stalled Worker as stale, and answers without it', async () => {
    const { port, statsPort } = await start('threads');
    const client = await LineClient.connect(port);
    expect(await client.request('1')).toBe('0x1');
    await pollStats(statsPort, (s) => serving(s, 'threads').length === 1); // its first snapshot is in
    client.send(`${BUSY_THREAD}2000\n`); // the Worker spins; the main thread answers on its own
    const stalled = await pollStats(statsPort, (s) => serving(s, 'threads').some((t) => t.stale), 1_900);
    expect(serving(stalled, 'threads').map((t) => t.stale)).toEqual([true]);
    expect(await client.line()).toMatch(/^error: /);
    const fresh = await pollStats(statsPort, (s) => serving(s, 'threads').every((t) => !t.stale));
    expect(serving(fresh, 'threads').map((t) => t.stale)).toEqual([false]);
    client.end();
  });

  it('shows a spare Worker as paused, never stale, until it serves a client', async () => {
    const { port, statsPort } = await start('threads', ['--spare', '2']);
    const spares = await pollStats(statsPort, (s) => serving(s, 'threads').length === 2);
    // Past two snapshot intervals a thread that still sampled would have sent again, or shown stale.
    const later = await pollStats(statsPort, (s) => serving(s, 'threads').every((t) => t.ageMs >= 800));
    expect(serving(spares, 'threads').map((t) => [t.paused, t.counters.replies])).toEqual([[true, 0], [true, 0]]); // not its warm-up's
    expect(serving(later, 'threads').map((t) => [t.paused, t.stale, t.ageMs >= 800])).toEqual([[true, false, true], [true, false, true]]);
    const client = await LineClient.connect(port);
    expect(await client.request('4312')).toBe('0x10d8');
    const busy = await pollStats(statsPort, (s) => serving(s, 'threads').some((t) => !t.paused && t.counters.replies === 1));
    expect(serving(busy, 'threads').filter((t) => !t.paused).map((t) => t.counters.replies)).toEqual([1]);
    client.end();
  });

  it.for(['threads', 'processes'] as const)('%s: a thread whose client is quiet rests, paused, and wakes on its next line', async (variant) => {
    const { port, statsPort } = await start(variant);
    const client = await LineClient.connect(port);
    expect(await client.request('1')).toBe('0x1');
    const resting = await pollStats(statsPort, (s) => serving(s, variant).some((t) => t.paused && t.counters.replies === 1));
    expect(serving(resting, variant).map((t) => [t.paused, t.stale])).toEqual([[true, false]]);
    expect(await client.request('2')).toBe('0x2');
    const awake = await pollStats(statsPort, (s) => serving(s, variant).some((t) => !t.paused && t.counters.replies === 2));
    expect(serving(awake, variant).map((t) => t.stale)).toEqual([false]);
    client.end();
  });

  it('--no-telemetry opens no stats port and prints no stats line', async () => {
    const server = await spawnServer(['event-loop', '--port', '0', '--no-telemetry']);
    const client = await LineClient.connect(server.port);
    expect(await client.request('4312')).toBe('0x10d8');
    client.end();
    await client.closed;
    expect(server.stdout).toEqual([]);
  });

  it('bounds a flood of connections to the stats port, and answers again once it is over', async () => {
    const { statsPort } = await start('event-loop');
    const idle = await Promise.all(Array.from({ length: 64 }, async () => {
      const socket = connect(statsPort, '127.0.0.1');
      await once(socket, 'connect');
      return socket;
    }));
    const extra = connect(statsPort, '127.0.0.1');
    extra.on('error', () => {});
    await once(extra, 'close'); // past 64 at once the server closes a newcomer at once
    for (const socket of idle) socket.destroy();
    // The server counts the closes as it reads them: ask until it answers, within a deadline.
    const deadline = performance.now() + 5_000;
    let status = 0;
    while (status !== 200 && performance.now() < deadline) status = await getText(statsPort, '/stats').then((r) => r.status, () => 0);
    expect(status).toBe(200);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const { statsPort } = await start('event-loop');
    expect((await getText(statsPort, '/4312')).status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${statsPort}/stats`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});
