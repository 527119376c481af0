// Workers and child processes start from plain JavaScript that the main thread strips from the .ts
// sources once, at start. Letting each one strip TypeScript itself loads Node's type stripper into every
// new isolate, which measured here 52-72 ms and 13-16 MB per Worker (9 ms and 3.5 MB this way; a bare JS
// Worker: 7 ms, 2.3 MB), and 250 ms and 90 MB RSS per child process. The first module each one runs
// installs a load hook that serves the stripped sources, then imports the real entry.

import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';

export interface WorkerBoot {
  /** Module URL to JavaScript, for every .ts module the entry imports, itself included. */
  sources: Record<string, string>;
  entry: string;
}

// Static imports (`from './x.ts'`) and dynamic ones (`import('./x.ts')`).
const RELATIVE_TS_IMPORT = /(?:\bfrom\s+|\bimport\()'(\.{1,2}\/[^']+\.ts)'/g;

// Runs first in every Worker (an ES module given as a data: URL), then imports the real entry.
const BOOT_MODULE = `
import { registerHooks } from 'node:module';
import { workerData } from 'node:worker_threads';
const { sources, entry } = workerData.boot;
registerHooks({
  load(url, context, nextLoad) {
    const source = sources[url];
    return source === undefined ? nextLoad(url, context) : { format: 'module', source, shortCircuit: true };
  },
});
await import(entry);
`;

export const BOOT_URL = new URL(`data:text/javascript,${encodeURIComponent(BOOT_MODULE)}`);

/**
 * The same for a child process, run as `node --input-type=module --eval CHILD_BOOT_MODULE` with an IPC
 * channel: its first message is the WorkerBoot.
 */
export const CHILD_BOOT_MODULE = `
import { registerHooks } from 'node:module';
process.once('message', ({ sources, entry }) => {
  registerHooks({
    load(url, context, nextLoad) {
      const source = sources[url];
      return source === undefined ? nextLoad(url, context) : { format: 'module', source, shortCircuit: true };
    },
  });
  import(entry);
});
`;

/** Strips `entry` and every .ts module it imports, following relative imports. */
export function prepareWorkerBoot(entry: URL): WorkerBoot {
  const sources: Record<string, string> = {};
  const visit = (url: string): void => {
    if (sources[url] !== undefined) return;
    const javascript = stripQuietly(readFileSync(new URL(url), 'utf8'));
    sources[url] = javascript;
    for (const [, specifier] of javascript.matchAll(RELATIVE_TS_IMPORT)) visit(new URL(specifier!, url).href);
  };
  visit(entry.href);
  return { sources, entry: entry.href };
}

// stripTypeScriptTypes() warns that it is experimental; it is the same stripper Node runs on every
// .ts file it loads, so the warning says nothing new to someone running hexd.
function stripQuietly(code: string): string {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(code, { mode: 'strip' });
  } finally {
    process.emitWarning = emitWarning;
  }
}
