// A Server-Sent Events reader for tests: opens a stream with fetch and awaits the first event that
// matches, so a test waits for what it needs to see rather than for a time.

import { onTestFinished } from 'vitest';

export interface StreamEvent {
  event: string;
  data: unknown;
}

export class EventReader {
  readonly #abort = new AbortController();
  #waiters: { match: (e: StreamEvent) => boolean; resolve: (data: unknown) => void; reject: (err: Error) => void }[] = [];
  #ended: Error | null = null;

  private constructor() {
    onTestFinished(() => this.close());
  }

  /** Opens the stream; resolves once its response has begun. */
  static async open(url: string): Promise<EventReader> {
    const reader = new EventReader();
    const response = await fetch(url, { signal: reader.#abort.signal });
    if (!response.ok || response.body === null) throw new Error(`${url} answered ${response.status}`);
    void reader.#read(response.body);
    return reader;
  }

  /** The first event from now on for which `match` holds (earlier ones are forgotten as they are read). */
  next(event: string, match: (data: unknown) => boolean = () => true): Promise<unknown> {
    if (this.#ended !== null) return Promise.reject(this.#ended);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ match: (e) => e.event === event && match(e.data), resolve, reject });
    });
  }

  /** Closes the stream, as a page that goes away does. */
  close(): void {
    this.#abort.abort();
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of body) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) !== -1) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) this.#deliver({ event, data: JSON.parse(data) as unknown });
        }
      }
      this.#end(new Error('the event stream ended'));
    } catch (err) {
      this.#end(err as Error);
    }
  }

  #deliver(event: StreamEvent): void {
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.match(event)) return true;
      waiter.resolve(event.data);
      return false;
    });
  }

  #end(err: Error): void {
    this.#ended = err;
    for (const waiter of this.#waiters) waiter.reject(err);
    this.#waiters = [];
  }
}
