// --variants, read one way by every program that has it: server names and groups, comma-separated,
// checked against the servers that program can run.

import { VARIANTS } from '../../servers/shared/options.ts';
import { UsageError } from '../../common/errors.ts';
import { ALL_PEER_NAMES, BLOG_PEER_NAMES, PYTHON_VARIANTS } from './peers.ts';

/** Names that stand for several servers. */
const VARIANT_GROUPS: Readonly<Record<string, readonly string[]>> = {
  blog: BLOG_PEER_NAMES,
  node: VARIANTS,
  python: PYTHON_VARIANTS.map((p) => p.name),
  all: ALL_PEER_NAMES,
};

/** What a program can run, for its --variants. */
export interface RunnableVariants {
  /** The program, as its errors name it. */
  program: string;
  /** The servers it can run. */
  names: readonly string[];
  /** Why it cannot run the others, where there are others. */
  why?: string;
}

/**
 * Reads a --variants list into server names, in the order given, each once. A group stands for those
 * of its servers the program can run; a name it cannot run, or a group with none it can, is a
 * UsageError that says what it can run.
 */
export function parseVariantList(raw: string, runnable: RunnableVariants): string[] {
  const groups = Object.keys(VARIANT_GROUPS).filter((group) => VARIANT_GROUPS[group]!.some((name) => runnable.names.includes(name)));
  const canRun = (): string => `${runnable.program} runs ${runnable.names.join(', ')}, or a group: ${groups.join(', ')}`;
  const cannot = (what: string): UsageError =>
    new UsageError(`${runnable.program} cannot run ${what}${runnable.why === undefined ? '' : ` (${runnable.why})`}: ${canRun()}`);
  const names: string[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const group = VARIANT_GROUPS[part];
    let expanded: readonly string[];
    if (group !== undefined) {
      expanded = group.filter((name) => runnable.names.includes(name));
      if (expanded.length === 0) throw cannot(`the group ${part}`);
    } else if (runnable.names.includes(part)) {
      expanded = [part];
    } else if (ALL_PEER_NAMES.includes(part)) {
      throw cannot(part);
    } else {
      throw new UsageError(`unknown variant ${JSON.stringify(part)}: ${canRun()}`);
    }
    for (const name of expanded) if (!names.includes(name)) names.push(name);
  }
  if (names.length === 0) throw new UsageError(`--variants names no variant: ${canRun()}`);
  return names;
}
