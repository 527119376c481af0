// `npm run soak -- --minutes N [options]`: a long, bounded load against one variant, printing the
// server's memory, file descriptors and threads after every window, and at the end the memory's slope.
// A server that leaks shows a slope; one that does not shows noise around zero.

import { runEntryPoint } from '../../common/entry.ts';
import { parseSoakCommand } from './options.ts';
import { loadOptions } from '../harness/load-options.ts';
import { ROOT } from '../harness/peers.ts';
import { sampleTree } from '../harness/proc-sampler.ts';
import { fdCount, processTree } from '../../common/proc.ts';
import { runLoad } from '../harness/run.ts';
import { startServerProcess } from '../harness/server-process.ts';

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function openFds(rootPid: number): Promise<number> {
  const tree = await processTree(rootPid);
  let fds = 0;
  for (const { pid } of tree) fds += await fdCount(pid);
  return fds;
}

const clock = (sec: number): string => `${Math.floor(sec / 60)}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

async function main(argv: readonly string[]): Promise<number> {
  const command = parseSoakCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  const server = await startServerProcess(process.execPath, ['servers/main.ts', options.variant, '--port', '0'], { cwd: ROOT });
  const target = { host: server.host, port: server.port };
  const endAt = performance.now() + options.minutes * 60_000;
  const startedAt = performance.now();
  const minutes: number[] = [];
  const rssMb: number[] = [];
  let failures = 0;
  let requests = 0;
  process.stdout.write(`soak: ${options.variant} (pid ${server.pid}), ${options.connections} clients, pipeline ${options.pipeline}, ${options.minutes} min in ${options.windowSec} s windows\n`);
  process.stdout.write('  time      req/s    RSS (MB)   fds  threads  errors\n');
  try {
    while (performance.now() < endAt && !server.exited) {
      const windowSec = Math.min(options.windowSec, Math.max(1, (endAt - performance.now()) / 1000));
      const summary = await runLoad(loadOptions(target, {
        connections: options.connections,
        pipeline: options.pipeline,
        durationSec: windowSec,
      }));
      const { wrong, errors, dropped, connectFailed } = summary.replies;
      failures += wrong + errors + dropped + connectFailed;
      requests += summary.replies.ok;
      const sample = await sampleTree(server.pid);
      const fds = await openFds(server.pid);
      const atSec = (performance.now() - startedAt) / 1000;
      if (sample !== null) {
        minutes.push(atSec / 60);
        rssMb.push(sample.rssKb / 1024);
      }
      process.stdout.write(
        `  ${clock(atSec).padStart(5)}  ${Math.round(summary.requestsPerSec).toLocaleString('en-US').padStart(9)}  ` +
        `${(sample === null ? '-' : (sample.rssKb / 1024).toFixed(1)).padStart(10)}  ${String(fds).padStart(4)}  ` +
        `${String(sample?.threads ?? '-').padStart(7)}  ${String(failures).padStart(6)}\n`,
      );
    }
  } finally {
    await server.stop();
  }
  // The first window holds start-up growth (JIT, heap sizing): the slope is over the rest.
  const steady = minutes.length > 2 ? 1 : 0;
  const mbPerMinute = slope(minutes.slice(steady), rssMb.slice(steady));
  process.stdout.write(
    `soak: ${requests.toLocaleString('en-US')} correct replies; errors ${failures}; ` +
    `RSS slope ${mbPerMinute >= 0 ? '+' : ''}${mbPerMinute.toFixed(3)} MB/min after the first window ` +
    `(${rssMb[0]?.toFixed(1) ?? '-'} MB to ${rssMb.at(-1)?.toFixed(1) ?? '-'} MB)\n`,
  );
  return failures === 0 ? 0 : 1;
}

if (import.meta.main) runEntryPoint('hexd-soak', () => main(process.argv.slice(2)));
