// Workers and child processes start from one plain CommonJS script that the main thread bundles once,
// at start, with esbuild: the entry and every module it imports, types stripped. A new isolate then
// compiles one script instead of resolving, loading and linking a graph of ES modules through a load
// hook, let alone loading Node's TypeScript stripper in every isolate. Measured here, the threads
// server's CPU per client on one core (connect, one reply, leave): 31-35 ms with the sources stripped
// once and served through a `registerHooks` load hook, 17 ms with this script; a bare
// `new Worker('', { eval: true })` started and stopped costs 11 ms.
//
// The bundle is made by esbuild's command, run to its end (about 30 ms), not by its JS API: buildSync
// keeps a helper thread and an `esbuild --service` process for the life of the server, which would be
// counted as the model's own threads and memory (and esbuild's stop() leaves that process a zombie).

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ESBUILD = createRequire(import.meta.url).resolve('esbuild/bin/esbuild');
/** The largest bundle read back; hexd's are about 100 KB. */
const MAX_SCRIPT_BYTES = 64 * 1024 * 1024;

const scripts = new Map<string, string>();

/**
 * The script for `new Worker(script, { eval: true })` or `node --eval script`: `entry` and what it
 * imports, in one piece. Built on first use and kept.
 */
export function workerScript(entry: URL): string {
  let script = scripts.get(entry.href);
  if (script === undefined) {
    script = execFileSync(
      ESBUILD,
      [fileURLToPath(entry), '--bundle', '--format=cjs', '--platform=node', '--target=node26', '--log-level=error'],
      { encoding: 'utf8', maxBuffer: MAX_SCRIPT_BYTES, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    scripts.set(entry.href, script);
  }
  return script;
}
