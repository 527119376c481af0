// departed-clients.ts: which connections in the listen backlog had closed without a byte, read from
// /proc/net/tcp's lines; and our sockets' addresses written as /proc writes them, so the two meet.
// (test/hardening/connect-burst.test.ts runs it against a real burst, with clients that send a line
// and close among those that just close.)

import net, { type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { expect, it, onTestFinished } from 'vitest';
import { collectDeparted, connectionKey, departedConnections, procAddress } from '../../servers/shared/departed-clients.ts';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const row = (local: string, remote: string, state: string, rx: number, inode: number): string =>
  `   0: ${local} ${remote} ${state} 00000000:${rx.toString(16).padStart(8, '0').toUpperCase()} 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 20 4 30 10 -1`;

it('writes addresses as /proc does: each 32-bit word little-endian, the port in hex', () => {
  expect(procAddress('127.0.0.1', 23480)).toBe('0100007F:5BB8');
  expect(procAddress('10.77.0.2', 4312)).toBe('02004D0A:10D8');
  expect(procAddress('::1', 80)).toBe('00000000000000000000000001000000:0050');
  expect(procAddress('::ffff:127.0.0.1', 65432)).toBe('0000000000000000FFFF00000100007F:FF98');
  expect(procAddress('2001:db8::8:800:200c:417a', 1)).toBe('B80D012000000000000808007A410C20:0001');
  expect(procAddress('fe80::1%eth0', 1)).toBe('000080FE000000000000000001000000:0001');
  expect(procAddress('1:2:3', 1)).toBeUndefined();
  expect(procAddress('1::2::3', 1)).toBeUndefined();
});

it('finds connections not yet accepted (inode 0) in CLOSE_WAIT with only the FIN queued, on its port alone', () => {
  const table = [
    HEADER,
    row('0100007F:5BB8', '00000000:0000', '0A', 0, 100), // the listener
    row('0100007F:5BB8', '0100007F:DBD0', '08', 1, 0), // gone without a byte: found
    row('0100007F:5BB8', '0100007F:DBDE', '08', 6, 0), // sent "4312\n" then FIN: it waits for its answer
    row('0100007F:5BB8', '0100007F:DBE0', '01', 0, 0), // still connected
    row('0100007F:5BB8', '0100007F:DBE2', '08', 1, 1234), // accepted already: its socket is ours
    row('0100007F:5BB9', '0100007F:DBE4', '08', 1, 0), // another port
    '',
  ].join('\n');
  const found = new Set<string>();
  collectDeparted(table, 0x5bb8, found);
  expect(found).toEqual(new Set(['0100007F:5BB8-0100007F:DBD0']));
  expect(connectionKey('127.0.0.1', 0x5bb8, '127.0.0.1', 0xdbd0)).toBe('0100007F:5BB8-0100007F:DBD0');
});

it('reads this machine\'s own tables: a connection open on a port is not gone', async () => {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const client = net.connect(port, '127.0.0.1');
  onTestFinished(() => {
    client.destroy();
    server.close();
  });
  await once(server, 'connection');
  expect(await departedConnections(port)).toEqual(new Set());
});
