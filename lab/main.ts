// `npm run lab`: serves the live lab's page on 127.0.0.1 and prints its URL; runs until SIGINT or
// SIGTERM, which stop every server and load it started, then exit 130 or 143.

import { runEntryPoint } from '../common/entry.ts';
import { EXIT_SIGNALLED } from '../common/errors.ts';
import { killStartedServers } from '../load/harness/server-process.ts';
import { onFirstStopSignal, type StopSignal } from '../load/harness/stop-signals.ts';
import { parseLabCommand } from './options.ts';
import { buildPageFiles } from './page-bundle.ts';
import { LabServer } from './lab-server.ts';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseLabCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  // However the lab ends, no server it started outlives it (a crash included).
  process.once('exit', killStartedServers);
  const lab = new LabServer({ ...options, page: buildPageFiles(), log: (line) => process.stderr.write(`hexd-lab: ${line}\n`) });
  const stopped = Promise.withResolvers<StopSignal>();
  onFirstStopSignal((signal) => stopped.resolve(signal));
  const url = await lab.listen();
  process.stdout.write(`lab on ${url}\n`);
  const signal = await stopped.promise;
  await lab.close();
  process.stderr.write(`hexd-lab: ${signal}: stopped, with every server it started\n`);
  return EXIT_SIGNALLED[signal];
}

runEntryPoint('hexd-lab', () => main(process.argv.slice(2)), { exitWhenDone: true });
