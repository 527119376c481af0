import { describe, expect, it } from 'vitest';
import { BENCH_SERVER_OPTIONS, hexdArgs, nodePeers } from '../../../load/harness/peers.ts';
import { DEFAULT_MAX_CLIENTS, SERVER_OPTIONS, VARIANTS, parseServerCommand, type ServerOptions } from '../../../servers/shared/options.ts';

function serve(argv: readonly string[]): ServerOptions {
  const command = parseServerCommand(argv);
  if (command.kind !== 'serve') throw new Error(`not a serve command: ${argv.join(' ')}`);
  return command.options;
}

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
    expect(peers.map((p) => p.args.slice(0, 2))).toEqual(VARIANTS.map((v) => ['servers/main.ts', v]));
    const started = peers.map((peer) => serve(peer.args.slice(1)));
    expect(started.map((o) => [o.port, o.idleTimeoutMs])).toEqual(VARIANTS.map(() => [0, 0]));
    expect(started.map((o) => o.maxClients)).toEqual(VARIANTS.map((v) => (v === 'processes' ? DEFAULT_MAX_CLIENTS.processes : 100_000)));
    expect(peers.filter((p) => p.args.includes('--max-clients')).map((p) => p.name)).toEqual(VARIANTS.filter((v) => v !== 'processes'));
    expect(nodePeers().find((p) => p.name === 'processes')!.args).toEqual(['servers/main.ts', 'processes', '--port', '0']);
  });
});
