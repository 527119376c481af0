// The body of one Worker measured by npm run overhead: it loads the modules a hexd threads-server worker
// loads (servers/threads/worker.ts's imports), says it is up, and waits to be terminated.

import { parentPort } from 'node:worker_threads';
import { Session } from '../../servers/shared/session.ts';
import { injectWorkerFaults } from '../../servers/shared/test-hooks.ts';

// Referenced so that no tool drops the imports: loading them is the cost being measured.
const loaded = [Session, injectWorkerFaults].length;
const port = parentPort!;
port.on('message', () => {}); // keeps the thread alive, as a hexd worker waiting for its socket
port.postMessage({ type: 'ready', loaded });
