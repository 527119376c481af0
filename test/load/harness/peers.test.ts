import { describe, expect, it } from 'vitest';
import { BENCH_SERVER_OPTIONS, hexdArgs, nodePeers } from '../../../load/harness/peers.ts';
import { parseServerCommand, SERVER_OPTIONS, VARIANTS } from '../../../servers/shared/options.ts';

describe('hexd peers', () => {
  it('a fair run lifts the client cap and the idle timeout, by the server table\'s own names', () => {
    expect(hexdArgs(BENCH_SERVER_OPTIONS)).toEqual(['--max-clients', '100000', '--idle-timeout-ms', '0']);
    expect(hexdArgs({ 'idle-timeout-ms': 0 })).toEqual(['--idle-timeout-ms', '0']);
    expect(hexdArgs({})).toEqual([]);
    for (const name of Object.keys(BENCH_SERVER_OPTIONS)) expect(SERVER_OPTIONS.map((o) => o.name)).toContain(name);
  });

  it('start every variant on a free port with the options given, but processes keeps its own cap', () => {
    const peers = nodePeers(BENCH_SERVER_OPTIONS);
    expect(peers.map((p) => p.name)).toEqual([...VARIANTS]);
    for (const peer of peers) {
      expect(peer.args.slice(0, 2)).toEqual(['servers/main.ts', peer.name]);
      const command = parseServerCommand(peer.args.slice(1));
      if (command.kind !== 'serve') throw new Error('expected serve');
      expect(command.options).toMatchObject({ port: 0, idleTimeoutMs: 0 });
      if (peer.name !== 'processes') expect(command.options.maxClients).toBe(100_000);
      else expect(peer.args).not.toContain('--max-clients');
    }
    expect(nodePeers().find((p) => p.name === 'processes')!.args).toEqual(['servers/main.ts', 'processes', '--port', '0']);
  });
});
