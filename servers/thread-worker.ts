// The body of one threads-server worker: it receives its client's socket and serves it, then exits.

import { parentPort, threadId, workerData } from 'node:worker_threads';
import { Session } from './session.ts';
import type { FromWorker, ThreadWorkerData, ToWorker } from './thread-messages.ts';
import { injectWorkerFaults } from './test-hooks.ts';

const data = workerData as ThreadWorkerData;
const port = parentPort!;
let session: Session | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'serve') serve(message);
  else session?.shutdown();
});

function serve({ socket }: Extract<ToWorker, { type: 'serve' }>): void {
  session = new Session(socket, {
    ...data.session,
    servedBy: `thread ${threadId}`,
    log: data.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
  if (data.testHooks) injectWorkerFaults(socket);
  void session.closed.then(({ replies }) => {
    const done: FromWorker = { type: 'done', replies };
    port.postMessage(done);
    port.close(); // nothing else keeps this thread alive: it exits
  });
}

// A bug while serving must end this client's session, with a last line if it can, and nothing else.
let failing = false;
process.on('uncaughtException', (err) => {
  if (failing || session === undefined) process.exit(1); // a second fault, or one with nothing to save
  failing = true;
  process.stderr.write(`hexd: thread ${threadId}: ${err.stack ?? err.message}\n`);
  session.fail('internal error in this client\'s thread; closing');
});
