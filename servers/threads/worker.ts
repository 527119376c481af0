// threads, the worker side: what runs in each Worker. It receives a client's socket and serves it;
// when the client leaves it exits, or, with reuse (the default), tells the main thread and waits for
// the next client, which the main thread sends, or for word to exit.
//
// Priorities: a worker starts at the priority of the main thread, and once its client sends a second
// time it lowers its own to the lowest (nice 19; on Linux a thread's nice is its own). Busy
// sessions then yield the CPU to the main thread, which accepts, and to Workers still starting for
// new clients: with hundreds of clients sending flat out, a newcomer would otherwise wait for its
// thread behind all their traffic. It costs nothing while the CPU has room.

import { MessageChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { setPriority } from 'node:os';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { Session, shareBufferBudget } from '../shared/session.ts';
import { ProcessHoldings } from '../shared/process-holdings.ts';
import type { FromWorker, ToWorker, WorkerData } from './messages.ts';
import { injectWorkerFaults } from '../shared/test-hooks.ts';
import { reportPeriodically } from '../shared/telemetry/thread-monitor.ts';
import { resetThreadCounters } from '../shared/telemetry/counters.ts';
import { releaseMemory } from '../shared/idle-release.ts';
import type { ThreadSnapshot } from '../shared/telemetry/snapshot.ts';

const data = workerData as WorkerData;
if (data.holdings !== undefined) shareBufferBudget(new ProcessHoldings(data.holdings.buffer, data.holdings.slot));
const port = parentPort!;
let session: Session | undefined;
/** The server is closing or the main thread said exit: no further client. */
let leaving = false;

const sendSnapshot = (snapshot: ThreadSnapshot): void => {
  const message: FromWorker = { type: 'telemetry', snapshot };
  port.postMessage(message);
};
const reporter = data.telemetry ? reportPeriodically('worker', `thread ${threadId}`, false, sendSnapshot, { restWhenQuiet: true }) : undefined;
if (data.spare) reporter?.pause(); // until its first client

port.on('message', (message: ToWorker) => {
  if (message.type === 'serve') serve(message);
  else {
    leaving = true;
    if (session === undefined) exit(); // between clients: nothing to end
    else session.shutdown();
  }
});

/** See the top of this file. */
const SERVING_NICE = 19;

function serve({ socket }: Extract<ToWorker, { type: 'serve' }>): void {
  reporter?.resume();
  const current = new Session(socket, {
    ...data.session,
    servedBy: `thread ${threadId}`,
    log: data.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
  session = current;
  if (reporter !== undefined) socket.prependListener('data', reporter.wake);
  if (data.testHooks) injectWorkerFaults(socket);
  // Registered after the session's own 'data' listener, so this runs once the first reply is written.
  socket.once('data', () => {
    const answered: FromWorker = { type: 'answered' };
    port.postMessage(answered);
    // Not yet at the first: a client that asks once and leaves (a churn) would then leave a thread
    // at nice 19 to notice, starved by the Workers starting beside it, while the server started more.
    socket.once('data', lowerPriority);
  });
  void current.closed.then(({ replies }) => {
    session = undefined;
    // A thread whose session failed is not trusted with another client.
    const staying = data.reuse && !leaving && !failing;
    if (staying) raisePriority();
    // Its last figures before it says it is done, so the main thread's totals count every reply;
    // a thread that stays for the next client then stops sampling until it has one.
    if (staying) reporter?.pause();
    else reporter?.sendNow();
    const done: FromWorker = { type: 'done', replies, staying };
    port.postMessage(done);
    if (!staying) exit();
  });
}

/**
 * Ends the thread (nothing but the port keeps it alive), its heap shrunk first. On Node 26, the
 * pages of a Worker's heap outlive it: its teardown hands them to the process's V8 page pool, which
 * never gives them back (V8's --memory-pool-share-memory-on-teardown, a flag that only the command
 * line can turn off). Each exit kept the heap the Worker had grown to: after 1,000 short clients,
 * 100 MB more RSS with every Worker gone, 8 Workers that had used 80 MB each kept 650 MB. Collected
 * down first, a Worker leaves its few live pages behind.
 */
function exit(): void {
  releaseMemory();
  port.close();
}

/**
 * A reused thread goes back to normal priority as soon as its client leaves: it hands itself back
 * and serves its next client's first reply as promptly as a new thread would.
 */
function raisePriority(): void {
  try {
    setPriority(0);
  } catch {
    // raising a priority needs a privilege this process may not have: the thread stays at nice 19
  }
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
  void warmUp().catch(() => {}).finally(() => {
    resetThreadCounters();
    port.postMessage(ready);
  });
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
