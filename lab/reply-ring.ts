// Correct replies handed from a variant's load thread to the lab's own thread: (client, latency)
// pairs in a ring of shared memory, one thread writing, the other reading. The lab reads them when it
// makes a frame, so its frames keep their pace however busy the load's thread is.

/** Replies the ring holds: over three seconds of the fastest load seen (76,000 replies/s). */
const SLOTS = 1 << 18;
const MASK = SLOTS - 1;

export class ReplyRing {
  readonly buffer: SharedArrayBuffer;
  /** [0]: replies written so far (wrapping past 2^31: only differences are used). */
  readonly #written: Int32Array;
  /** Client and latency of reply n at 2 * (n & MASK). */
  readonly #pairs: Float64Array;
  /** Replies read so far, on the reading side. */
  #read = 0;

  constructor(buffer = new SharedArrayBuffer(8 + SLOTS * 2 * Float64Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.#written = new Int32Array(buffer, 0, 1);
    this.#pairs = new Float64Array(buffer, 8, SLOTS * 2);
  }

  /** The writing side: one correct reply. */
  write(client: number, latencyMs: number): void {
    const n = Atomics.load(this.#written, 0);
    const at = 2 * (n & MASK);
    this.#pairs[at] = client;
    this.#pairs[at + 1] = latencyMs;
    Atomics.store(this.#written, 0, (n + 1) | 0); // after the pair: the reader sees it whole
  }

  /** The reading side: every reply written since the last call, oldest first (the newest SLOTS, if more). */
  drain(each: (client: number, latencyMs: number) => void): void {
    const written = Atomics.load(this.#written, 0);
    let n = ((written - this.#read) | 0) > SLOTS ? (written - SLOTS) | 0 : this.#read;
    for (; n !== written; n = (n + 1) | 0) {
      const at = 2 * (n & MASK);
      each(this.#pairs[at]!, this.#pairs[at + 1]!);
    }
    this.#read = written;
  }
}
