// processes, the main side: one child process per client, for that client's whole session. Sockets
// are accepted paused and sent to the child (`child.send(message, socket)`), which reads, parses
// and writes them itself. A process is the heaviest unit there is: its own V8, heap and event loop,
// tens of megabytes, tens of milliseconds to start; what it buys is isolation, and every core for
// CPU work.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHexServer, sessionSettings, type HexServer } from '../shared/hex-server.ts';
import type { ServerOptions } from '../shared/options.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import { workerScript } from '../shared/worker-source.ts';
import { WaitingLine, takeHead } from '../shared/waiting-line.ts';
import { closeGently } from '../shared/close-gently.ts';
import type { Socket } from 'node:net';
import { telemetryHub } from '../shared/telemetry/hub.ts';

const CHILD_ENTRY = new URL('./worker.ts', import.meta.url);

/** Children starting at once; the other new clients wait in line (see `starting` below). */
const MAX_STARTING = 16;

export function createProcessesServer(options: ServerOptions): HexServer {
  const script = workerScript(CHILD_ENTRY);
  const serveSettings = {
    type: 'serve',
    session: sessionSettings(options),
    verbose: options.verbose,
    telemetry: options.telemetry,
  } as const;

  return createHexServer('processes', options, (changed) => {
    const children = new Set<ChildProcess>();
    // Children still starting. A start is tens of milliseconds of CPU, so a client gets its child
    // once it has sent its first bytes (every client speaks first here), MAX_STARTING at a time, in
    // arrival order; until then it waits in line, watched, and one who leaves costs no process.
    const starting = new Set<ChildProcess>();
    const waiting = new WaitingLine(changed, { watchForLeaving: true, sent: () => startMore() });
    let closing = false;
    // A child starts, serves its one client, and exits: none is ever idle.
    telemetryHub.countUnits(() => ({ starting: starting.size, serving: children.size - starting.size, idle: 0, waiting: waiting.length }));

    function startMore(): void {
      while (!closing && starting.size < MAX_STARTING) {
        const socket = waiting.nextThatSent();
        if (socket === undefined) return;
        startChild(socket);
      }
    }

    function startChild(socket: Socket): void {
      socket.setTimeout(0); // the child's session keeps the idle timeout from here
      const child = spawn(process.execPath, ['--eval', script], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      children.add(child); // out of the line and into a child: as many connections as before
      starting.add(child);
      let gone = false;
      const forget = (): void => {
        if (gone) return;
        gone = true;
        if (child.pid !== undefined) telemetryHub.forget(`process ${child.pid}`);
        starting.delete(child);
        children.delete(child);
        changed();
        startMore();
      };
      child.once('exit', () => {
        forget();
        if (!socket.destroyed) socket.destroy(); // it never got the socket
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        process.stderr.write(`hexd: child process failed: ${err.message}\n`);
        // A spawn that failed (EMFILE, EAGAIN: out of descriptors or processes) never exits: its client
        // is told, and its place is free for the next.
        if (child.pid !== undefined) return;
        closeGently(socket, `error: no process could be started for this client (${err.code ?? err.message}); try again later\n`);
        forget();
      });
      child.on('message', (message: FromWorker) => {
        if (message.type === 'telemetry') telemetryHub.report(message.snapshot);
        if (message.type !== 'ready') return;
        starting.delete(child);
        startMore();
        if (socket.destroyed) {
          // The client left while its child started: the child has nothing to serve.
          const shutdown: ToWorker = { type: 'shutdown' };
          child.send(shutdown, ignoreSendError);
          return;
        }
        // The socket's handle moves to the child; our copy is closed once it has been sent.
        const serve: ToWorker = { ...serveSettings, head: takeHead(socket) };
        child.send(serve, socket, { keepOpen: false }, ignoreSendError);
      });
    }

    return {
      pauseOnConnect: true,
      get connections() {
        return children.size + waiting.length;
      },
      accept(socket) {
        // A client silent in line is closed as a silent session would be.
        if (options.idleTimeoutMs > 0) socket.setTimeout(options.idleTimeoutMs, () => closeGently(socket, 'error: idle timeout\n'));
        waiting.join(socket);
        startMore();
      },
      async drain() {
        closing = true;
        await Promise.all([waiting.dismiss(), ...Array.from(children, (child) => {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          const shutdown: ToWorker = { type: 'shutdown' };
          // The child may be leaving on its own: a send that finds the channel closed is fine.
          if (child.connected) child.send(shutdown, ignoreSendError);
          return exited;
        })]);
      },
      destroyAll() {
        waiting.destroyAll();
        for (const child of children) child.kill('SIGKILL');
      },
    };
  });
}

function ignoreSendError(): void {}
