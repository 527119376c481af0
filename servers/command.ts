// The server command (`npm run server -- <variant> [options]`, started by main.ts): parse, listen,
// print the ready line, shut down on a signal.

// First (main.ts imports it first too), so that a signal during the start is noted from as early as can be.
import { nextSignalWhileStarting, signalWhileStarting, stopNotingSignals } from './shared/early-signals.ts';
import { setTimeout } from 'node:timers/promises';
import { parseServerCommand, type Variant } from './shared/options.ts';
import { plural } from '../common/plural.ts';
import { createServer } from './variants.ts';
import { formatReadyLine } from '../common/ready-line.ts';
import { runEntryPoint } from '../common/entry.ts';
import { holdStart, holdStartEnabled, installMainThreadHooks, testHooksEnabled } from './shared/test-hooks.ts';
import { fdLimitWarning } from './shared/fd-limit.ts';
import { telemetryHub } from './shared/telemetry/hub.ts';
import { listenStats, type StatsServer } from './shared/telemetry/stats-server.ts';
import { formatStatsLine } from '../common/stats-line.ts';
import { EXIT_SIGNALLED, ListenError } from '../common/errors.ts';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseServerCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { variant, options } = command;
  if (holdStartEnabled()) await holdStart(nextSignalWhileStarting());
  // The answering thread's own monitor starts first, so it sees the server's start too.
  if (options.telemetry) telemetryHub.start(variant === 'cluster' ? 'primary' : 'main');
  const server = createServer(variant, options);
  const address = await server.listen();
  let stats: StatsServer | undefined;
  if (options.telemetry) {
    try {
      stats = await listenStats(telemetryHub, variant, options.host, options.statsPort);
    } catch (err) {
      await server.close();
      throw statsListenError(err as NodeJS.ErrnoException, options.host, options.statsPort);
    }
  }
  // A signal while starting: the listeners are up (a start is not cut in half) but no one was told,
  // so nothing waits to be served; stop without the ready line.
  const early = signalWhileStarting();
  if (early !== undefined) {
    await stats?.close();
    await server.close();
    process.stderr.write(`hexd: ${early} while starting: stopped before serving anyone\n`);
    return EXIT_SIGNALLED[early];
  }
  // Scripts wait for this exact line; the pid is this process, which owns the listening socket.
  process.stdout.write(`${formatReadyLine({ host: address.address, port: address.port, variant, pid: process.pid })}\n`);
  if (stats !== undefined) process.stdout.write(`${formatStatsLine({ host: stats.address.address, port: stats.address.port })}\n`);
  if (address.address === '0.0.0.0' || address.address === '::' || address.address === '::ffff:0.0.0.0') {
    const figures = stats === undefined ? '' : `, and /stats and /metrics on port ${stats.address.port} tell anyone how busy it is (--no-telemetry turns them off)`;
    process.stderr.write(`hexd: warning: listening on every interface (${address.address}): anyone who can reach this machine can connect${figures}\n`);
  }
  const fdWarning = fdLimitWarning(variant, options);
  if (fdWarning !== undefined) process.stderr.write(`${fdWarning}\n`);
  if (testHooksEnabled()) installMainThreadHooks();

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    // Only now: with no handler at all, even for an instant, a signal would kill the server unsaid.
    stopNotingSignals();
  });
  if (options.verbose) process.stderr.write(`${signal}: shutting down\n`);
  // A second signal means now.
  const forced = (again: NodeJS.Signals) => {
    process.stderr.write(`hexd: ${again} again: stopping now\n`);
    process.exit(0);
  };
  process.once('SIGINT', forced);
  process.once('SIGTERM', forced);
  void stats?.close();
  telemetryHub.stop();
  const closed = server.close();
  // Most shutdowns are over at once; one that waits on clients says so, and how to cut it short.
  const done = await Promise.race([closed.then(() => true), setTimeout(SHUTDOWN_NOTICE_MS, false)]);
  if (!done) process.stderr.write(`${shutdownNotice(server.variant, server.connections, options.shutdownTimeoutMs)}\n`);
  await closed;
  return 0;
}

function statsListenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') {
    return new ListenError('HEXD_PORT_IN_USE', `--stats-port ${port} on ${host} is already in use; pick another --stats-port, or --no-telemetry`);
  }
  return new ListenError('HEXD_LISTEN_FAILED', `cannot listen for /stats on ${host} port ${port}: ${err.code ?? err.message}`);
}

/** How long a shutdown runs before the server says what it is waiting for. */
const SHUTDOWN_NOTICE_MS = 100;

function shutdownNotice(variant: Variant, connections: number, timeoutMs: number): string {
  // cluster's primary sees its worker processes, not their clients; with no client left, what is still
  // stopping is the model's own units (threads' idle Workers, pool's conversion threads).
  const waitingFor = variant === 'cluster' ? 'the worker processes\' clients to finish'
    : connections === 0 ? 'its idle threads to stop'
    : `${plural(connections, 'connected client')} to finish`;
  return `hexd: shutting down: waiting up to ${timeoutMs / 1000} s for ${waitingFor}; a second Ctrl-C (SIGINT or SIGTERM) stops now`;
}

runEntryPoint('hexd', () => main(process.argv.slice(2)), { exitWhenDone: true });
