// Hosts as distinct loopback addresses (127.0.0.2, .3, ...): no privileges needed, nothing to create,
// since Linux answers the whole of 127.0.0.0/8 on lo. Not separate machines, but separate addresses
// that HAProxy and the load tester address as such.

import type { Hosts } from './hosts.ts';

export function loopbackHosts(count: number): Hosts {
  const addresses = Array.from({ length: count }, (_, i) => `127.0.0.${i + 2}`);
  return {
    kind: 'loopback',
    addresses,
    commandOn: (_index, argv) => [...argv],
    description: `loopback addresses ${addresses.join(', ')} (one network namespace: this machine's)`,
    remove: () => {},
  };
}
