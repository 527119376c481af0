// `npm run client -- [--host H] [--port P] [numbers...]`: numbers from arguments, stdin, or a prompt.

import { createInterface } from 'node:readline';
import { parseClientCommand, type ClientOptions } from './options.ts';
import { LineClient } from '../common/line-client.ts';
import { formatAddress } from '../common/cli.ts';
import { ConnectionError, EXIT_SIGNALLED } from '../common/errors.ts';
import { runEntryPoint } from '../common/entry.ts';
import { plural } from '../common/plural.ts';
import { isShuttingDownLine } from '../protocol/index.ts';

// Ctrl-C or a kill (while a blocking server keeps this client in line, say): stop at once and quietly,
// with the status docs/errors.md gives an interrupted command, as perf and a starting server do.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(EXIT_SIGNALLED[signal]));

/** How long the first reply may take before the client says it is still waiting (its turn, on blocking). */
const WAITING_NOTICE_MS = 1_000;

/** What one connection has sent and heard, so the end can tell a finished talk from a server gone away. */
class Exchange {
  readonly client: LineClient;
  sent = 0;
  replies = 0;
  /** Set when this side half-closed: nothing more to send. */
  finished = false;
  /** Set when the server said it is shutting down: it answered every line it read, and read no more. */
  saidGoodbye = false;
  #notice: NodeJS.Timeout | undefined;

  constructor(client: LineClient) {
    this.client = client;
  }

  /** Sends one line; the first starts the waiting notice, which the first reply cancels. */
  send(line: string): boolean {
    return this.sendAll([line]);
  }

  /** Sends lines in one write. */
  sendAll(lines: readonly string[]): boolean {
    const first = this.sent === 0;
    this.sent += lines.length;
    if (first && lines.length > 0) {
      this.#notice = setTimeout(() => {
        process.stderr.write(`hexd-client: connected, no reply yet: waiting (a blocking server serves one client at a time; yours is in line)\n`);
      }, WAITING_NOTICE_MS);
      this.#notice.unref();
    }
    return this.client.socket.write(lines.map((line) => `${line}\n`).join(''));
  }

  finish(): void {
    this.finished = true;
    this.client.socket.end();
  }

  replied(): void {
    this.replies++;
    clearTimeout(this.#notice);
  }

  /** After the server closed: a ConnectionError if it closed before this side was done, else null. */
  wentAway(): ConnectionError | null {
    clearTimeout(this.#notice);
    const where = formatAddress(this.client.host, this.client.port);
    const unanswered = this.sent - this.replies;
    if (this.saidGoodbye && (unanswered > 0 || !this.finished)) {
      const rest = unanswered > 0 ? `; ${plural(unanswered, 'line')} unanswered, never read there, so safe to send again` : '';
      return new ConnectionError(`${where} is shutting down: it answered every line it read${rest}`);
    }
    if (unanswered > 0) return new ConnectionError(`${where} closed the connection with ${plural(unanswered, 'line')} unanswered: the server stopped or dropped this client`);
    if (!this.finished) return new ConnectionError(`${where} closed the connection: the server stopped or dropped this client`);
    return null;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseClientCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  const exchange = new Exchange(await LineClient.connect(options.port, { host: options.host, connectTimeoutMs: options.connectTimeoutMs }));
  if (options.numbers.length > 0) return sendNumbers(exchange, options);
  if (!process.stdin.isTTY) return sendStdin(exchange);
  return prompt(exchange, options);
}

/**
 * Prints each reply on its own line (then calls afterEach); resolves when the server closes, with
 * status 1 (and a line on stderr, as for every failure that is a result) if any reply was an error,
 * or throws the ConnectionError that ended it (a reset, or the server closing before this side was done).
 */
async function printReplies(exchange: Exchange, afterEach = (): void => {}): Promise<number> {
  let errors = 0;
  for await (const line of exchange.client) {
    if (isShuttingDownLine(line)) {
      exchange.saidGoodbye = true; // not a reply: the close that follows says what it means
      continue;
    }
    exchange.replied();
    if (line.startsWith('error: ')) errors++;
    process.stdout.write(`${line}\n`);
    afterEach();
  }
  const failure = exchange.client.failure ?? exchange.wentAway();
  if (failure !== null) throw failure;
  if (errors === 0) return 0;
  // stdout may be a file or a pipe: the reason for status 1 goes where a person looks.
  process.stderr.write(`hexd-client: ${errorRepliesLine(errors, exchange.replies)}\n`);
  return 1;
}

/** `2 of 3 replies were errors (the "error: " lines say why)`. */
function errorRepliesLine(errors: number, replies: number): string {
  const which = errors === 1 ? 'was an error (the "error: " line says why)' : 'were errors (the "error: " lines say why)';
  return `${errors} of ${plural(replies, 'reply', 'replies')} ${which}`;
}

/** Sends every number at once (pipelined) and half-closes; replies print as they come. */
function sendNumbers(exchange: Exchange, options: ClientOptions): Promise<number> {
  exchange.sendAll(options.numbers);
  exchange.finish();
  return printReplies(exchange);
}

/** Sends stdin line by line as it arrives; at its end, half-closes and waits for the last replies. */
async function sendStdin(exchange: Exchange): Promise<number> {
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (line) => {
    // Backpressure: stop reading stdin while the socket's buffer is full.
    if (!exchange.send(line)) input.pause();
  });
  exchange.client.socket.on('drain', () => input.resume());
  input.once('close', () => exchange.finish());
  try {
    return await printReplies(exchange);
  } finally {
    input.close();
  }
}

/** An interactive prompt with history, like nc but one reply per line and a clear prompt. */
async function prompt(exchange: Exchange, options: ClientOptions): Promise<number> {
  const input = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: 'hexd> ',
    historySize: 1000,
    removeHistoryDuplicates: true,
  });
  process.stdout.write(`connected to ${options.host}:${options.port}; type a number, Ctrl-D to quit\n`);
  input.prompt();
  input.on('line', (line) => exchange.send(line));
  input.once('close', () => exchange.finish());
  try {
    return await printReplies(exchange, () => input.prompt());
  } finally {
    input.close();
  }
}

runEntryPoint('hexd-client', () => main(process.argv.slice(2)));
