// `npm run load -- --target HOST:PORT [options]`: parse, run, print the tables, write the JSON.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runEntryPoint } from '../../common/entry.ts';
import { parseLoadCommand } from './cli.ts';
import { startProgress } from './progress.ts';
import { describeFailure, renderLoadReport } from '../harness/report.ts';
import { runLoad } from '../harness/run.ts';
import { LineClient } from '../../common/line-client.ts';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseLoadCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  await checkReachable(options.target.host, options.target.port, options.timeoutMs);
  // Ctrl-C ends the run early; the results so far are still printed and written.
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  const progress = startProgress(process.stderr, {
    durationMs: options.durationSec === null ? null : (options.warmupSec + options.durationSec) * 1000,
    warmupMs: options.warmupSec * 1000,
    requests: options.requests,
  });
  const summary = await runLoad(options, { onProgress: (replies) => progress.update(replies), signal: interrupt.signal });
  progress.stop();

  process.stdout.write(renderLoadReport(summary));
  if (options.json !== null) {
    await mkdir(dirname(options.json), { recursive: true });
    await writeFile(options.json, `${JSON.stringify(summary, null, 2)}\n`);
  }
  const failure = describeFailure(summary);
  if (failure !== null) process.stderr.write(`hexd-load: ${failure}\n`);
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
