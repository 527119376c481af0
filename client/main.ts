// `npm run client -- [--host H] [--port P] [numbers...]`: numbers from arguments, stdin, or a prompt.

import { createInterface } from 'node:readline';
import { parseClientCommand, type ClientOptions } from './options.ts';
import { LineClient } from '../common/line-client.ts';
import { runEntryPoint } from '../common/entry.ts';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseClientCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  const client = await LineClient.connect(options.port, { host: options.host });
  if (options.numbers.length > 0) return sendNumbers(client, options);
  if (!process.stdin.isTTY) return sendStdin(client);
  return prompt(client, options);
}

/**
 * Prints each reply on its own line (then calls afterEach); resolves when the server closes, with
 * status 1 if any reply was an error, or throws the ConnectionError that ended it.
 */
async function printReplies(client: LineClient, afterEach = (): void => {}): Promise<number> {
  let failed = false;
  for await (const line of client) {
    failed ||= line.startsWith('error: ');
    process.stdout.write(`${line}\n`);
    afterEach();
  }
  if (client.failure !== null) throw client.failure;
  return failed ? 1 : 0;
}

/** Sends every number at once (pipelined) and half-closes; replies print as they come. */
function sendNumbers(client: LineClient, options: ClientOptions): Promise<number> {
  client.socket.end(options.numbers.map((n) => `${n}\n`).join(''));
  return printReplies(client);
}

/** Sends stdin line by line as it arrives; at its end, half-closes and waits for the last replies. */
async function sendStdin(client: LineClient): Promise<number> {
  const { socket } = client;
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (line) => {
    // Backpressure: stop reading stdin while the socket's buffer is full.
    if (!socket.write(`${line}\n`)) input.pause();
  });
  socket.on('drain', () => input.resume());
  input.once('close', () => socket.end());
  try {
    return await printReplies(client);
  } finally {
    input.close();
  }
}

/** An interactive prompt with history, like nc but one reply per line and a clear prompt. */
async function prompt(client: LineClient, options: ClientOptions): Promise<number> {
  const { socket } = client;
  const input = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: 'hexd> ',
    historySize: 1000,
    removeHistoryDuplicates: true,
  });
  process.stdout.write(`connected to ${options.host}:${options.port}; type a number, Ctrl-D to quit\n`);
  input.prompt();
  input.on('line', (line) => socket.write(`${line}\n`));
  input.once('close', () => socket.end());
  try {
    return await printReplies(client, () => input.prompt());
  } finally {
    input.close();
  }
}

runEntryPoint('hexd-client', () => main(process.argv.slice(2)));
