// The messages between the pool variant's event loop and its conversion threads.

export interface PoolJob {
  id: number;
  /** The line's bytes, transferred, not copied. */
  line: Uint8Array;
}

export interface PoolResult {
  id: number;
  reply: string;
}
