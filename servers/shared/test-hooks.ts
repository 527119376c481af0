// Faults and stalls that only tests can trigger, when HEXD_TEST_HOOKS=1 is in the environment.
// They exist to prove isolation: a busy main thread or a crashing worker must not stop other clients.

import type { Socket } from 'node:net';
import { existsSync } from 'node:fs';

export const TEST_HOOKS_ENV = 'HEXD_TEST_HOOKS';
/** A client line containing this makes its worker throw (an uncaught exception in that thread). */
export const THROW_IN_WORKER = 'hexd-test:throw';
/** A client line containing this makes its worker exit at once, as if terminated mid-session. */
export const EXIT_WORKER = 'hexd-test:exit';
/** With SIGUSR2, the main thread spins until this file exists (at most BUSY_MAIN_MAX_MS). */
export const RELEASE_FILE_ENV = 'HEXD_TEST_RELEASE_FILE';
const BUSY_MAIN_MAX_MS = 10_000;

export function testHooksEnabled(): boolean {
  return process.env[TEST_HOOKS_ENV] === '1';
}

/** With HEXD_TEST_HOOKS=1, `HEXD_TEST_HOLD_START=1` holds the server's start, before it listens, until a signal comes. */
export const HOLD_START_ENV = 'HEXD_TEST_HOLD_START';

export function holdStartEnabled(): boolean {
  return testHooksEnabled() && process.env[HOLD_START_ENV] === '1';
}

/** Holds the start until `signalled` settles, saying so on stderr so that a test knows when to signal. */
export async function holdStart(signalled: Promise<unknown>): Promise<void> {
  process.stderr.write('test hook: start held until a signal\n');
  const alive = setInterval(() => {}, 60_000); // signal handlers alone keep no process alive
  await signalled;
  clearInterval(alive);
}

/**
 * SIGUSR2 blocks the main thread until the test creates the release file, saying so on stderr before
 * and after. A test can then do anything it likes while the main thread provably runs nothing else.
 */
export function installMainThreadHooks(): void {
  process.on('SIGUSR2', () => {
    const releaseFile = process.env[RELEASE_FILE_ENV] ?? '';
    process.stderr.write('test hook: main thread busy\n');
    const until = performance.now() + BUSY_MAIN_MAX_MS;
    while (performance.now() < until && !existsSync(releaseFile)) {
      // spin: nothing else on this thread runs meanwhile
    }
    process.stderr.write('test hook: main thread free\n');
  });
}

export function injectWorkerFaults(socket: Socket): void {
  socket.prependListener('data', (chunk: Buffer) => {
    const text = chunk.toString('latin1');
    if (text.includes(EXIT_WORKER)) process.exit(1);
    if (text.includes(THROW_IN_WORKER)) {
      setImmediate(() => {
        throw new Error('test hook: fault injected in worker');
      });
    }
  });
}

/** A client line containing `hexd-test:busy:MS` holds the thread serving it busy for MS ms (at most BUSY_MAIN_MAX_MS). */
export const BUSY_THREAD = 'hexd-test:busy:';
const BUSY_PATTERN = /hexd-test:busy:(\d{1,5})/;

/**
 * Spins the thread that reads the line, before its session sees it: the telemetry tests' way of
 * stalling one event loop for a known time. Armed only with HEXD_TEST_HOOKS=1.
 */
export function holdBusyOnRequest(socket: Socket): void {
  socket.prependListener('data', (chunk: Buffer) => {
    if (chunk[0] !== 0x68) return; // 'h': only lines that start with the hook are looked at
    const match = BUSY_PATTERN.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 64)));
    if (match === null) return;
    const until = performance.now() + Math.min(Number(match[1]), BUSY_MAIN_MAX_MS);
    while (performance.now() < until) {
      // spin: this thread's loop runs nothing else meanwhile
    }
  });
}
