// `npm run fleet`: hexd backends as separate hosts behind HAProxy. Serves until SIGINT/SIGTERM, or
// measures (--bench) or breaks (--faults) the fleet and reports. Whatever it creates goes when it
// stops, however it stops (fleet.ts).

import { availableParallelism, loadavg } from 'node:os';
import { runEntryPoint } from '../common/entry.ts';
import { EXIT_SIGNALLED } from '../common/errors.ts';
import { formatAddress } from '../common/cli.ts';
import { commandLine, describeEnvironment } from '../load/harness/environment.ts';
import { checkOutputFiles } from '../load/harness/output-files.ts';
import { ROOT } from '../load/harness/peers.ts';
import { writeReportFiles } from '../load/harness/results-page.ts';
import { onFirstStopSignal } from '../load/harness/stop-signals.ts';
import { runFleetBench } from './bench.ts';
import { crashUnderLoad, drainUnderLoad } from './faults.ts';
import { DEFAULT_TIMINGS } from './haproxy-config.ts';
import { startFleet, type Fleet } from './fleet.ts';
import { renderMarkdown } from './markdown.ts';
import { parseFleetCommand } from './options.ts';
import { renderFleetText, type FleetReport } from './report.ts';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The hosts, the backends and where HAProxy listens: the output's first lines. */
function describeFleet(fleet: Fleet): string {
  return [
    `hosts: ${fleet.hosts.description}`,
    ...fleet.backends.map((b) => `backend ${b.name}: ${formatAddress(b.host, b.port)} (pid ${b.server.pid})`),
    `haproxy: ${formatAddress(fleet.frontend.host, fleet.frontend.port)} (pid ${fleet.haproxy.pid}), balance leastconn, PROXY v2 to the backends`,
    '',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseFleetCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  const serve = !options.bench && !options.faults;
  if (!serve) await checkOutputFiles({ '--json': options.json, '--markdown': options.markdown });
  const stopped = Promise.withResolvers<keyof typeof EXIT_SIGNALLED>();
  onFirstStopSignal((signal) => stopped.resolve(signal));
  const loadAtStart = loadavg()[0]!;
  const environment = describeEnvironment({ cwd: ROOT, command: commandLine('fleet/main.ts', 'fleet', argv), python: null });
  const starting = startFleet({ backends: options.backends, variant: options.variant, loopback: options.loopback, port: options.port });
  // A signal while it starts: let the start finish (or fail), then take it all down.
  const fleet = await Promise.race([starting, stopped.promise.then(async () => {
    await (await starting.catch(() => null))?.stop();
    return null;
  })]);
  if (fleet === null) return exitFor(await stopped.promise);
  process.stdout.write(describeFleet(fleet));

  let work: Promise<FleetReport | null>;
  if (serve) {
    process.stdout.write('serving until Ctrl-C (SIGINT) or SIGTERM\n');
    work = new Promise(() => {}); // only a signal ends it
  } else {
    work = (async () => {
      const bench = options.bench ? await runFleetBench(fleet, options.durationSec, log) : null;
      const crash = options.faults ? await crashUnderLoad(fleet, options.durationSec, DEFAULT_TIMINGS, log) : null;
      const drain = options.faults ? await drainUnderLoad(fleet, options.durationSec, log) : null;
      return {
        environment,
        hosts: { kind: fleet.hosts.kind, description: fleet.hosts.description },
        variant: options.variant,
        durationSec: options.durationSec,
        loadAverage: { start: loadAtStart, end: loadavg()[0]!, cpus: availableParallelism() },
        haproxyConfig: fleet.haproxy.configText,
        bench,
        crash,
        drain,
      };
    })();
  }
  let outcome: { report: FleetReport | null } | { signal: keyof typeof EXIT_SIGNALLED };
  try {
    outcome = await Promise.race([work.then((report) => ({ report })), stopped.promise.then((signal) => ({ signal }))]);
  } finally {
    await fleet.stop();
  }
  if ('signal' in outcome) {
    log(`hexd-fleet: ${outcome.signal}: stopped, with every host, backend and HAProxy it started`);
    return exitFor(outcome.signal);
  }
  const report = outcome.report!;
  process.stdout.write(renderFleetText(report));
  const written = await writeReportFiles(report, options, renderMarkdown);
  process.stdout.write(`wrote ${written.join(', ')}\n`);
  const failed = report.bench?.some((p) => p.failed > 0) === true;
  return failed ? 1 : 0;
}

function exitFor(signal: keyof typeof EXIT_SIGNALLED): number {
  return EXIT_SIGNALLED[signal];
}

if (import.meta.main) runEntryPoint('hexd-fleet', () => main(process.argv.slice(2)), { exitWhenDone: true });
