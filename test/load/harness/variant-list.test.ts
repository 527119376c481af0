// --variants as every program reads it: names and groups, each checked against what the program runs.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../common/errors.ts';
import { VARIANTS } from '../../../servers/shared/options.ts';
import { ALL_PEER_NAMES } from '../../../load/harness/peers.ts';
import { parseVariantList } from '../../../load/harness/variant-list.ts';

const EVERY = { program: 'bench', names: ALL_PEER_NAMES };
const HEXD_ONLY = { program: 'scenario', names: VARIANTS, why: 'no --delay-ms' };

describe('parseVariantList', () => {
  it('reads names and groups in the order given, each once', () => {
    expect(parseVariantList('node', EVERY)).toEqual(['blocking', 'threads', 'event-loop', 'processes', 'cluster', 'pool']);
    expect(parseVariantList('blog', EVERY)).toEqual(['blocking', 'threads', 'event-loop', 'python-sync', 'python-threads', 'python-asyncio']);
    expect(parseVariantList(' pool, python,pool ', EVERY)).toEqual(['pool', 'python-sync', 'python-threads', 'python-asyncio']);
    expect(parseVariantList('all', EVERY)).toEqual([...ALL_PEER_NAMES]);
  });

  it('takes a group as the servers in it that the program can run', () => {
    expect(parseVariantList('all', HEXD_ONLY)).toEqual([...VARIANTS]);
    expect(parseVariantList('blog', HEXD_ONLY)).toEqual(['blocking', 'threads', 'event-loop']);
  });

  it('refuses what the program cannot run, saying what it can', () => {
    expect(() => parseVariantList('python-asyncio', HEXD_ONLY))
      .toThrow('scenario cannot run python-asyncio (no --delay-ms): scenario runs blocking, threads, event-loop, processes, cluster, pool, or a group: blog, node, all');
    expect(() => parseVariantList('event-loop,python', HEXD_ONLY)).toThrow(/scenario cannot run the group python/);
    expect(() => parseVariantList('nginx', EVERY)).toThrow(/^unknown variant "nginx": bench runs blocking, .*python-asyncio, or a group: blog, node, python, all$/);
    expect(() => parseVariantList(' , ', EVERY)).toThrow(/--variants names no variant/);
    expect(() => parseVariantList('nginx', EVERY)).toThrow(UsageError);
  });
});
