// `npm run load` stopped by a signal sent to its pid: it stops the load, prints and writes the results
// for the time it ran, says so in the header and on stderr, and exits 130 (SIGINT) or 143 (SIGTERM).

import { spawn } from 'node:child_process';
import { on, once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { killTree } from '../../helpers/kill-tree.ts';
import { NODE, ROOT, spawnServer } from '../../helpers/servers.ts';

/** A proxy in front of a real server, so the test sees each connection the tester makes. */
async function countingProxy(port: number): Promise<{ port: number; connections: AsyncIterator<unknown> }> {
  const proxy = net.createServer((socket) => {
    const upstream = net.connect(port, '127.0.0.1');
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  const connections = on(proxy, 'connection');
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  onTestFinished(() => void proxy.close());
  return { port: (proxy.address() as AddressInfo).port, connections };
}

describe('npm run load, stopped by a signal to its pid', () => {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`on ${signal}: prints and writes the results so far, says it stopped early, exits ${status}`, async () => {
      const server = await spawnServer(['event-loop', '--port', '0']);
      const proxy = await countingProxy(server.port);
      const dir = await mkdtemp(join(tmpdir(), 'hexd-load-stop-'));
      onTestFinished(() => rm(dir, { recursive: true, force: true }));
      const json = join(dir, 'load.json');
      const child = spawn(NODE, ['load/tester/main.ts', '--target', `127.0.0.1:${proxy.port}`, '-c', '2', '-d', '60', '--json', json],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      onTestFinished(() => killTree(child));
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      const exited = once(child, 'exit');
      // The reachability probe, then the run's first client: by then the tester listens for signals.
      await proxy.connections.next();
      await proxy.connections.next();
      child.kill(signal);
      const [code] = await exited;
      expect(code).toBe(status);
      expect(stdout).toMatch(new RegExp(`stopped early by ${signal} after \\d+\\.\\d\\d s \\(asked for 60 s\\)`));
      expect(stdout).toContain('Latency (µs)');
      expect(stderr).toMatch(new RegExp(`^hexd-load: ${signal}: stopped early, after \\d+\\.\\d\\d s; the results above are for that time\\n$`));
      const summary = JSON.parse(await readFile(json, 'utf8'));
      expect(summary.stoppedBy).toBe(signal);
      expect(summary.durationSec).toBeLessThan(60);
    });
  }
});
