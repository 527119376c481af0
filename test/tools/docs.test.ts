import { describe, expect, it, onTestFinished } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockContent, findBlocks, renderBlocks } from '../../tools/generated-blocks.ts';
import { BLOCKS, RESULTS_PAGES, describePlan, planDocs, runDocs, unplacedBlocks, type ResultsPage } from '../../tools/docs.ts';

const BLOCKS_HERE = { one: () => '| a |\n', two: () => 'no newline' };
const begin = (name: string) => `<!-- BEGIN GENERATED: ${name} -->`;
const end = (name: string) => `<!-- END GENERATED: ${name} -->`;

describe('generated blocks', () => {
  it('replace what is between a pair of markers, and nothing else', () => {
    const page = `# T\n\n${begin('one')}\nstale\n${end('one')}\n\ntext ${begin('one')} inline is prose\n${begin('two')}\n${end('two')}\n`;
    const rendered = renderBlocks(page, BLOCKS_HERE);
    expect(rendered.problems).toEqual([]);
    expect(rendered.changed).toEqual(['one', 'two']);
    expect(rendered.text).toBe(`# T\n\n${begin('one')}\n| a |\n${end('one')}\n\ntext ${begin('one')} inline is prose\n${begin('two')}\nno newline\n${end('two')}\n`);
    expect(renderBlocks(rendered.text, BLOCKS_HERE)).toEqual({ text: rendered.text, changed: [], problems: [] });
  });

  it('leave a page without markers as it is', () => {
    expect(renderBlocks('plain\n', BLOCKS_HERE)).toEqual({ text: 'plain\n', changed: [], problems: [] });
    expect(blockContent('x')).toBe('\nx\n');
  });

  it('refuse an unknown NAME, naming the ones it knows', () => {
    const page = `a\n${begin('three')}\n${end('three')}\n`;
    const rendered = renderBlocks(page, BLOCKS_HERE);
    expect(rendered.text).toBe(page);
    expect(rendered.problems).toEqual(['line 2: no block is named "three" (known: one, two)']);
  });

  it('refuse markers that do not pair up, with their lines', () => {
    expect(findBlocks(`${begin('one')}\ntext\n`).problems).toEqual(['line 1: BEGIN GENERATED: one is never closed']);
    expect(findBlocks(`${end('one')}\n`).problems).toEqual(['line 1: END GENERATED: one has no BEGIN']);
    expect(findBlocks(`${begin('one')}\n${end('two')}\n`).problems).toEqual(['line 2: END GENERATED: two closes BEGIN GENERATED: one (line 1)']);
    expect(findBlocks(`${begin('one')}\n${begin('two')}\n${end('two')}\n`).problems).toEqual(['line 1: BEGIN GENERATED: one is not closed before line 2']);
    const page = `${begin('one')}\n`;
    expect(renderBlocks(page, BLOCKS_HERE)).toEqual({ text: page, changed: [], problems: ['line 1: BEGIN GENERATED: one is never closed'] });
  });
});

describe('npm run docs', () => {
  async function tree(files: Record<string, string>): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'hexd-docs-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    for (const [file, text] of Object.entries(files)) {
      await mkdir(join(root, file, '..'), { recursive: true });
      await writeFile(join(root, file), text);
    }
    return root;
  }
  const quiet = { say: () => {}, complain: () => {} };

  it('knows every block the docs may hold, and one results page per benchmark program', () => {
    expect(Object.keys(BLOCKS)).toEqual(['server-options', 'client-options', 'load-options', 'bench-options', 'perf-options',
      'scenario-options', 'overhead-options', 'soak-options', 'lab-options', 'lab-experiments', 'fleet-options', 'fleet-haproxy-config', 'exit-statuses']);
    for (const [name, render] of Object.entries(BLOCKS)) {
      // Every block is a table but the HAProxy config, shown as the code writes it.
      expect(render()).toMatch(name === 'fleet-haproxy-config' ? /^```\n# Written by fleet\/haproxy-config\.ts[\s\S]*\n```\n$/ : /^\| .+ \|\n\| --- \|/);
    }
    expect(RESULTS_PAGES.map((p) => p.program)).toEqual(['bench', 'perf', 'scenario', 'overhead', 'fleet']);
  });

  it('--check names each file and block that differs, and writes nothing; then a run writes them', async () => {
    const stale = `${begin('exit-statuses')}\nold\n${end('exit-statuses')}\n`;
    const root = await tree({ 'README.md': 'no blocks\n', 'docs/errors.md': stale, 'docs/deep/x.md': `${begin('client-options')}\n${end('client-options')}\n` });
    const complaints: string[] = [];
    expect(await runDocs(root, true, { say: () => {}, complain: (line) => complaints.push(line) })).toBe(1);
    expect(complaints).toEqual([
      'docs/deep/x.md: block client-options differs from the code (run npm run docs)',
      'docs/errors.md: block exit-statuses differs from the code (run npm run docs)',
    ]);
    expect(await readFile(join(root, 'docs/errors.md'), 'utf8')).toBe(stale);

    const said: string[] = [];
    expect(await runDocs(root, false, { say: (line) => said.push(line), complain: () => {} })).toBe(0);
    expect(said).toContain('wrote docs/errors.md');
    expect(said).toContain('note: no page holds the block server-options');
    expect(await readFile(join(root, 'docs/errors.md'), 'utf8')).toContain('| 2 | `HEXD_USAGE` |');
    expect(await runDocs(root, true, quiet)).toBe(0);
  });

  it('fails on a page with an unknown block or an unclosed marker, and leaves it alone', async () => {
    const root = await tree({ 'docs/a.md': `${begin('nope')}\n${end('nope')}\n`, 'docs/b.md': `${begin('exit-statuses')}\n` });
    const complaints: string[] = [];
    expect(await runDocs(root, false, { say: () => {}, complain: (line) => complaints.push(line) })).toBe(1);
    expect(complaints).toEqual([
      expect.stringMatching(/^docs\/a\.md: line 1: no block is named "nope" \(known: server-options, /),
      'docs/b.md: line 1: BEGIN GENERATED: exit-statuses is never closed',
    ]);
    expect(await readFile(join(root, 'docs/a.md'), 'utf8')).toBe(`${begin('nope')}\n${end('nope')}\n`);
  });

  it('renders a results page from its committed JSON, and notices when the page is stale', async () => {
    const pages: ResultsPage[] = [{ program: 'demo', render: (report) => `# Demo\n\n${(report as { figure: number }).figure} req/s` }];
    const root = await tree({ 'docs/results/demo.json': '{ "figure": 42 }', 'docs/results/demo.md': '# Demo\n\n41 req/s\n' });
    const planned = await planDocs(root, BLOCKS, pages);
    expect(describePlan(planned)).toEqual(['docs/results/demo.md: the page differs from the code (run npm run docs)']);
    expect(planned[0]!.next).toBe('# Demo\n\n42 req/s\n');
    const none = await planDocs(await tree({}), BLOCKS, pages);
    expect(none).toEqual([]);
    expect(unplacedBlocks(none)).toEqual(Object.keys(BLOCKS));
  });
});
