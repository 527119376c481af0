// Checks the files a program will write (--json, --html, --markdown, --svg) before its run, so that a
// path it cannot write is one usage line at once, not a stack trace after minutes of load.

import { constants, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../common/errors.ts';

/**
 * Throws a UsageError for the first option whose file cannot be written: a directory, or a path whose
 * nearest existing ancestor is not a directory this process may write in. Missing directories below
 * that are fine: writeOut (results-page.ts) creates them, as it creates reports/ for the defaults.
 */
export async function checkOutputFiles(files: Readonly<Record<string, string | null | undefined>>): Promise<void> {
  for (const [option, file] of Object.entries(files)) {
    if (file === null || file === undefined) continue;
    await checkOutputFile(option, file);
  }
}

async function checkOutputFile(option: string, file: string): Promise<void> {
  const path = resolve(file);
  if ((await statOrNull(path))?.isDirectory()) {
    throw new UsageError(`${option} ${file} is a directory: give a file name in it, such as ${file.replace(/\/*$/, '')}/results`);
  }
  let dir = dirname(path);
  let found = await statOrNull(dir);
  while (found === null && dirname(dir) !== dir) {
    dir = dirname(dir);
    found = await statOrNull(dir);
  }
  if (found === null || !found.isDirectory()) {
    throw new UsageError(`${option} ${file}: ${dir} is not a directory; pick a path in a directory you can write`);
  }
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${option} ${file}: cannot write in ${dir} (permission denied); pick a path in a directory you can write`);
  }
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}
