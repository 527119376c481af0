// During a burst of connections, which of the clients about to be accepted had already gone without
// sending a byte. threads hands each client's socket, unread, to a Worker (a socket that has been read
// cannot move to one), and a paused socket never learns that its client has gone: a burst of 4,000
// connect-and-close kept a newcomer waiting 3 s while each went through a Worker. The kernel knows:
// such a connection waits in the listen backlog in CLOSE_WAIT (the client's FIN arrived) with nothing
// queued but that FIN, and /proc/net/tcp lists it by its addresses (with inode 0: no one has accepted
// it yet). A client that sent a line before its FIN has bytes queued and is served. Linux only;
// elsewhere no client is ever seen as gone.

import { readFile } from 'node:fs/promises';
import { isIPv4, type Socket } from 'node:net';

/** Accepts since the last scan that make a burst worth a scan (a read of every socket in the namespace). */
const SCAN_AFTER_ACCEPTS = 32;
/** And at most this often. */
const SCAN_INTERVAL_MS = 50;
const CLOSE_WAIT = '08';

export class DepartedClients {
  /**
   * Scans read /proc in libuv's thread pool, off the main thread (with 20,000 connections in
   * TIME_WAIT one read takes some 40 ms). One pool thread is enough, and it starts here, with the
   * server, so that the thread count a server starts with is the one it comes back to.
   */
  constructor() {
    process.env.UV_THREADPOOL_SIZE ??= '1';
    void readFile('/proc/net/tcp', 'latin1').catch(() => '');
  }

  /** Connections (connectionKey) found gone in the last scan, not yet accepted then. */
  #departed = new Set<string>();
  #acceptedSinceScan = 0;
  #scanning = false;
  #lastScan = Number.NEGATIVE_INFINITY;

  /**
   * Whether the client of a socket just accepted had closed without sending anything, as of the last
   * scan; while accepts come fast, scans again in the background.
   */
  leftBeforeSending(socket: Socket): boolean {
    this.#maybeScan(socket.localPort);
    if (this.#departed.size === 0) return false;
    const key = connectionKey(socket.localAddress, socket.localPort, socket.remoteAddress, socket.remotePort);
    return key !== undefined && this.#departed.delete(key); // each connection is accepted once
  }

  #maybeScan(localPort: number | undefined): void {
    if (++this.#acceptedSinceScan < SCAN_AFTER_ACCEPTS || this.#scanning || localPort === undefined) return;
    if (performance.now() - this.#lastScan < SCAN_INTERVAL_MS) return;
    this.#scanning = true;
    this.#acceptedSinceScan = 0;
    void departedConnections(localPort).then((departed) => {
      this.#scanning = false;
      this.#lastScan = performance.now();
      this.#departed = departed; // the last scan's only: a connection gone from the backlog is forgotten
    });
  }
}

/** Keys of the connections to `localPort` not yet accepted, in CLOSE_WAIT with nothing queued but the FIN. */
export async function departedConnections(localPort: number): Promise<Set<string>> {
  const departed = new Set<string>();
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((path) => readFile(path, 'latin1').catch(() => '')));
  for (const table of tables) collectDeparted(table, localPort, departed);
  return departed;
}

/**
 * From a /proc/net/tcp table (a header line, then `sl local rem st tx_queue:rx_queue tr:when retrnsmt
 * uid timeout inode ...`): a client's FIN counts one byte in rx_queue, so 1 is a FIN alone. Only the
 * lines in CLOSE_WAIT are split, found by a native search: the table lists every socket of the
 * namespace, tens of thousands in TIME_WAIT after a churn, and splitting them all took 12-28 ms of
 * the main thread at 23,000 lines.
 */
export function collectDeparted(table: string, localPort: number, into: Set<string>): void {
  const needle = ` ${CLOSE_WAIT} `; // the state, between the remote address and the queues
  for (let at = table.indexOf(needle); at !== -1; at = table.indexOf(needle, at + needle.length)) {
    const lineEnd = table.indexOf('\n', at);
    const line = table.slice(table.lastIndexOf('\n', at) + 1, lineEnd === -1 ? table.length : lineEnd);
    const [, local, remote, state, queues, , , , , inode] = line.trim().split(/\s+/, 10);
    if (state !== CLOSE_WAIT || inode !== '0' || local === undefined || remote === undefined || queues === undefined) continue;
    if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== localPort) continue;
    if (Number.parseInt(queues.slice(queues.indexOf(':') + 1), 16) > 1) continue;
    into.add(`${local}-${remote}`);
  }
}

/** A connection's addresses as /proc/net/tcp writes them (procAddress), local first. */
export function connectionKey(localAddress: string | undefined, localPort: number | undefined, remoteAddress: string | undefined, remotePort: number | undefined): string | undefined {
  if (localAddress === undefined || localPort === undefined || remoteAddress === undefined || remotePort === undefined) return undefined;
  const local = procAddress(localAddress, localPort);
  const remote = procAddress(remoteAddress, remotePort);
  return local === undefined || remote === undefined ? undefined : `${local}-${remote}`;
}

/**
 * An address and port as /proc writes them: each 32-bit word of the address in the host's byte order
 * (little-endian here), then `:` and the port, in capital hex. IPv4 clients of an IPv6 listener are
 * `::ffff:a.b.c.d`, listed in tcp6. Undefined for an address it cannot read.
 */
export function procAddress(address: string, port: number): string | undefined {
  const bytes = isIPv4(address) ? ipv4Bytes(address) : ipv6Bytes(address);
  if (bytes === undefined) return undefined;
  let hex = '';
  for (let word = 0; word < bytes.length; word += 4) {
    for (let i = 3; i >= 0; i--) hex += bytes[word + i]!.toString(16).padStart(2, '0');
  }
  return `${hex}:${port.toString(16).padStart(4, '0')}`.toUpperCase();
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

function ipv6Bytes(address: string): number[] | undefined {
  const zone = address.indexOf('%');
  const text = zone === -1 ? address : address.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  // A dotted IPv4 tail stands for the last two groups.
  const full = isIPv4(tail) ? text.slice(0, lastColon + 1) + ipv4AsGroups(tail) : text;
  const halves = full.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const before = groupsOf(halves[0]!);
  const after = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const missing = 8 - before.length - after.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const bytes: number[] = [];
  for (const group of [...before, ...Array<string>(missing).fill('0'), ...after]) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    const value = Number.parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return bytes;
}

function ipv4AsGroups(address: string): string {
  const [a, b, c, d] = ipv4Bytes(address) as [number, number, number, number];
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}
