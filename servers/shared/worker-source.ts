// Workers and child processes start from one plain CommonJS script that the main thread bundles once,
// at start, with esbuild: the entry and every module it imports, types stripped. A new isolate then
// compiles one script instead of resolving, loading and linking a graph of ES modules through a load
// hook, let alone loading Node's TypeScript stripper in every isolate. Measured here, the threads
// server's CPU per client on one core (connect, one reply, leave): 31-35 ms with the sources stripped
// once and served through a `registerHooks` load hook, 17 ms with this script; a bare
// `new Worker('', { eval: true })` started and stopped costs 11 ms.

import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const scripts = new Map<string, string>();

/**
 * The script for `new Worker(script, { eval: true })` or `node --eval script`: `entry` and what it
 * imports, in one piece. Built on first use and kept.
 */
export function workerScript(entry: URL): string {
  let script = scripts.get(entry.href);
  if (script === undefined) {
    const [output] = buildSync({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node26',
      write: false,
      logLevel: 'silent',
    }).outputFiles;
    script = output!.text;
    scripts.set(entry.href, script);
  }
  return script;
}
