import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConnectionError,
  ERROR_CODES,
  ListenError,
  OUTCOME_STATUSES,
  UsageError,
  exitStatusFor,
  renderExitStatusMarkdown,
} from '../../common/errors.ts';
import { ServerStartError } from '../../load/harness/server-process.ts';
import { WorkerFailedError } from '../../load/harness/run.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('exit statuses', () => {
  it('come from the code of each error a command raises on purpose', () => {
    expect(exitStatusFor(new UsageError('x'))).toBe(2);
    expect(exitStatusFor(new ConnectionError('x'))).toBe(2);
    expect(exitStatusFor(new ListenError('HEXD_PORT_IN_USE', 'x'))).toBe(1);
    expect(exitStatusFor(new ListenError('HEXD_LISTEN_FAILED', 'x'))).toBe(1);
    expect(exitStatusFor(new ServerStartError('x'))).toBe(1);
    expect(exitStatusFor(new WorkerFailedError('x'))).toBe(1);
  });

  it('leave a bug or a system error to crash loudly', () => {
    expect(exitStatusFor(new TypeError('x'))).toBeUndefined();
    expect(exitStatusFor(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(exitStatusFor({ code: 'HEXD_USAGE' })).toBeUndefined(); // not an Error
    expect(exitStatusFor(undefined)).toBeUndefined();
  });

  it('list every code an error class of the source carries, once each', async () => {
    const listed = ERROR_CODES.map((row) => row.code as string);
    expect(new Set(listed).size).toBe(listed.length);
    const files = (await Promise.all(['common', 'servers', 'client', 'protocol', 'load', 'fleet'].map(sourceFiles))).flat();
    const used = new Set<string>();
    for (const file of files) for (const [, code] of (await readFile(file, 'utf8')).matchAll(/(?:code = |Error\()'(HEXD_[A-Z_]+)'/g)) used.add(code!);
    expect([...used].filter((code) => !listed.includes(code))).toEqual([]);
    expect(listed.filter((code) => !used.has(code))).toEqual([]);
  });

  it('render as one Markdown table, by status', () => {
    const markdown = renderExitStatusMarkdown();
    for (const row of ERROR_CODES) expect(markdown).toContain(`| ${row.status} | \`${row.code}\` |`);
    for (const row of OUTCOME_STATUSES) expect(markdown).toContain(`| ${row.status} | — |`);
    const statuses = markdown.split('\n').slice(2, -1).map((line) => Number(line.split('|')[1]));
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
  });
});
