// The HAProxy configuration in front of a fleet, written by a pure function so that tests and the
// docs (docs/fleet.md) show exactly what runs: TCP mode, leastconn, health checks that speak hexd's
// protocol, and the client's address passed on with PROXY v2.

interface HaproxyBackend {
  /** The server's name in HAProxy's stats and runtime API: `host1`, `host2`, ... */
  name: string;
  host: string;
  port: number;
}

export interface HaproxyTimings {
  /** Health check interval; a backend is marked down after `fall` failures in a row, up after `rise` successes. */
  checkIntervalMs: number;
  fall: number;
  rise: number;
  /** How long one health check may take to connect and be answered. */
  checkTimeoutMs: number;
  connectTimeoutMs: number;
  /** Idle client and server sides are closed after this long (hexd's own --idle-timeout-ms is 60 s). */
  idleTimeoutMs: number;
}

export interface HaproxyConfigInput {
  frontend: { host: string; port: number };
  backends: readonly HaproxyBackend[];
  /** The admin socket (runtime API: `show stat`, `set server ... state drain`). */
  statsSocket: string;
  /** Connections HAProxy holds at once, each client side and server side. */
  maxConnections: number;
  timings: HaproxyTimings;
}

/** HAProxy's own limit: every client is two sockets in it, and the bench goes to 1,000 clients. */
export const HAPROXY_MAX_CONNECTIONS = 4096;

/**
 * Failed connects of client traffic that mark a backend down before its checks do. One: with 3, a run
 * lost 49 requests for 25 in flight, as each client's connect and retries all went to the dead backend
 * before the count was reached. A backend wrongly marked down is back after `rise` checks.
 */
const OBSERVED_ERROR_LIMIT = 1;

export const DEFAULT_TIMINGS: HaproxyTimings = {
  checkIntervalMs: 500,
  fall: 2,
  rise: 2,
  checkTimeoutMs: 500,
  connectTimeoutMs: 2_000,
  idleTimeoutMs: 60_000,
};

/** The longest a dead backend keeps getting new clients: `fall` checks, the last one timing out. */
export function worstDetectionMs(timings: HaproxyTimings): number {
  return timings.fall * timings.checkIntervalMs + timings.checkTimeoutMs;
}

/** The config as a namespace fleet of 2 writes it, for the docs (docs/fleet.md); only the port and the socket's directory vary. */
export function exampleHaproxyConfig(): string {
  return haproxyConfig({
    frontend: { host: '127.0.0.1', port: 4400 },
    backends: [{ name: 'host1', host: '10.77.0.2', port: 4312 }, { name: 'host2', host: '10.77.0.3', port: 4312 }],
    statsSocket: '/tmp/hexd-fleet-XXXXXX/admin.sock',
    maxConnections: HAPROXY_MAX_CONNECTIONS,
    timings: DEFAULT_TIMINGS,
  });
}

export function haproxyConfig(input: HaproxyConfigInput): string {
  const t = input.timings;
  return [
    '# Written by fleet/haproxy-config.ts (docs/fleet.md): hexd behind HAProxy in TCP mode.',
    'global',
    `    maxconn ${input.maxConnections}`,
    `    stats socket ${input.statsSocket} mode 600 level admin`,
    '',
    'defaults',
    '    mode tcp',
    // A connect to a dead backend, before its checks fail, is retried on another one.
    '    retries 2',
    '    option redispatch 1',
    `    timeout connect ${t.connectTimeoutMs}ms`,
    `    timeout client ${t.idleTimeoutMs}ms`,
    `    timeout server ${t.idleTimeoutMs}ms`,
    `    timeout check ${t.checkTimeoutMs}ms`,
    '',
    'frontend hexd',
    `    bind ${input.frontend.host}:${input.frontend.port}`,
    '    default_backend hexd',
    '',
    'backend hexd',
    '    balance leastconn',
    // A check is a real request: a backend that accepts but cannot answer is down too.
    '    option tcp-check',
    '    tcp-check send "4312\\n"',
    '    tcp-check expect string 0x10d8',
    // Checks carry a PROXY header too (LOCAL), as the backends refuse connections without one.
    // Failed connects of real traffic mark a backend down at once: leastconn would otherwise keep
    // picking a dead backend (it has the fewest connections) until the checks catch up.
    `    default-server check inter ${t.checkIntervalMs}ms fall ${t.fall} rise ${t.rise} send-proxy-v2 check-send-proxy observe layer4 error-limit ${OBSERVED_ERROR_LIMIT} on-error mark-down`,
    ...input.backends.map((b) => `    server ${b.name} ${b.host}:${b.port}`),
    '',
  ].join('\n');
}
