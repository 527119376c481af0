// `npm run client -- [--host H] [--port P] [numbers...]`: numbers from arguments, stdin, or a prompt.

import { createInterface } from 'node:readline';
import type { Socket } from 'node:net';
import { parseClientCommand, type ClientOptions } from './options.ts';
import { ConnectionError, connect, readReplies } from './connection.ts';
import { UsageError } from '../common/errors.ts';

const isErrorReply = (line: string): boolean => line.startsWith('error: ');

async function main(argv: readonly string[]): Promise<number> {
  const command = parseClientCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  const socket = await connect(options.host, options.port);
  if (options.numbers.length > 0) return sendNumbers(socket, options);
  if (!process.stdin.isTTY) return sendStdin(socket, options);
  return prompt(socket, options);
}

/** Sends every number at once (pipelined), half-closes, and prints the replies as they come. */
async function sendNumbers(socket: Socket, options: ClientOptions): Promise<number> {
  let failed = false;
  const replies = readReplies(socket, options.host, options.port, (line) => {
    failed ||= isErrorReply(line);
    process.stdout.write(`${line}\n`);
  });
  socket.end(options.numbers.map((n) => `${n}\n`).join(''));
  await replies.closed;
  return failed ? 1 : 0;
}

/** Sends stdin line by line as it arrives; at its end, half-closes and waits for the last replies. */
async function sendStdin(socket: Socket, options: ClientOptions): Promise<number> {
  let failed = false;
  const replies = readReplies(socket, options.host, options.port, (line) => {
    failed ||= isErrorReply(line);
    process.stdout.write(`${line}\n`);
  });
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (line) => socket.write(`${line}\n`));
  input.once('close', () => socket.end());
  // Backpressure both ways: stop reading stdin while the socket's buffer is full.
  socket.on('drain', () => input.resume());
  input.on('line', () => {
    if (socket.writableNeedDrain) input.pause();
  });
  await replies.closed;
  input.close();
  return failed ? 1 : 0;
}

/** An interactive prompt with history, like nc but one reply per line and a clear prompt. */
async function prompt(socket: Socket, options: ClientOptions): Promise<number> {
  let failed = false;
  const input = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: 'hexd> ',
    historySize: 1000,
    removeHistoryDuplicates: true,
  });
  const replies = readReplies(socket, options.host, options.port, (line) => {
    failed ||= isErrorReply(line);
    process.stdout.write(`${line}\n`);
    input.prompt();
  });
  process.stdout.write(`connected to ${options.host}:${options.port}; type a number, Ctrl-D to quit\n`);
  input.prompt();
  input.on('line', (line) => socket.write(`${line}\n`));
  input.once('close', () => socket.end());
  try {
    await replies.closed;
  } finally {
    input.close();
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`hexd-client: ${err.message} (see --help)\n`);
      process.exitCode = 2;
    } else if (err instanceof ConnectionError) {
      process.stderr.write(`hexd-client: ${err.message}\n`);
      process.exitCode = 2;
    } else throw err;
  },
);
