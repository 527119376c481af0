// The page's script, bundled at the lab's start from lab/page/ (uPlot included) by esbuild's
// command, run to its end: nothing built is committed, and no esbuild service outlives the build.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ESBUILD = require.resolve('esbuild/bin/esbuild');
const PAGE_ENTRY = fileURLToPath(new URL('./page/main.ts', import.meta.url));
/** The largest bundle read back; the page's is about 100 KB. */
const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

export interface PageFiles {
  'index.html': string;
  'app.js': string;
  'lab.css': string;
  'uPlot.css': string;
}

/** Everything the page loads, built and read once. */
export function buildPageFiles(): PageFiles {
  const script = execFileSync(
    ESBUILD,
    [PAGE_ENTRY, '--bundle', '--format=esm', '--platform=browser', '--target=es2022', '--minify', '--log-level=error'],
    { encoding: 'utf8', maxBuffer: MAX_BUNDLE_BYTES, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return {
    'index.html': readFileSync(new URL('./page/index.html', import.meta.url), 'utf8'),
    'app.js': script,
    'lab.css': readFileSync(new URL('./page/lab.css', import.meta.url), 'utf8'),
    'uPlot.css': readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}
