// What every thread of one process holds against its --max-buffered-bytes, in shared memory. On
// threads each Worker's sessions are the only ones of their thread, so a budget per thread would bound
// one connection, not the process; with this, each thread's budget sees the others' bytes too.
//
// Layout, in Int32 units: the total in KiB, the slots in use, then two per slot: the KiB that slot's
// thread holds (-1 while the slot is free) and whether it holds its connections back (0 or 1). KiB,
// rounded up, so that the total of a large budget fits 32 bits; what is rounded is under 1 KiB a thread.

const TOTAL = 0;
const IN_USE = 1;
const HEADER = 2;
const FREE = -1;
const KIB = 1024;

/** Another thread's holding, as it last published it. */
export interface PeerHolding {
  bytes: number;
  heldBack: boolean;
}

export class ProcessHoldings {
  readonly #cells: Int32Array;
  readonly slot: number;
  #publishedKib = 0;

  /** Shared memory for `slots` threads, every slot free: made by the thread that starts the others. */
  static create(slots: number): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer((HEADER + 2 * slots) * Int32Array.BYTES_PER_ELEMENT);
    const cells = new Int32Array(buffer);
    for (let slot = 0; slot < slots; slot++) cells[HEADER + 2 * slot] = FREE;
    return buffer;
  }

  /** The first free slot, taken for a thread about to start; undefined when all are in use. */
  static claim(buffer: SharedArrayBuffer): number | undefined {
    const cells = new Int32Array(buffer);
    for (let slot = 0; HEADER + 2 * slot < cells.length; slot++) {
      if (Atomics.compareExchange(cells, HEADER + 2 * slot, FREE, 0) === FREE) {
        Atomics.store(cells, HEADER + 2 * slot + 1, 0);
        Atomics.add(cells, IN_USE, 1);
        return slot;
      }
    }
    return undefined;
  }

  /** Gives a slot back once its thread has exited, taking what it still held out of the total. */
  static free(buffer: SharedArrayBuffer, slot: number): void {
    const cells = new Int32Array(buffer);
    const kib = Atomics.exchange(cells, HEADER + 2 * slot, FREE);
    if (kib === FREE) return;
    Atomics.sub(cells, TOTAL, kib);
    Atomics.sub(cells, IN_USE, 1);
  }

  /** A thread's view, through the slot claimed for it. */
  constructor(buffer: SharedArrayBuffer, slot: number) {
    this.#cells = new Int32Array(buffer);
    this.slot = slot;
  }

  /** The other threads' bytes, as they last published. */
  get othersBytes(): number {
    return (Atomics.load(this.#cells, TOTAL) - this.#publishedKib) * KIB;
  }

  /** Threads holding a slot: each connection's share of half the budget divides among them. */
  get threads(): number {
    return Atomics.load(this.#cells, IN_USE);
  }

  /** What this thread holds now, and whether it holds its connections back. */
  publish(bytes: number, heldBack: boolean): void {
    const kib = Math.ceil(bytes / KIB);
    if (kib !== this.#publishedKib) {
      Atomics.add(this.#cells, TOTAL, kib - this.#publishedKib);
      Atomics.store(this.#cells, HEADER + 2 * this.slot, kib);
      this.#publishedKib = kib;
    }
    Atomics.store(this.#cells, HEADER + 2 * this.slot + 1, heldBack ? 1 : 0);
  }

  /** Every other thread in a slot, as it last published. */
  peers(): PeerHolding[] {
    const peers: PeerHolding[] = [];
    for (let slot = 0; HEADER + 2 * slot < this.#cells.length; slot++) {
      const kib = Atomics.load(this.#cells, HEADER + 2 * slot);
      if (slot === this.slot || kib === FREE) continue;
      peers.push({ bytes: kib * KIB, heldBack: Atomics.load(this.#cells, HEADER + 2 * slot + 1) === 1 });
    }
    return peers;
  }
}
