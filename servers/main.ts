// `npm run server -- <variant> [options]`: parse, listen, print the ready line, shut down on a signal.

import { parseServerCommand } from './shared/options.ts';
import { createServer } from './variants.ts';
import { formatReadyLine } from '../common/ready-line.ts';
import { runEntryPoint } from '../common/entry.ts';
import { installMainThreadHooks, testHooksEnabled } from './shared/test-hooks.ts';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseServerCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { variant, options } = command;
  const server = createServer(variant, options);
  const address = await server.listen();
  // Scripts wait for this exact line; the pid is this process, which owns the listening socket.
  process.stdout.write(`${formatReadyLine({ host: address.address, port: address.port, variant, pid: process.pid })}\n`);
  if (address.address === '0.0.0.0' || address.address === '::') {
    process.stderr.write(`hexd: warning: listening on every interface (${address.address}): anyone who can reach this machine can connect\n`);
  }
  if (testHooksEnabled()) installMainThreadHooks();

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (options.verbose) process.stderr.write(`${signal}: shutting down\n`);
  // A second signal means now.
  const forced = () => process.exit(0);
  process.once('SIGINT', forced);
  process.once('SIGTERM', forced);
  await server.close();
  return 0;
}

runEntryPoint('hexd', () => main(process.argv.slice(2)), { exitWhenDone: true });
