// The generated blocks of a Markdown page: what sits between `<!-- BEGIN GENERATED: NAME -->` and
// `<!-- END GENERATED: NAME -->`, each marker on a line of its own, is written by `npm run docs` from
// the block NAME, and never by hand.

const MARKER = /^<!-- (BEGIN|END) GENERATED: ([^ ]*) -->$/gm;

export interface Block {
  name: string;
  /** Where its content starts (just after the BEGIN marker) and ends (just before the END marker). */
  start: number;
  end: number;
}

export interface FoundBlocks {
  blocks: Block[];
  /** Markers that do not pair: one line each, with the line number. */
  problems: string[];
}

/** The marker pairs of a page, and every marker that does not pair up. */
export function findBlocks(text: string): FoundBlocks {
  const blocks: Block[] = [];
  const problems: string[] = [];
  let open: { name: string; start: number; line: number } | null = null;
  for (const match of text.matchAll(MARKER)) {
    const [marker, kind, name = ''] = match;
    const line = lineOf(text, match.index);
    if (kind === 'BEGIN') {
      if (open !== null) problems.push(`line ${open.line}: BEGIN GENERATED: ${open.name} is not closed before line ${line}`);
      open = { name, start: match.index + marker.length, line };
    } else if (open === null) {
      problems.push(`line ${line}: END GENERATED: ${name} has no BEGIN`);
    } else if (name !== open.name) {
      problems.push(`line ${line}: END GENERATED: ${name} closes BEGIN GENERATED: ${open.name} (line ${open.line})`);
      open = null;
    } else {
      blocks.push({ name, start: open.start, end: match.index });
      open = null;
    }
  }
  if (open !== null) problems.push(`line ${open.line}: BEGIN GENERATED: ${open.name} is never closed`);
  return { blocks, problems };
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}

/** What a block's content is, between its markers: the rendering on lines of its own. */
export function blockContent(rendered: string): string {
  return `\n${rendered.endsWith('\n') ? rendered : `${rendered}\n`}`;
}

export interface RenderedPage {
  text: string;
  /** Blocks whose content was not what their NAME renders, in page order. */
  changed: string[];
  /** Unpaired markers and unknown names: the page is left as it was. */
  problems: string[];
}

/** The page with every block's content rendered from its NAME; `blocks` maps a NAME to its renderer. */
export function renderBlocks(text: string, blocks: Readonly<Record<string, () => string>>): RenderedPage {
  const found = findBlocks(text);
  const problems = [...found.problems];
  for (const block of found.blocks) {
    if (!Object.hasOwn(blocks, block.name)) {
      problems.push(`line ${lineOf(text, block.start)}: no block is named ${JSON.stringify(block.name)} (known: ${Object.keys(blocks).join(', ')})`);
    }
  }
  if (problems.length > 0) return { text, changed: [], problems };
  let out = '';
  let at = 0;
  const changed: string[] = [];
  for (const block of found.blocks) {
    const content = blockContent(blocks[block.name]!());
    if (text.slice(block.start, block.end) !== content) changed.push(block.name);
    out += text.slice(at, block.start) + content;
    at = block.end;
  }
  return { text: out + text.slice(at), changed, problems };
}
