// processes, the worker side: what runs in each child process. It receives its client's socket and
// serves it, then exits.

import type { Socket } from 'node:net';
import { Session } from '../shared/session.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import { reportPeriodically, type ThreadReporter } from '../shared/telemetry/thread-monitor.ts';

let session: Session | undefined;
let reporter: ThreadReporter | undefined;

// Once the parent is gone (a forced shutdown, a killed server) the channel is closed, and a send
// or disconnect on it would raise ERR_IPC_CHANNEL_CLOSED: there is no one left to tell.
function send(message: FromWorker): void {
  if (process.connected) process.send?.(message);
}

function leave(): void {
  if (process.connected) process.disconnect?.(); // the IPC channel was all that kept this process alive
}

process.on('message', (message: ToWorker, socket?: Socket) => {
  if (message.type === 'serve' && socket !== undefined) {
    if (message.head !== undefined) socket.unshift(Buffer.from(message.head.buffer, message.head.byteOffset, message.head.byteLength));
    session = new Session(socket, {
      ...message.session,
      servedBy: `process ${process.pid}`,
      log: message.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
    if (message.telemetry) {
      reporter = reportPeriodically('child', `process ${process.pid}`, true, (snapshot) => send({ type: 'telemetry', snapshot }), { restWhenQuiet: true });
      socket.prependListener('data', reporter.wake);
    }
    void session.closed.then(({ replies }) => {
      // Its last figures first, so the server's totals count every reply.
      reporter?.sendNow();
      send({ type: 'done', replies });
      leave();
    });
  } else if (message.type === 'shutdown') {
    if (session === undefined) leave();
    else session.shutdown();
  }
});
send({ type: 'ready' });

// Without its parent (the server died, or was killed) a child has no one to report to and no reason
// to go on: it ends its client's session and leaves, rather than live on as an orphan.
process.on('disconnect', () => {
  if (session === undefined) process.exit(0);
  session.destroy();
});

// stderr may be a pipe whose reader is gone (the server's terminal, a test runner): a failed write
// there must not become an uncaught exception, or the handler below would loop on its own output.
process.stderr.on('error', () => {});

// A bug while serving ends this client's session, with a last line if it can, and nothing else.
let failing = false;
process.on('uncaughtException', (err) => {
  if (failing || session === undefined) process.exit(1); // a second fault, or one with nothing to save
  failing = true;
  process.stderr.write(`hexd: process ${process.pid}: ${err.stack ?? err.message}\n`);
  session.fail('internal error in this client\'s process; closing');
});
