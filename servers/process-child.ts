// The body of one processes-server child: it receives its client's socket and serves it, then exits.

import type { Socket } from 'node:net';
import { Session } from './session.ts';
import type { FromChild, ToChild } from './child-messages.ts';

let session: Session | undefined;

function send(message: FromChild): void {
  process.send?.(message);
}

function leave(): void {
  process.disconnect?.(); // the IPC channel was all that kept this process alive
}

process.on('message', (message: ToChild, socket?: Socket) => {
  if (message.type === 'serve' && socket !== undefined) {
    session = new Session(socket, {
      ...message.session,
      servedBy: `process ${process.pid}`,
      log: message.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
    void session.closed.then(({ replies }) => {
      send({ type: 'done', replies });
      leave();
    });
  } else if (message.type === 'shutdown') {
    if (session === undefined) leave();
    else session.shutdown();
  }
});
send({ type: 'ready' });

// A bug while serving ends this client's session, with a last line if it can, and nothing else.
process.on('uncaughtException', (err) => {
  process.stderr.write(`hexd: process ${process.pid}: ${err.stack ?? err.message}\n`);
  if (session === undefined) process.exit(1);
  session.fail('internal error in this client\'s process; closing');
});
