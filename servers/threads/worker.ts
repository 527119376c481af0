// threads, the worker side: what runs in each Worker. It receives its client's socket and serves it,
// then exits.
//
// Priorities: a worker starts at the priority of the main thread, and once its client has had a
// first reply it lowers its own to the lowest (nice 19; on Linux a thread's nice is its own). Busy
// sessions then yield the CPU to the main thread, which accepts, and to Workers still starting for
// new clients: with hundreds of clients sending flat out, a newcomer would otherwise wait for its
// thread behind all their traffic. It costs nothing while the CPU has room.

import { MessageChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { setPriority } from 'node:os';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { Session } from '../shared/session.ts';
import type { FromWorker, ToWorker, WorkerData } from './messages.ts';
import { injectWorkerFaults } from '../shared/test-hooks.ts';

const data = workerData as WorkerData;
const port = parentPort!;
let session: Session | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'serve') serve(message);
  else session?.shutdown();
});

/** See the top of this file. */
const SERVING_NICE = 19;

function serve({ socket }: Extract<ToWorker, { type: 'serve' }>): void {
  session = new Session(socket, {
    ...data.session,
    servedBy: `thread ${threadId}`,
    log: data.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
  if (data.testHooks) injectWorkerFaults(socket);
  // Registered after the session's own 'data' listener, so this runs once the first reply is written.
  socket.once('data', () => {
    lowerPriority();
    const answered: FromWorker = { type: 'answered' };
    port.postMessage(answered);
  });
  void session.closed.then(({ replies }) => {
    const done: FromWorker = { type: 'done', replies };
    port.postMessage(done);
    port.close(); // nothing else keeps this thread alive: it exits
  });
}

function lowerPriority(): void {
  try {
    setPriority(SERVING_NICE);
  } catch {
    // not allowed here (some containers): the thread keeps its priority
  }
}

// A bug while serving must end this client's session, with a last line if it can, and nothing else.
let failing = false;
process.on('uncaughtException', (err) => {
  if (failing || session === undefined) process.exit(1); // a second fault, or one with nothing to save
  failing = true;
  process.stderr.write(`hexd: thread ${threadId}: ${err.stack ?? err.message}\n`);
  session.fail('internal error in this client\'s thread; closing');
});

// A spare, before it waits, serves one session to itself over loopback: V8 compiles a function on its
// first call, and Node loads its socket code on first use, which would otherwise cost the spare's
// client some milliseconds before its first reply. A Worker started for a waiting client skips this.
const ready: FromWorker = { type: 'ready' };
if (data.spare) {
  // A spare that cannot warm up is still a spare.
  void warmUp().catch(() => {}).finally(() => port.postMessage(ready));
} else {
  port.postMessage(ready);
}

async function warmUp(): Promise<void> {
  // Accepted paused and passed through a MessageChannel, as the main thread passes a client's socket:
  // the handle's transfer, the session and the socket's reads and writes all run once here.
  const { port1, port2 } = new MessageChannel();
  port2.on('message', ({ socket }: { socket: Socket }) => void new Session(socket, { ...data.session, servedBy: 'warm-up' }));
  const server = createServer({ pauseOnConnect: true }, (socket) => port1.postMessage({ socket }, [socket]));
  try {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    client.end('4312\n-0x1\n');
    client.resume();
    await once(client, 'close');
  } finally {
    server.close();
    port1.close();
  }
}
