// `npm run soak -- --minutes N [options]`: a long, bounded load against one variant, printing the
// server's memory, file descriptors and threads after every window, and at the end the memory's slope.
// A server that leaks shows a slope; one that does not shows noise around zero. --json FILE keeps it all.

import { runEntryPoint } from '../../common/entry.ts';
import { parseSoakCommand } from './options.ts';
import { loadOptions } from '../harness/load-options.ts';
import { ROOT } from '../harness/peers.ts';
import { sampleTree } from '../harness/proc-sampler.ts';
import { fdCount, processTree } from '../../common/proc.ts';
import { runLoad } from '../harness/run.ts';
import { startServerProcess } from '../harness/server-process.ts';
import { commandLine, describeEnvironment } from '../harness/environment.ts';
import { writeOut } from '../harness/results-page.ts';
import { checkOutputFiles } from '../harness/output-files.ts';
import { stopServersOnSignal } from '../harness/stop-signals.ts';
import { WINDOW_HEADER, rssSlope, summaryLine, windowLine, type SoakReport, type SoakWindow } from './report.ts';

async function openFds(rootPid: number): Promise<number> {
  const tree = await processTree(rootPid);
  let fds = 0;
  for (const { pid } of tree) fds += await fdCount(pid);
  return fds;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseSoakCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  await checkOutputFiles({ '--json': options.json });
  stopServersOnSignal('hexd-soak');
  const environment = describeEnvironment({ cwd: ROOT, command: commandLine('load/soak/main.ts', 'soak', argv), python: null });
  const server = await startServerProcess(process.execPath, ['servers/main.ts', options.variant, '--port', '0'], { cwd: ROOT });
  const target = { host: server.host, port: server.port };
  const endAt = performance.now() + options.minutes * 60_000;
  const startedAt = performance.now();
  const windows: SoakWindow[] = [];
  let failures = 0;
  let requests = 0;
  process.stdout.write(`soak: ${options.variant} (pid ${server.pid}), ${options.connections} clients, pipeline ${options.pipeline}, ${options.minutes} min in ${options.windowSec} s windows\n`);
  process.stdout.write(WINDOW_HEADER);
  try {
    while (performance.now() < endAt && !server.exited) {
      const windowSec = Math.min(options.windowSec, Math.max(1, (endAt - performance.now()) / 1000));
      const summary = await runLoad(loadOptions(target, {
        connections: options.connections,
        pipeline: options.pipeline,
        durationSec: windowSec,
        statsPort: server.statsPort, // the server's own view of each window (docs/telemetry.md)
      }));
      const { wrong, errors, dropped, connectFailed } = summary.replies;
      failures += wrong + errors + dropped + connectFailed;
      requests += summary.replies.ok;
      const sample = await sampleTree(server.pid);
      const window: SoakWindow = {
        fds: await openFds(server.pid),
        atSec: (performance.now() - startedAt) / 1000,
        requestsPerSec: summary.requestsPerSec,
        rssKb: sample?.rssKb ?? null,
        threads: sample?.threads ?? null,
        failures,
        loopDelayP99Ms: summary.server?.loopDelayP99Ms ?? null,
        utilisation: summary.server?.utilisation.mean ?? null,
      };
      windows.push(window);
      process.stdout.write(windowLine(window));
    }
  } finally {
    await server.stop();
  }
  const report: SoakReport = {
    environment,
    options,
    windows,
    requests,
    failures,
    rssSlopeMbPerMinute: rssSlope(windows),
    elapsedSec: Math.round((performance.now() - startedAt) / 100) / 10,
  };
  process.stdout.write(summaryLine(report));
  if (options.json !== undefined) {
    await writeOut(options.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`wrote ${options.json}\n`);
  }
  return failures === 0 ? 0 : 1;
}

if (import.meta.main) runEntryPoint('hexd-soak', () => main(process.argv.slice(2)));
