// The servers `npm run perf` starts, each on the server's core: the plain Node reference,
// hexd's variants, and the line-framed Python asyncio and uvloop peers; and what is installed of them.

import { spawnSync } from 'node:child_process';
import type { Variant } from '../../servers/shared/options.ts';
import { ROOT } from '../harness/peers.ts';
import { startServerProcess, type ServerProcess } from '../harness/server-process.ts';
import { pinnedCommand, type Pinning } from '../harness/taskset.ts';

export interface PerfServer {
  /** As printed in the report: `reference`, `event-loop`, `python-uvloop-lines`. */
  name: string;
  command: string;
  args: readonly string[];
  /** Loaded with its GET /stats polled four times a second (docs/telemetry.md), as a dashboard would. */
  pollStats?: boolean;
}

/** Debian's python3-uvloop installs here, not into the python3 first on PATH. */
const DEBIAN_PYTHON = '/usr/bin/python3';

export function referenceServer(): PerfServer {
  return { name: 'reference', command: process.execPath, args: ['load/perf/reference-server.ts', '0'] };
}

/** A hexd variant on a free port, with its default options unless flags say otherwise. */
export function hexdServer(variant: Variant, flags: readonly string[] = []): PerfServer {
  return { name: variant, command: process.execPath, args: ['servers/main.ts', variant, '--port', '0', ...flags] };
}

export function pythonServer(kind: 'asyncio-lines' | 'uvloop-lines', python: string): PerfServer {
  return { name: `python-${kind}`, command: python, args: ['load/harness/python_servers.py', kind, '0'] };
}

/** Whether a server's --help lists an option (as load/harness/peers.ts decides which flags to pass). */
export function optionListed(helpText: string, option: string): boolean {
  return new RegExp(`(^|\\s)${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s=]|$)`, 'm').test(helpText);
}

export type Found = { found: true; python: string; version: string } | { found: false; why: string };

/** The Python that has uvloop (Debian's), with its version line, or why there is none. */
export function findUvloop(python = DEBIAN_PYTHON): Found {
  const result = spawnSync(python, ['-c', 'import sys, uvloop; print(f"Python {sys.version.split()[0]}, uvloop {uvloop.__version__}")'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (result.error !== undefined || result.status !== 0) return { found: false, why: 'python3-uvloop not installed' };
  return { found: true, python, version: result.stdout.trim() };
}

/** Starts a server pinned to the server's core; the ready line's pid is the server's (taskset execs). */
export async function startPinned(server: PerfServer, pinning: Pinning): Promise<ServerProcess> {
  const { command, args } = pinnedCommand(pinning, server.command, server.args);
  return startServerProcess(command, args, { cwd: ROOT });
}
