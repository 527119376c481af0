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

const CHILD_ENTRY = new URL('./worker.ts', import.meta.url);

export function createProcessesServer(options: ServerOptions): HexServer {
  const script = workerScript(CHILD_ENTRY);
  const serve: ToWorker = {
    type: 'serve',
    session: sessionSettings(options),
    verbose: options.verbose,
  };

  return createHexServer('processes', options, (changed) => {
    const children = new Set<ChildProcess>();
    return {
      pauseOnConnect: true,
      get connections() {
        return children.size;
      },
      accept(socket) {
        const child = spawn(process.execPath, ['--eval', script], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          serialization: 'advanced',
        });
        children.add(child);
        changed();
        child.once('exit', () => {
          children.delete(child);
          changed();
          if (!socket.destroyed) socket.destroy(); // it never got the socket
        });
        child.on('error', (err) => process.stderr.write(`hexd: child process failed: ${err.message}\n`));
        child.on('message', (message: FromWorker) => {
          if (message.type !== 'ready') return;
          // The socket's handle moves to the child; our copy is closed once it has been sent.
          child.send(serve, socket, { keepOpen: false }, ignoreSendError);
        });
      },
      async drain() {
        await Promise.all(Array.from(children, (child) => {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          const shutdown: ToWorker = { type: 'shutdown' };
          // The child may be leaving on its own: a send that finds the channel closed is fine.
          if (child.connected) child.send(shutdown, ignoreSendError);
          return exited;
        }));
      },
      destroyAll() {
        for (const child of children) child.kill('SIGKILL');
      },
    };
  });
}

function ignoreSendError(): void {}
