// An idle server gives back the memory a busy spell grew. V8 sizes a heap's young generation to the
// allocation rate (its semi-spaces double from 1 MB towards their maximum) and shrinks it only in a
// collection that finds the rate low, which a server with nothing to do never runs: 20,000 short
// clients left event-loop's RSS 40-60% above where it stood after the first 1,000, the live heap
// unchanged (13 MB), the young generation grown from 1 to 26-43 MB. So once a thread has held no
// connection for IDLE_RELEASE_MS after serving some, it runs one memory-reducing collection, the
// kind V8 runs on a low-memory notification: about 40 ms of a thread that has no one to serve.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const IDLE_RELEASE_MS = 1_000;

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let collect: Collect | undefined;

/** V8's gc(), which Node exposes only to a context made after --expose-gc is set. */
function collector(): Collect {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  return collect;
}

/** One memory-reducing collection of this thread's heap, now. */
export function releaseMemory(): void {
  collector()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

export class IdleRelease {
  #timer: NodeJS.Timeout | undefined;
  /** Whether a connection came since the last release: an idle server releases once, not forever. */
  #served = false;

  /** Called with the thread's connection count whenever it changes. */
  update(connections: number): void {
    if (connections > 0) {
      this.#served = true;
      clearTimeout(this.#timer);
      this.#timer = undefined;
      return;
    }
    if (!this.#served || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#served = false;
      releaseMemory();
    }, IDLE_RELEASE_MS).unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
