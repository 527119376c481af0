// The client's side of a connection: connect with a clear error, then hand over reply lines as they come.

import net, { type Socket } from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { formatAddress } from '../common/cli.ts';

import { ConnectionError } from '../common/errors.ts';

export async function connect(host: string, port: number): Promise<Socket> {
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  try {
    await once(socket, 'connect');
  } catch (err) {
    throw describe(err as NodeJS.ErrnoException, host, port);
  }
  return socket;
}

export function describe(err: NodeJS.ErrnoException, host: string, port: number): ConnectionError {
  const where = formatAddress(host, port);
  switch (err.code) {
    case 'ECONNREFUSED':
      return new ConnectionError(`cannot connect to ${where}: connection refused (is a server running? try npm start)`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectionError(`connection to ${where} was reset by the server`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionError(`cannot connect to ${where}: unknown host ${host}`);
    default:
      return new ConnectionError(`connection to ${where} failed: ${err.code ?? err.message}`);
  }
}

export interface ReplyStream {
  /** Settles when the server has closed the connection; rejects with a ConnectionError on a reset. */
  closed: Promise<void>;
}

/** Calls onReply for each reply line until the server closes the connection. */
export function readReplies(socket: Socket, host: string, port: number, onReply: (line: string) => void): ReplyStream {
  const lines = createInterface({ input: socket, crlfDelay: Infinity });
  lines.on('line', onReply);
  const closed = new Promise<void>((resolve, reject) => {
    let failure: ConnectionError | undefined;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      failure = describe(err, host, port);
    });
    socket.once('close', () => (failure === undefined ? resolve() : reject(failure)));
  });
  return { closed };
}
