// Where a fleet's backends live, as "hosts" with an address each: Linux network namespaces on a bridge
// (as root), or distinct loopback addresses. The rest of the fleet sees only this interface.

export interface Hosts {
  kind: 'namespaces' | 'loopback';
  /** One address per backend host, in order. */
  addresses: readonly string[];
  /** The command line that runs `argv` on host `index` (0-based). */
  commandOn(index: number, argv: readonly string[]): string[];
  /** One line for the output: what the hosts are. */
  description: string;
  /** Removes everything created for the hosts (synchronous, so it can run on 'exit'). Idempotent. */
  remove(): void;
}

/** Backends of a fleet: at least one, and at most as many as the docs' /24 and two cores make sense of. */
export const MAX_BACKENDS = 8;
