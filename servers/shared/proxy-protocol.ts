// The PROXY protocol header a balancer (HAProxy's send-proxy / send-proxy-v2) puts before a client's
// bytes, read as the spec says (haproxy.org/download/2.8/doc/proxy-protocol.txt). Pure: bytes in, a
// verdict out, so a session can call it on every read until the header is whole.

import { isIPv4, isIPv6 } from 'node:net';

/** Where a relayed connection came from and went to, as the balancer saw it. */
interface ProxiedEndpoints {
  sourceAddress: string;
  sourcePort: number;
  destinationAddress: string;
  destinationPort: number;
}

export interface ProxyHeader {
  version: 1 | 2;
  /** `local`: the balancer's own connection (a health check): the real endpoints stand. */
  command: 'proxy' | 'local';
  /** Absent for v1 UNKNOWN, v2 LOCAL and v2 families without an IP address (AF_UNSPEC, AF_UNIX). */
  endpoints: ProxiedEndpoints | undefined;
  /** Bytes the header took: the client's own bytes start after them. */
  headerBytes: number;
}

export type ProxyVerdict =
  | { kind: 'header'; header: ProxyHeader }
  | { kind: 'more' }
  | { kind: 'invalid'; reason: string };

/** The spec's longest v1 line, CRLF included (`PROXY UNKNOWN` with the longest TCP6 addresses). */
export const V1_MAX_BYTES = 107;
/**
 * The longest v2 header read: 16 fixed bytes, 216 of AF_UNIX addresses and room for TLVs (HAProxy
 * sends none to hexd). A longer declared length is refused rather than buffered.
 */
export const V2_MAX_BYTES = 16 + 216 + 1024;
/** Bytes a session may have to hold before a verdict: the longer of the two forms. */
export const PROXY_HEADER_MAX_BYTES = Math.max(V1_MAX_BYTES, V2_MAX_BYTES);

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V2_FIXED_BYTES = 16;
const CR = 0x0d;
const LF = 0x0a;

/** Reads a PROXY header from the first bytes of a connection (all of them so far). */
export function parseProxyHeader(bytes: Uint8Array): ProxyVerdict {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsLike(head, V2_SIGNATURE)) return head.length < V2_SIGNATURE.length ? { kind: 'more' } : parseV2(head);
  if (startsLike(head, V1_PREFIX)) return head.length < V1_PREFIX.length ? { kind: 'more' } : parseV1(head);
  return { kind: 'invalid', reason: 'the connection does not start with a PROXY protocol header' };
}

/** Whether `head` and `signature` agree on the bytes both have (so a short head may still become it). */
function startsLike(head: Buffer, signature: Buffer): boolean {
  const shared = Math.min(head.length, signature.length);
  return head.length > 0 && head.subarray(0, shared).equals(signature.subarray(0, shared));
}

function invalid(reason: string): ProxyVerdict {
  return { kind: 'invalid', reason };
}

// v1: `PROXY TCP4 192.0.2.1 192.0.2.2 56324 4312\r\n`, single spaces, one line of at most 107 bytes.
function parseV1(head: Buffer): ProxyVerdict {
  const lf = head.indexOf(LF);
  if (lf === -1) return head.length < V1_MAX_BYTES ? { kind: 'more' } : invalid(`v1 header without CRLF in its first ${V1_MAX_BYTES} bytes`);
  if (lf + 1 > V1_MAX_BYTES) return invalid(`v1 header longer than ${V1_MAX_BYTES} bytes`);
  if (head[lf - 1] !== CR) return invalid('v1 header ends in LF without CR');
  const headerBytes = lf + 1;
  const fields = head.toString('latin1', V1_PREFIX.length, lf - 1).split(' ');
  const [family, source, destination, sourcePort, destinationPort] = fields;
  // UNKNOWN: the sender could not tell; whatever follows it on the line is ignored.
  if (family === 'UNKNOWN') return { kind: 'header', header: { version: 1, command: 'proxy', endpoints: undefined, headerBytes } };
  if (family !== 'TCP4' && family !== 'TCP6') return invalid(`v1 header names an unknown protocol ${JSON.stringify(family)}`);
  if (fields.length !== 5) return invalid(`v1 ${family} header has ${fields.length - 1} fields after the protocol, not 4`);
  const isAddress = family === 'TCP4' ? isIPv4 : isIPv6;
  if (!isAddress(source!) || !isAddress(destination!)) return invalid(`v1 ${family} header carries an address that is not ${family === 'TCP4' ? 'IPv4' : 'IPv6'}`);
  const ports = [v1Port(sourcePort!), v1Port(destinationPort!)];
  if (ports[0] === undefined || ports[1] === undefined) return invalid('v1 header carries a port that is not a decimal from 0 to 65535');
  return {
    kind: 'header',
    header: {
      version: 1,
      command: 'proxy',
      endpoints: { sourceAddress: source!, sourcePort: ports[0], destinationAddress: destination!, destinationPort: ports[1] },
      headerBytes,
    },
  };
}

function v1Port(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,4})$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

// v2 families (high nibble of byte 14) and the bytes of addresses each carries.
const AF_UNSPEC = 0x0;
const AF_INET = 0x1;
const AF_INET6 = 0x2;
const AF_UNIX = 0x3;
const ADDRESS_BYTES: Readonly<Record<number, number>> = { [AF_UNSPEC]: 0, [AF_INET]: 12, [AF_INET6]: 36, [AF_UNIX]: 216 };

// v2: the 12-byte signature, version and command, family and transport, a 16-bit length, then that
// many bytes of addresses and TLVs (skipped: hexd needs none of them).
function parseV2(head: Buffer): ProxyVerdict {
  if (head.length < V2_FIXED_BYTES) return { kind: 'more' };
  const versionCommand = head[12]!;
  if (versionCommand >> 4 !== 2) return invalid(`v2 header of version ${versionCommand >> 4}, not 2`);
  const command = versionCommand & 0x0f;
  if (command !== 0x0 && command !== 0x1) return invalid(`v2 header with unknown command ${command}`);
  const familyTransport = head[13]!;
  const family = familyTransport >> 4;
  const transport = familyTransport & 0x0f;
  const addressBytes = ADDRESS_BYTES[family];
  // The spec lists the valid pairs: UNSPEC with UNSPEC, any other family with STREAM or DGRAM.
  const validPair = family === AF_UNSPEC ? transport === 0 : transport === 1 || transport === 2;
  if (addressBytes === undefined || !validPair) return invalid(`v2 header with unknown family and transport 0x${familyTransport.toString(16).padStart(2, '0')}`);
  const length = head.readUInt16BE(14);
  const headerBytes = V2_FIXED_BYTES + length;
  if (headerBytes > V2_MAX_BYTES) return invalid(`v2 header of ${headerBytes} bytes, more than the ${V2_MAX_BYTES} read`);
  if (command === 0x1 && length < addressBytes) return invalid(`v2 header's length ${length} is shorter than its addresses (${addressBytes} bytes)`);
  if (head.length < headerBytes) return { kind: 'more' };
  // LOCAL: the balancer's own connection; its addresses, if any, are ignored.
  if (command === 0x0) return { kind: 'header', header: { version: 2, command: 'local', endpoints: undefined, headerBytes } };
  return { kind: 'header', header: { version: 2, command: 'proxy', endpoints: v2Endpoints(head, family), headerBytes } };
}

function v2Endpoints(head: Buffer, family: number): ProxiedEndpoints | undefined {
  const at = V2_FIXED_BYTES;
  if (family === AF_INET) {
    return {
      sourceAddress: head.subarray(at, at + 4).join('.'),
      destinationAddress: head.subarray(at + 4, at + 8).join('.'),
      sourcePort: head.readUInt16BE(at + 8),
      destinationPort: head.readUInt16BE(at + 10),
    };
  }
  if (family === AF_INET6) {
    return {
      sourceAddress: ipv6Text(head.subarray(at, at + 16)),
      destinationAddress: ipv6Text(head.subarray(at + 16, at + 32)),
      sourcePort: head.readUInt16BE(at + 32),
      destinationPort: head.readUInt16BE(at + 34),
    };
  }
  return undefined; // AF_UNSPEC, AF_UNIX: no address a TCP log line could use
}

/** The address as `ip` and Node print it (`2001:db8::1`): the URL parser compresses it for us. */
function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
