// Run as its own process by npm run overhead (`node load/overhead/probe.ts FLAVOUR COUNT`): starts COUNT
// Workers one after another, each until its first message, keeps them all alive, and prints one JSON
// line: this process's RSS before and after, and each Worker's bring-up time. Its own process, so the
// RSS it reads holds only the Workers and one Node runtime.

import { Worker, type ResourceLimits } from 'node:worker_threads';
import { serverOptions } from '../../servers/shared/options.ts';
import { sessionSettings } from '../../servers/shared/hex-server.ts';
import { workerResourceLimits } from '../../servers/threads/server.ts';
import { workerScript } from '../../servers/shared/worker-source.ts';
import { rssKb } from '../../common/proc.ts';
import type { ProbeResult, WorkerFlavour } from './units.ts';

const UNIT_URL = new URL('./unit-worker.ts', import.meta.url);
/** A plain JavaScript Worker, the least a Worker can be. */
const BARE_WORKER = "const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => {}); parentPort.postMessage({ type: 'ready' });";

function starter(flavour: WorkerFlavour): () => Worker {
  const options = serverOptions();
  const workerData = { session: sessionSettings(options), verbose: false, testHooks: false };
  const resourceLimits: ResourceLimits = workerResourceLimits(options);
  switch (flavour) {
    case 'worker-hexd': {
      // As servers/threads/server.ts does: one script bundled once by this thread (servers/shared/worker-source.ts).
      const script = workerScript(UNIT_URL);
      return () => new Worker(script, { eval: true, workerData, resourceLimits });
    }
    case 'worker-ts':
      // Each Worker loads the .ts sources itself, so Node's type stripper runs in every new isolate.
      return () => new Worker(UNIT_URL, { workerData, resourceLimits });
    case 'worker-bare':
      return () => new Worker(BARE_WORKER, { eval: true });
  }
}

function upOne(start: () => Worker): Promise<{ worker: Worker; ms: number }> {
  const t0 = performance.now();
  const worker = start();
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve({ worker, ms: performance.now() - t0 }));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited (code ${code}) before it was up`)));
  });
}

async function main(flavour: WorkerFlavour, count: number): Promise<ProbeResult> {
  const start = starter(flavour);
  // One first, not counted: what every Worker shares (code, the bundled script) is loaded once.
  const first = await upOne(start);
  await settle();
  const rssBeforeKb = rssKb() ?? 0;
  const bringUpMs: number[] = [];
  const workers = [first.worker];
  for (let i = 0; i < count; i++) {
    const { worker, ms } = await upOne(start);
    workers.push(worker);
    bringUpMs.push(ms);
  }
  await settle();
  const rssAfterKb = rssKb() ?? 0;
  await Promise.all(workers.map((w) => w.terminate()));
  return { flavour, count, rssBeforeKb, rssAfterKb, bringUpMs };
}

/** A moment for the new threads' first allocations to land before RSS is read. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 200));
}

const [flavour, count] = process.argv.slice(2);
if (flavour !== 'worker-hexd' && flavour !== 'worker-ts' && flavour !== 'worker-bare') {
  process.stderr.write('usage: node load/overhead/probe.ts worker-hexd|worker-ts|worker-bare COUNT\n');
  process.exitCode = 2;
} else {
  const result = await main(flavour, Number(count ?? 20));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
