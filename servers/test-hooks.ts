// Faults and stalls that only tests can trigger, when HEXD_TEST_HOOKS=1 is in the environment.
// They exist to prove isolation: a busy main thread or a crashing worker must not stop other clients.

import type { Socket } from 'node:net';

export const TEST_HOOKS_ENV = 'HEXD_TEST_HOOKS';
/** A client line containing this makes its worker throw (an uncaught exception in that thread). */
export const THROW_IN_WORKER = 'hexd-test:throw';
/** A client line containing this makes its worker exit at once, as if terminated mid-session. */
export const EXIT_WORKER = 'hexd-test:exit';
export const BUSY_MAIN_MS = 500;

export function testHooksEnabled(): boolean {
  return process.env[TEST_HOOKS_ENV] === '1';
}

/** SIGUSR2 blocks the main thread for BUSY_MAIN_MS, saying so on stderr before and after. */
export function installMainThreadHooks(): void {
  process.on('SIGUSR2', () => {
    process.stderr.write(`test hook: main thread busy for ${BUSY_MAIN_MS} ms\n`);
    const until = performance.now() + BUSY_MAIN_MS;
    while (performance.now() < until) {
      // spin: nothing on this thread runs meanwhile
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
