// SIGINT or SIGTERM while the server is still starting. Node's default would kill it mid-start (a
// shell reports 130 or 143, with nothing said); instead the signal is noted here, from the first
// module main.ts evaluates, and main.ts stops once its listeners are up, before the ready line.

type StartSignal = 'SIGINT' | 'SIGTERM';

let received: StartSignal | undefined;
const waiters: ((signal: StartSignal) => void)[] = [];

function note(signal: StartSignal): void {
  received ??= signal;
  for (const wake of waiters.splice(0)) wake(signal);
}

process.on('SIGINT', note);
process.on('SIGTERM', note);

/** The first signal received while starting, if any. */
export function signalWhileStarting(): StartSignal | undefined {
  return received;
}

/** Resolves with the first signal while starting (at once if one has come): the start-hold test hook's wait. */
export function nextSignalWhileStarting(): Promise<StartSignal> {
  if (received !== undefined) return Promise.resolve(received);
  return new Promise((resolve) => waiters.push(resolve));
}

/** Started: signals are the running server's shutdown from here on (main.ts's own handlers). */
export function stopNotingSignals(): void {
  process.off('SIGINT', note);
  process.off('SIGTERM', note);
}
