// pool's messages, typed in one place: ToWorker (event loop → a conversion thread: a job), FromWorker
// (conversion thread → event loop: its reply), and the WorkerData each thread starts with.

/** Given to each conversion thread at start. */
export interface WorkerData {
  maxDigits: number;
}

export interface ToWorker {
  id: number;
  /** The line's bytes, transferred, not copied. */
  line: Uint8Array;
}

export interface FromWorker {
  id: number;
  reply: string;
}
