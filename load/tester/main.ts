// `npm run load -- --target HOST:PORT [options]`: parse, run, print the tables, write the JSON.

import { runEntryPoint } from '../../common/entry.ts';
import { EXIT_SIGNALLED } from '../../common/errors.ts';
import { parseLoadCommand } from './cli.ts';
import { startProgress } from './progress.ts';
import { describeFailure, renderLoadReport } from '../harness/report.ts';
import { runLoad } from '../harness/run.ts';
import { checkOutputFiles } from '../harness/output-files.ts';
import { writeOut } from '../harness/results-page.ts';
import { onFirstStopSignal, type StopSignal } from '../harness/stop-signals.ts';
import { LineClient } from '../../common/line-client.ts';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseLoadCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  await checkOutputFiles({ '--json': options.json });
  await checkReachable(options.target.host, options.target.port, options.timeoutMs);
  // Ctrl-C or SIGTERM ends the run early; the results so far are still printed and written, and the
  // status says it was stopped (a second signal ends the program at once).
  const interrupt = new AbortController();
  let stoppedBy: StopSignal | undefined;
  onFirstStopSignal((signal) => {
    stoppedBy = signal;
    interrupt.abort();
  });
  const progress = startProgress(process.stderr, {
    durationMs: options.durationSec === null ? null : (options.warmupSec + options.durationSec) * 1000,
    warmupMs: options.warmupSec * 1000,
    requests: options.requests,
  });
  const summary = await runLoad(options, { onProgress: (replies) => progress.update(replies), signal: interrupt.signal });
  progress.stop();
  if (stoppedBy !== undefined) summary.stoppedBy = stoppedBy;

  process.stdout.write(renderLoadReport(summary));
  if (options.json !== null) await writeOut(options.json, `${JSON.stringify(summary, null, 2)}\n`);
  const failure = describeFailure(summary);
  if (failure !== null) process.stderr.write(`hexd-load: ${failure}\n`);
  if (stoppedBy !== undefined) {
    process.stderr.write(`hexd-load: ${stoppedBy}: stopped early, after ${summary.durationSec.toFixed(2)} s; the results above are for that time\n`);
    return EXIT_SIGNALLED[stoppedBy];
  }
  return failure === null ? 0 : 1;
}

/**
 * One connection before the run, so a target with nothing listening is one line and status 2 at once
 * (HEXD_CONNECTION) rather than a run of failed connects and tables of zeros.
 */
async function checkReachable(host: string, port: number, timeoutMs: number): Promise<void> {
  const probe = await LineClient.connect(port, { host, signal: AbortSignal.timeout(timeoutMs) });
  probe.destroy();
}

runEntryPoint('hexd-load', () => main(process.argv.slice(2)));
