// Hosts as Linux network namespaces, each with its own stack and one veth link into a bridge that
// this fleet creates in the root namespace (10.77.0.1/24): HAProxy and the load tester run here, as
// on a balancer machine, and reach the backends only through the bridge. Needs root (CAP_NET_ADMIN).
// Nothing of the machine's own is touched: the bridge, links and namespaces are the fleet's, named
// after its pid, and removed in reverse order of creation.

import { execFileSync } from 'node:child_process';
import type { Hosts } from './hosts.ts';
import { FleetSetupError } from './errors.ts';

/** The subnet of the bridge; the balancer side is .1, the hosts .2 upward. */
export const FLEET_SUBNET = '10.77.0';
const PREFIX_LENGTH = 24;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
}

/** The names this process's fleet gives what it creates (kernel link names are at most 15 bytes). */
export function fleetNames(id: number = process.pid): { bridge: string; namespace: (index: number) => string; link: (index: number) => string } {
  return {
    bridge: `hxbr${id}`,
    namespace: (index) => `hexd-${id}-h${index + 1}`,
    link: (index) => `hx${id}h${index + 1}`,
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what a fleet killed with SIGKILL (no cleanup can run then) left: namespaces and bridges
 * named after a pid that no longer runs.
 */
function removeStaleFleets(): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const match = /^(hexd-(\d+)-h\d+)\b/.exec(line);
    if (match !== null && !alive(Number(match[2]))) {
      ip('netns', 'del', match[1]!);
    }
  }
  for (const match of ip('-o', 'link', 'show', 'type', 'bridge').matchAll(/^\d+: (hxbr(\d+)):/gm)) {
    if (!alive(Number(match[2]))) {
      ip('link', 'del', match[1]!);
    }
  }
}

/** Creates `count` namespaces on a new bridge; on any failure, removes what it made and throws. */
export function namespaceHosts(count: number): Hosts {
  const names = fleetNames();
  // Undo steps, run last first: removing a namespace removes its end of the veth and the other end with it.
  const undo: (() => void)[] = [];
  const remove = (): void => {
    for (const step of undo.splice(0).reverse()) {
      try {
        step();
      } catch {
        // already gone: removal goes on with the rest
      }
    }
  };
  const addresses = Array.from({ length: count }, (_, i) => `${FLEET_SUBNET}.${i + 2}`);
  try {
    removeStaleFleets();
    const inUse = ip('-o', '-4', 'addr', 'show').includes(` ${FLEET_SUBNET}.`);
    if (inUse) throw new FleetSetupError(`${FLEET_SUBNET}.0/${PREFIX_LENGTH} is already in use on this machine (another fleet?); stop it, or use --loopback`);
    ip('link', 'add', names.bridge, 'type', 'bridge');
    undo.push(() => ip('link', 'del', names.bridge));
    ip('addr', 'add', `${FLEET_SUBNET}.1/${PREFIX_LENGTH}`, 'dev', names.bridge);
    ip('link', 'set', names.bridge, 'up');
    addresses.forEach((address, i) => {
      const namespace = names.namespace(i);
      ip('netns', 'add', namespace);
      undo.push(() => ip('netns', 'del', namespace));
      ip('-n', namespace, 'link', 'set', 'lo', 'up');
      ip('link', 'add', names.link(i), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace);
      undo.push(() => ip('link', 'del', names.link(i)));
      ip('link', 'set', names.link(i), 'master', names.bridge, 'up');
      ip('-n', namespace, 'addr', 'add', `${address}/${PREFIX_LENGTH}`, 'dev', 'eth0');
      ip('-n', namespace, 'link', 'set', 'eth0', 'up');
    });
  } catch (err) {
    remove();
    if (err instanceof FleetSetupError) throw err;
    const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    throw new FleetSetupError(`cannot create network namespaces (${detail}): run as root, or use --loopback`);
  }
  return {
    kind: 'namespaces',
    addresses,
    commandOn: (index, argv) => ['ip', 'netns', 'exec', names.namespace(index), ...argv],
    description: `network namespaces ${names.namespace(0)}..${names.namespace(count - 1)} at ${addresses.join(', ')}, veth into bridge ${names.bridge} (${FLEET_SUBNET}.1/${PREFIX_LENGTH}) in the root namespace, where HAProxy and the load tester run`,
    remove,
  };
}
