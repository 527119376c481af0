// Hardening: a server out of file descriptors. Under `ulimit -n 256` with 600 clients that never close
// their side, every variant serves what its descriptors hold (--max-clients is lowered to fit, with a
// warning), tells the rest the server is full, stays under 10% of a core, and answers a newcomer
// within 1 s with `error: server is full` and a FIN, or a reset. threads used to spin on accept4
// failing with EMFILE. Attacks the real server process; prints its figures against those targets and
// fails at four times the CPU and three times the wait.

import net from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it, onTestFinished } from 'vitest';
import { processTree, statUnits } from '../../common/proc.ts';
import { VARIANTS } from '../../servers/shared/options.ts';
import { spawnServer } from '../helpers/servers.ts';
import { NEWCOMER_LIMIT_MS, waitFigure } from '../helpers/newcomer.ts';

const OPEN_FILES = 256;
const CLIENTS = 600;
const CPU_WINDOW_MS = 5_000;
/** The documented target: an idle server out of descriptors uses under a tenth of a core. */
const CPU_SHARE_TARGET = 0.1;
/**
 * What fails the test: a shared CI machine has measured processes at 15% where this one measures
 * 1-5%; the spin this test was written for took a whole core.
 */
const CPU_SHARE_LIMIT = 0.4;

/** A client that sends a line and never closes its side; resolves with its first line, or how it ended. */
function holdingClient(port: number): Promise<{ socket: net.Socket; first: Promise<string> }> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let text = '';
  const first = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    socket.on('end', () => resolve(`FIN after ${JSON.stringify(text)}`));
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  socket.write('12\n');
  return once(socket, 'connect').then(() => ({ socket, first }), () => ({ socket, first }));
}

function blockingWaits(variant: string): boolean {
  return variant === 'blocking';
}

/** The first `count` answers to arrive. */
function firstAnswers(answers: readonly Promise<string>[], count: number): Promise<string[]> {
  const arrived: string[] = [];
  return new Promise((resolve) => {
    for (const answer of answers) {
      void answer.then((line) => {
        arrived.push(line);
        if (arrived.length === count) resolve(arrived);
      });
    }
  });
}

/** CPU seconds used by a process and its descendants so far. */
async function cpuSeconds(pid: number): Promise<number> {
  const tree = await processTree(pid);
  return tree.reduce((sum, stat) => sum + stat.cpuTicks, 0) / statUnits().ticksPerSec;
}

/** What a newcomer gets: its first line and a FIN, or a reset, and how long it waited. */
async function newcomer(port: number): Promise<{ outcome: string; waitedMs: number }> {
  const started = performance.now();
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.setTimeout(NEWCOMER_LIMIT_MS * 2, () => socket.destroy(new Error('no answer')));
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  socket.write('4312\n');
  const outcome = await new Promise<string>((resolve) => {
    socket.on('end', () => resolve(`${text}FIN`));
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  socket.destroy();
  return { outcome, waitedMs: performance.now() - started };
}

it.for(VARIANTS)('%s: out of descriptors it stays idle, and tells a newcomer the server is full', async (variant, { annotate }) => {
  const hexd = await spawnServer([variant, '--port', '0'], {}, { openFiles: OPEN_FILES });
  const warning = await hexd.stderrLine(/ulimit -n/);
  const cap = /serving at most (\d+) clients at once/.exec(warning);
  expect(warning).toMatch(new RegExp(`^hexd: warning: ulimit -n is ${OPEN_FILES}, too few for --max-clients \\d+ on ${variant} `));
  const held = Number(cap?.[1]);
  expect(held).toBeLessThan(CLIENTS);

  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => holdingClient(hexd.port)));
  onTestFinished(() => {
    for (const { socket } of clients) socket.destroy();
  });
  // Every client has had its answer, served ones their reply and the rest the full line (or a reset
  // from libuv shedding what it could not accept), but for blocking's, who wait in line for the one
  // being served. The server has nothing left to do.
  const answering = blockingWaits(variant) ? CLIENTS - held + 1 : CLIENTS;
  const firsts = await firstAnswers(clients.map(({ first }) => first), answering);
  const served = firsts.filter((line) => line === '0xc').length;
  const full = firsts.filter((line) => line.startsWith('error: server is full')).length;
  expect(served).toBeGreaterThan(0);

  const cpuBefore = await cpuSeconds(hexd.pid);
  await sleep(CPU_WINDOW_MS); // the measurement itself: CPU over a fixed window
  const cpuShare = ((await cpuSeconds(hexd.pid)) - cpuBefore) / (CPU_WINDOW_MS / 1000);

  const { outcome, waitedMs } = await newcomer(hexd.port);
  await annotate(`${variant}: ${served} served, ${full} told full, ${CLIENTS - served - full} other; CPU ${(cpuShare * 100).toFixed(1)}% over 5 s${cpuShare < CPU_SHARE_TARGET ? '' : ` (over the ${CPU_SHARE_TARGET * 100}% target)`}; newcomer: ${JSON.stringify(outcome)} in ${waitFigure(waitedMs)}`);
  expect(cpuShare).toBeLessThan(CPU_SHARE_LIMIT);
  expect(outcome).toMatch(/^error: server is full .*\nFIN$|^ECONNRESET$/);
  expect(waitedMs).toBeLessThan(NEWCOMER_LIMIT_MS);
});
