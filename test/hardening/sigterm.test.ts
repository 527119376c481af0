// Hardening: SIGTERM under load loses nothing. Clients pipeline requests in a closed loop; the server
// is told to stop, answers every line it has read, says `error: shutting down`, sends FIN, reads and
// drops what comes after until each client's FIN, and exits 0. Each client's count of replies must
// equal the count the server logged for it (`PEER closed after N replies`), all in order and correct,
// then the goodbye line and nothing after it, and no client sees a reset.

import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { once } from 'node:events';
import type { Variant } from '../../servers/shared/options.ts';
import { spawnServer } from '../helpers/servers.ts';
import { SHUTTING_DOWN_LINE } from '../../protocol/index.ts';

const GOODBYE = SHUTTING_DOWN_LINE.slice(0, -1);

/** The variants the hardening issue covers (blocking, threads, event-loop). */
const HARDENED = ['blocking', 'threads', 'event-loop'] as const satisfies readonly Variant[];

const CLIENTS = 6;
const IN_FLIGHT = 16;
/** Replies each client has before the signal, so that it lands mid-stream. */
const WARM_REPLIES = 200;

interface Transcript {
  port: number;
  replies: number;
  /** Whether the server's last line was its goodbye. */
  goodbye: boolean;
  /** The first reply that was not the expected one, if any. */
  wrong: string | undefined;
  /** An error the socket reported (ECONNRESET for a reset), if any. */
  error: string | undefined;
  /** Bytes after the last LF. */
  partial: string;
}

/**
 * A client that keeps IN_FLIGHT requests outstanding: each reply sends the next request, until the
 * server's FIN. Client `id` sends id * 1e12 + 0, 1, 2...; reply k must be hex(id * 1e12 + k).
 */
class ClosedLoopClient {
  readonly id: number;
  readonly socket: net.Socket;
  readonly done: Promise<Transcript>;
  readonly warm: Promise<void>;
  /** This client's local port: the server's log names the client by it. */
  port = 0;
  #sent = 0;
  #replies = 0;
  #goodbye = false;
  #wrong: string | undefined;
  #error: string | undefined;
  #buffered = '';
  #serverEnded = false;
  #warmed!: () => void;

  constructor(port: number, id: number) {
    this.id = id;
    this.socket = net.connect({ port, host: '127.0.0.1' });
    this.socket.setNoDelay(true);
    this.warm = new Promise((resolve) => (this.#warmed = resolve));
    this.socket.setEncoding('latin1');
    this.socket.on('connect', () => {
      this.port = this.socket.localPort!;
      for (let i = 0; i < IN_FLIGHT; i++) this.#send();
    });
    this.socket.on('data', (text: string) => this.#onData(text));
    this.socket.on('end', () => (this.#serverEnded = true)); // allowHalfOpen is off: our FIN follows
    this.socket.on('error', (err: NodeJS.ErrnoException) => (this.#error ??= err.code ?? err.message));
    this.done = once(this.socket, 'close').then(() => ({
      port: this.port,
      replies: this.#replies,
      goodbye: this.#goodbye,
      wrong: this.#wrong,
      error: this.#error,
      partial: this.#buffered,
    }));
  }

  #value(k: number): bigint {
    return BigInt(this.id) * 10n ** 12n + BigInt(k);
  }

  #send(): void {
    this.socket.write(`${this.#value(this.#sent++)}\n`);
  }

  #onData(text: string): void {
    this.#buffered += text;
    const lines = this.#buffered.split('\n');
    this.#buffered = lines.pop()!;
    for (const line of lines) {
      if (this.#goodbye) {
        this.#wrong ??= `after the goodbye: ${JSON.stringify(line)}`;
        continue;
      }
      if (line === GOODBYE) {
        this.#goodbye = true;
        continue;
      }
      const expected = `0x${this.#value(this.#replies).toString(16)}`;
      if (line !== expected) this.#wrong ??= `reply ${this.#replies}: ${JSON.stringify(line)}, expected ${expected}`;
      this.#replies++;
      if (this.#replies === WARM_REPLIES) this.#warmed();
      if (!this.#serverEnded && this.socket.writable) this.#send();
    }
  }
}

// Where clients are served side by side, every one of them is mid-stream when the signal comes.
describe.each(HARDENED.filter((variant) => variant !== 'blocking'))('%s', (variant) => {
  it(`SIGTERM under load from ${CLIENTS} pipelining clients: every request read is answered, then the goodbye line, exit 0`, async ({ annotate }) => {
    const hexd = await spawnServer([variant, '--port', '0', '--verbose']);
    const clients = Array.from({ length: CLIENTS }, (_, id) => new ClosedLoopClient(hexd.port, id + 1));
    await Promise.all(clients.map((client) => client.warm));

    hexd.child.kill('SIGTERM');
    const transcripts = await Promise.all(clients.map((client) => client.done));
    expect(await hexd.exited).toBe(0);

    const logged = new Map(hexd.stderr.flatMap((line) => {
      const match = /^127\.0\.0\.1:(\d+) closed after (\d+) repl(?:y|ies)/.exec(line);
      return match === null ? [] : [[Number(match[1]), Number(match[2])] as const];
    }));
    for (const transcript of transcripts) {
      expect(transcript).toMatchObject({ goodbye: true, wrong: undefined, error: undefined, partial: '' });
      expect(transcript.replies, `client on port ${transcript.port}`).toBe(logged.get(transcript.port));
    }
    await annotate(`${variant}: replies per client at shutdown ${transcripts.map((t) => t.replies).join(', ')}; server logged the same`);
  });
});

// Blocking serves one client; the others wait their turn, unread, and are told the server is going.
it(`blocking: SIGTERM under load answers the served client's every request read, tells those waiting, exit 0`, async ({ annotate }) => {
  const hexd = await spawnServer(['blocking', '--port', '0', '--verbose']);
  const served = new ClosedLoopClient(hexd.port, 1);
  await served.warm;
  // The others pipeline too, but wait their turn unread.
  const waiting = Array.from({ length: CLIENTS - 1 }, (_, id) => new ClosedLoopClient(hexd.port, id + 2));
  await Promise.all(waiting.map((client) => once(client.socket, 'connect')));
  for (const client of waiting) await hexd.stderrLine(new RegExp(`^127\\.0\\.0\\.1:${client.port} waiting its turn`));

  hexd.child.kill('SIGTERM');
  const [transcript, ...told] = await Promise.all([served, ...waiting].map((client) => client.done));
  expect(await hexd.exited).toBe(0);

  const closed = await hexd.stderrLine(new RegExp(`^127\\.0\\.0\\.1:${transcript!.port} closed after \\d+ repl(?:y|ies)`));
  expect(transcript).toMatchObject({ goodbye: true, wrong: undefined, error: undefined, partial: '' });
  expect(closed).toMatch(new RegExp(` closed after ${transcript!.replies} repl(?:y|ies) `));
  for (const other of told) {
    expect(other).toMatchObject({ replies: 0, goodbye: true, wrong: undefined, error: undefined, partial: '' });
  }
  await annotate(`blocking: served client got ${transcript!.replies} replies, server logged the same; ${told.length} waiting clients told "error: shutting down"`);
});
