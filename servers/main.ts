// `npm run server -- <variant> [options]`: parse, listen, print the ready line, shut down on a signal.

import { setTimeout } from 'node:timers/promises';
import { parseServerCommand, type Variant } from './shared/options.ts';
import { plural } from '../common/plural.ts';
import { createServer } from './variants.ts';
import { formatReadyLine } from '../common/ready-line.ts';
import { runEntryPoint } from '../common/entry.ts';
import { installMainThreadHooks, testHooksEnabled } from './shared/test-hooks.ts';
import { fdLimitWarning } from './shared/fd-limit.ts';

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
  if (address.address === '0.0.0.0' || address.address === '::' || address.address === '::ffff:0.0.0.0') {
    process.stderr.write(`hexd: warning: listening on every interface (${address.address}): anyone who can reach this machine can connect\n`);
  }
  const fdWarning = fdLimitWarning(variant, options);
  if (fdWarning !== undefined) process.stderr.write(`${fdWarning}\n`);
  if (testHooksEnabled()) installMainThreadHooks();

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (options.verbose) process.stderr.write(`${signal}: shutting down\n`);
  // A second signal means now.
  const forced = (again: NodeJS.Signals) => {
    process.stderr.write(`hexd: ${again} again: stopping now\n`);
    process.exit(0);
  };
  process.once('SIGINT', forced);
  process.once('SIGTERM', forced);
  const closed = server.close();
  // Most shutdowns are over at once; one that waits on clients says so, and how to cut it short.
  const done = await Promise.race([closed.then(() => true), setTimeout(SHUTDOWN_NOTICE_MS, false)]);
  if (!done) process.stderr.write(`${shutdownNotice(server.variant, server.connections, options.shutdownTimeoutMs)}\n`);
  await closed;
  return 0;
}

/** How long a shutdown runs before the server says what it is waiting for. */
const SHUTDOWN_NOTICE_MS = 100;

function shutdownNotice(variant: Variant, connections: number, timeoutMs: number): string {
  // cluster's primary sees its worker processes, not their clients.
  const whom = variant === 'cluster' ? 'the worker processes\' clients' : plural(connections, 'connected client');
  return `hexd: shutting down: waiting up to ${timeoutMs / 1000} s for ${whom} to finish; a second Ctrl-C (SIGINT or SIGTERM) stops now`;
}

runEntryPoint('hexd', () => main(process.argv.slice(2)), { exitWhenDone: true });
