// The load tester against real sockets: each hexd variant, and small fake servers that misbehave in
// one way each, so every counter is shown to count what it says.

import net, { type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { fakeServer } from '../../helpers/fake-server.ts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startServer } from '../../helpers/servers.ts';
import { loadOptions, type LoadOptions } from '../../../load/harness/load-options.ts';
import { runLoad } from '../../../load/harness/run.ts';
import { runSlice } from '../../../load/harness/slice.ts';
import { DEFAULT_MAX_DIGITS, SHUTTING_DOWN_LINE, defaultLimits } from '../../../protocol/index.ts';
import { expectReply } from '../../../load/harness/checker.ts';
import { renderLoadReport } from '../../../load/harness/report.ts';

const target = (port: number) => ({ host: '127.0.0.1', port });

function load(port: number, overrides: Partial<LoadOptions>) {
  return runLoad(loadOptions(target(port), overrides));
}


/** Answers every line with reply(line). */
function answering(reply: (line: string) => string) {
  return (socket: Socket) => {
    let buffered = '';
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      socket.write(lines.map((line) => `${reply(line)}\n`).join(''));
    });
  };
}

describe('runLoad against each hexd variant', () => {
  it('blocking serves exactly one of several clients while the first stays connected', async () => {
    const { port } = await startServer('blocking');
    const summary = await load(port, { connections: 4, durationSec: 0.5 });
    expect(summary.replies).toMatchObject({ wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 });
    expect(summary.clients.total).toBe(4);
    expect(summary.clients.served).toBe(1);
    expect(summary.clients.repliesPerClient.min).toBe(0);
    expect(summary.clients.repliesPerClient.max).toBe(summary.replies.ok);
    expect(summary.requests.unfinished).toBe(4); // the served client's last request, and one per waiting client
    expect(summary.passed).toBe(true);
  });

  it('threads serves every client at once', async () => {
    const { port } = await startServer('threads');
    // Open loop with -n gives each connection its own share (100 each), and the run ends only when
    // every share is answered: no client can finish early and let the next one in, as with blocking.
    const summary = await load(port, { connections: 4, durationSec: null, requests: 400, rate: 4000 });
    expect(summary.replies).toEqual({ ok: 400, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 });
    expect(summary.clients.served).toBe(4);
    expect(summary.clients.repliesPerClient).toEqual({ min: 100, median: 100, max: 100 });
    expect(summary.passed).toBe(true);
  });

  it('event-loop serves every client, pipelined, from two worker threads', async () => {
    const { port } = await startServer('event-loop');
    const summary = await load(port, { connections: 6, durationSec: null, requests: 6000, pipeline: 8, workers: 2 });
    expect(summary.replies).toEqual({ ok: 6000, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 });
    expect(summary.requests).toMatchObject({ sent: 6000, unfinished: 0 });
    expect(summary.clients.served).toBe(6);
    expect(summary.latencyUs.count).toBe(6000); // merged from both workers
    expect(summary.latencyUs.p50).toBeGreaterThan(0);
    expect(summary.connectUs.count).toBe(6);
  });

  it('-n sends exactly that many requests, in closed and in open loop', async () => {
    const { port } = await startServer('event-loop');
    const closed = await load(port, { connections: 7, durationSec: null, requests: 1001, pipeline: 3 });
    expect(closed.replies.ok).toBe(1001);
    expect(closed.requests.sent).toBe(1001);
    // Open loop: 200 requests at 2000/s leave over 0.1 s, on schedule, and no sooner.
    const open = await load(port, { connections: 4, durationSec: null, requests: 200, rate: 2000 });
    expect(open.replies.ok).toBe(200);
    expect(open.requests.sent).toBe(200);
    expect(open.durationSec).toBeGreaterThanOrEqual(0.099);
    expect(open.options.mode).toBe('open loop');
  });

  it('expects what a server with a raised or lowered --max-digits answers', async () => {
    const { port } = await startServer('event-loop', { limits: defaultLimits(5) });
    const matched = await load(port, { connections: 2, durationSec: null, requests: 500, maxDigits: 5 });
    expect(matched.replies).toMatchObject({ ok: 500, wrong: 0, errors: 0 });
    const unmatched = await load(port, { connections: 2, durationSec: null, requests: 500 });
    expect(unmatched.replies.errors).toBeGreaterThan(0); // "too many digits" where the tester expected hex
    expect(unmatched.passed).toBe(false);
  });

  it('--digits sends numbers of that range, every reply checked', async () => {
    const { port } = await startServer('event-loop');
    const summary = await load(port, { connections: 2, pipeline: 16, durationSec: null, requests: 2000, digits: { low: 39, high: 39 } });
    expect(summary.replies).toMatchObject({ ok: 2000, wrong: 0, errors: 0 });
    expect(summary.options.digits).toEqual({ low: 39, high: 39 });
  });

  it('--warmup loads first and measures only after it', async () => {
    const { port } = await startServer('blocking');
    const startedAt = performance.now();
    const summary = await load(port, { connections: 3, durationSec: 0.3, warmupSec: 0.3 });
    const wallSec = (performance.now() - startedAt) / 1000;
    // Throughput is over the measured window, which starts once the warm-up is over.
    expect(summary.durationSec).toBeGreaterThan(0);
    expect(summary.durationSec).toBeLessThanOrEqual(wallSec - 0.3 + 0.001);
    expect(summary.clients.served).toBe(1); // the first client is still the one served
    expect(summary.replies.ok).toBe(summary.clients.repliesPerClient.max);
    expect(summary.requests.connects).toBe(3);
  });

  it('starts the CPU window once the requests are built and the warm-up is over', async () => {
    const { port } = await startServer('event-loop');
    const options = loadOptions(target(port), { connections: 2, durationSec: 0.2, warmupSec: 0.2, digits: { low: 300, high: 300 } });
    const calls: number[] = [];
    const startedAt = performance.now();
    const result = await runSlice({ options, slice: { start: 0, count: 2 }, budget: null, mix: null }, {
      onMeasuring: () => calls.push(performance.now() - startedAt),
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeGreaterThanOrEqual(200); // timers never fire early
    expect(result.elapsedMs).toBeLessThanOrEqual(performance.now() - startedAt - calls[0]! + 1);
  });

  it('paces connections with --connect-rate', async () => {
    const { port } = await startServer('event-loop');
    const summary = await load(port, { connections: 3, durationSec: null, requests: 30, connectRate: 50 });
    expect(summary.replies.ok).toBe(30);
    expect(summary.durationSec).toBeGreaterThanOrEqual(0.039); // the third connection opens at 40 ms
  });
});

describe('runLoad counts each failure apart', () => {
  it('wrong replies, with examples', async () => {
    const port = await fakeServer(answering(() => '0x0'));
    const summary = await load(port, { connections: 2, durationSec: null, requests: 50 });
    expect(summary.replies.ok + summary.replies.wrong).toBe(50);
    expect(summary.replies.wrong).toBeGreaterThan(40); // only a request of 0 is answered right
    expect(summary.problems[0]).toMatchObject({ kind: 'wrong', got: '0x0' });
    expect(summary.passed).toBe(false);
  });

  it('error replies where none was due', async () => {
    const port = await fakeServer(answering(() => 'error: no'));
    const summary = await load(port, { connections: 1, durationSec: null, requests: 10 });
    expect(summary.replies).toMatchObject({ ok: 0, errors: 10, wrong: 0 });
  });

  it('replies with nothing asked are wrong', async () => {
    const port = await fakeServer(answering((line) => `0x${BigInt(line).toString(16)}\n0x0`.replace('0x-', '-0x')));
    const summary = await load(port, { connections: 1, durationSec: null, requests: 5, timeoutMs: 1000 });
    expect(summary.replies.wrong).toBeGreaterThan(0);
  });

  it('timeouts: a server that never answers', async () => {
    const port = await fakeServer(() => {});
    const summary = await load(port, { connections: 1, durationSec: null, requests: 3, timeoutMs: 50 });
    expect(summary.replies).toMatchObject({ ok: 0, timeouts: 3, dropped: 0, connectFailed: 0 });
    expect(summary.requests.connects).toBe(3); // a timed-out connection is closed and opened again
    expect(summary.passed).toBe(true); // slow is not wrong
  });

  it('dropped: a server that closes mid-request', async () => {
    const port = await fakeServer((socket) => socket.once('data', () => socket.destroy()));
    const summary = await load(port, { connections: 2, durationSec: null, requests: 4, pipeline: 2 });
    expect(summary.replies).toMatchObject({ ok: 0, dropped: 4 });
    expect(summary.passed).toBe(false);
  });

  it('resent, not dropped: requests in flight when a server says goodbye go again on a new connection', async () => {
    // Each connection answers its first 7 lines, then says goodbye with the rest unread, as hexd's
    // graceful close does, so every request in flight then is one the server never read.
    const port = await fakeServer((socket) => {
      let buffered = '';
      let answered = 0;
      socket.setEncoding('latin1');
      socket.on('data', (text: string) => {
        if (answered === 7) return; // read and dropped until the client's FIN
        buffered += text;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        const owed = lines.slice(0, 7 - answered);
        answered += owed.length;
        socket.write(owed.map((line) => `${expectReply(line, DEFAULT_MAX_DIGITS).reply}\n`).join(''));
        if (answered === 7) socket.end(SHUTTING_DOWN_LINE);
      });
    });
    const summary = await load(port, { connections: 2, durationSec: null, requests: 100, pipeline: 4 });
    expect(summary.replies).toEqual({ ok: 100, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 });
    expect(summary.requests.sent).toBe(100);
    expect(summary.requests.resent).toBeGreaterThan(0);
    expect(summary.requests.connects).toBeGreaterThanOrEqual(100 / 7);
    expect(summary.passed).toBe(true);
    expect(renderLoadReport(summary)).toContain(`Resent after a server's goodbye (not read there)`);
  });

  it('a goodbye is not a right answer: a server that only says it goes drops what was in flight once no connect succeeds', async () => {
    const server = net.createServer((socket) => {
      socket.end(SHUTTING_DOWN_LINE);
      server.close(); // the reconnect finds nothing listening
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    onTestFinished(() => void server.close());
    const summary = await load((server.address() as AddressInfo).port, { connections: 1, durationSec: null, requests: 3, pipeline: 3 });
    expect(summary.replies).toMatchObject({ ok: 0, wrong: 0, dropped: 3, connectFailed: 1 });
    expect(summary.passed).toBe(false);
  });

  it('connectFailed: nothing listening', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    const summary = await load(port, { connections: 3, durationSec: 5 });
    expect(summary.replies.connectFailed).toBe(3);
    expect(summary.clients.served).toBe(0);
    expect(summary.durationSec).toBeLessThan(5); // every client gave up, so the run ended early
    expect(summary.passed).toBe(false);
  });

  it('an abort signal ends a run early with what was measured', async () => {
    const { port } = await startServer('event-loop');
    const stop = new AbortController();
    let seen = 0;
    const summary = await runLoad(loadOptions(target(port), { connections: 2, durationSec: 60 }), {
      signal: stop.signal,
      onProgress: (replies) => {
        seen = replies;
        if (replies > 0) stop.abort();
      },
    });
    expect(seen).toBeGreaterThan(0);
    expect(summary.replies.ok).toBeGreaterThanOrEqual(seen);
    expect(summary.durationSec).toBeLessThan(60);
  });
});

describe('runLoad\'s reply hook', () => {
  it('calls back once per correct reply with the client\'s index and a latency', async () => {
    const { port } = await startServer('event-loop');
    const seen = new Map<number, number>();
    const latencies: number[] = [];
    const summary = await runLoad(loadOptions(target(port), { connections: 3, durationSec: null, requests: 300 }), {
      onReply: (client, latencyMs) => {
        seen.set(client, (seen.get(client) ?? 0) + 1);
        latencies.push(latencyMs);
      },
    });
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2]);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(summary.replies.ok);
    expect(latencies.every((ms) => ms >= 0 && ms < 5_000)).toBe(true);
  });

  it('is refused for a run split over worker threads, where it could not be called on this thread', async () => {
    await expect(runLoad(loadOptions(target(1), { workers: 2, connections: 2 }), { onReply: () => {} })).rejects.toThrow(/workers: 1/);
  });
});
