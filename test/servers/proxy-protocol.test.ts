// The PROXY header parser, fed bytes: every field of v1 and v2, every split point, and malformed input.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  parseProxyHeader,
  PROXY_HEADER_MAX_BYTES,
  V1_MAX_BYTES,
  V2_MAX_BYTES,
  type ProxyVerdict,
} from '../../servers/shared/proxy-protocol.ts';

const SIGNATURE = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];

/** A v2 header: version/command byte, family/transport byte, then `body` (addresses and TLVs). */
function v2(versionCommand: number, familyTransport: number, body: readonly number[], declaredLength = body.length): Buffer {
  const length = [declaredLength >> 8, declaredLength & 0xff];
  return Buffer.from([...SIGNATURE, versionCommand, familyTransport, ...length, ...body]);
}

const INET_BODY = [192, 0, 2, 1, 10, 77, 0, 2, 0xdc, 0x04, 0x10, 0xd8]; // 192.0.2.1:56324 -> 10.77.0.2:4312
const INET6_BODY = [
  0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // 2001:db8::1
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // ::1
  0x00, 0x50, 0x10, 0xd8,
];

function header(verdict: ProxyVerdict) {
  if (verdict.kind !== 'header') throw new Error(`expected a header, got ${JSON.stringify(verdict)}`);
  return verdict.header;
}

describe('PROXY protocol v1', () => {
  it('reads TCP4 with every field, and says where the client bytes start', () => {
    const bytes = Buffer.from('PROXY TCP4 192.0.2.1 10.77.0.2 56324 4312\r\n4312\n');
    expect(header(parseProxyHeader(bytes))).toEqual({
      version: 1,
      command: 'proxy',
      endpoints: { sourceAddress: '192.0.2.1', sourcePort: 56324, destinationAddress: '10.77.0.2', destinationPort: 4312 },
      headerBytes: 43,
    });
  });

  it('reads TCP6', () => {
    const verdict = parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::1 ::1 65535 0\r\n'));
    expect(header(verdict).endpoints).toEqual({ sourceAddress: '2001:db8::1', sourcePort: 65535, destinationAddress: '::1', destinationPort: 0 });
  });

  it('reads UNKNOWN, with or without the rest of the line, and carries no address', () => {
    expect(header(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n')))).toEqual({ version: 1, command: 'proxy', endpoints: undefined, headerBytes: 15 });
    const long = `PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n`;
    expect(header(parseProxyHeader(Buffer.from(long))).headerBytes).toBe(long.length);
  });

  it('accepts the longest line the spec allows and refuses one byte more', () => {
    const fill = (bytes: number) => `PROXY UNKNOWN ${'x'.repeat(bytes - 'PROXY UNKNOWN \r\n'.length)}\r\n`;
    expect(header(parseProxyHeader(Buffer.from(fill(V1_MAX_BYTES)))).headerBytes).toBe(V1_MAX_BYTES);
    expect(parseProxyHeader(Buffer.from(fill(V1_MAX_BYTES + 1)))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(Buffer.from(`PROXY UNKNOWN ${'x'.repeat(200)}`))).toMatchObject({ kind: 'invalid' });
  });

  it.each([
    ['an unknown protocol', 'PROXY UDP4 192.0.2.1 10.77.0.2 1 2\r\n'],
    ['an IPv6 address in TCP4', 'PROXY TCP4 ::1 10.77.0.2 1 2\r\n'],
    ['an IPv4 address in TCP6', 'PROXY TCP6 192.0.2.1 ::1 1 2\r\n'],
    ['a bad address', 'PROXY TCP4 192.0.2.256 10.77.0.2 1 2\r\n'],
    ['a port past 65535', 'PROXY TCP4 192.0.2.1 10.77.0.2 65536 2\r\n'],
    ['a port with a leading zero', 'PROXY TCP4 192.0.2.1 10.77.0.2 01 2\r\n'],
    ['a negative port', 'PROXY TCP4 192.0.2.1 10.77.0.2 -1 2\r\n'],
    ['a missing port', 'PROXY TCP4 192.0.2.1 10.77.0.2 1\r\n'],
    ['a field too many', 'PROXY TCP4 192.0.2.1 10.77.0.2 1 2 3\r\n'],
    ['two spaces', 'PROXY TCP4  192.0.2.1 10.77.0.2 1 2\r\n'],
    ['LF without CR', 'PROXY TCP4 192.0.2.1 10.77.0.2 1 2\n'],
    ['a lower-case signature', 'proxy TCP4 192.0.2.1 10.77.0.2 1 2\r\n'],
    ['a number (a plain client)', '4312\n'],
    ['an HTTP request', 'GET /4312 HTTP/1.1\r\n'],
  ])('refuses %s', (_, text) => {
    expect(parseProxyHeader(Buffer.from(text))).toMatchObject({ kind: 'invalid' });
  });
});

describe('PROXY protocol v2', () => {
  it('reads PROXY over AF_INET with every field', () => {
    expect(header(parseProxyHeader(v2(0x21, 0x11, INET_BODY)))).toEqual({
      version: 2,
      command: 'proxy',
      endpoints: { sourceAddress: '192.0.2.1', sourcePort: 56324, destinationAddress: '10.77.0.2', destinationPort: 4312 },
      headerBytes: 28,
    });
  });

  it('reads PROXY over AF_INET6, addresses as Node prints them', () => {
    expect(header(parseProxyHeader(v2(0x21, 0x21, INET6_BODY))).endpoints).toEqual({
      sourceAddress: '2001:db8::1',
      sourcePort: 80,
      destinationAddress: '::1',
      destinationPort: 4312,
    });
  });

  it('reads DGRAM as well as STREAM (the transport is the balancer\'s business)', () => {
    expect(header(parseProxyHeader(v2(0x21, 0x12, INET_BODY))).endpoints?.sourcePort).toBe(56324);
  });

  it('reads AF_UNSPEC and AF_UNIX as headers without an address', () => {
    expect(header(parseProxyHeader(v2(0x21, 0x00, [])))).toEqual({ version: 2, command: 'proxy', endpoints: undefined, headerBytes: 16 });
    expect(header(parseProxyHeader(v2(0x21, 0x31, Array.from({ length: 216 }, () => 0x61)))).endpoints).toBeUndefined();
  });

  it('reads LOCAL (a health check) and ignores whatever addresses it carries', () => {
    expect(header(parseProxyHeader(v2(0x20, 0x00, [])))).toEqual({ version: 2, command: 'local', endpoints: undefined, headerBytes: 16 });
    expect(header(parseProxyHeader(v2(0x20, 0x11, INET_BODY)))).toEqual({ version: 2, command: 'local', endpoints: undefined, headerBytes: 28 });
  });

  it('skips TLVs after the addresses, by the declared length', () => {
    const tlvs = [0x04, 0x00, 0x03, 0x61, 0x62, 0x63, 0x03, 0x00, 0x04, 1, 2, 3, 4]; // NOOP, CRC32C
    const bytes = Buffer.concat([v2(0x21, 0x11, [...INET_BODY, ...tlvs]), Buffer.from('4312\n')]);
    const parsed = header(parseProxyHeader(bytes));
    expect(parsed.headerBytes).toBe(16 + INET_BODY.length + tlvs.length);
    expect(parsed.endpoints?.sourceAddress).toBe('192.0.2.1');
    expect(bytes.subarray(parsed.headerBytes).toString()).toBe('4312\n');
  });

  it('accepts a header of the most bytes read and refuses a longer declared length before it comes', () => {
    const most = V2_MAX_BYTES - 16;
    expect(header(parseProxyHeader(v2(0x21, 0x11, [...INET_BODY, ...Array.from({ length: most - 12 }, () => 0)]))).headerBytes).toBe(V2_MAX_BYTES);
    expect(parseProxyHeader(v2(0x21, 0x11, INET_BODY, most + 1))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(v2(0x21, 0x11, [], 0xffff))).toMatchObject({ kind: 'invalid' });
  });

  it.each([
    ['version 1 in a v2 header', v2(0x11, 0x11, INET_BODY)],
    ['version 3', v2(0x31, 0x11, INET_BODY)],
    ['an unknown command', v2(0x22, 0x11, INET_BODY)],
    ['an unknown family', v2(0x21, 0x41, INET_BODY)],
    ['an unknown transport', v2(0x21, 0x13, INET_BODY)],
    ['AF_INET without a transport', v2(0x21, 0x10, INET_BODY)],
    ['AF_UNSPEC with a transport', v2(0x21, 0x01, [])],
    ['AF_INET shorter than its addresses', v2(0x21, 0x11, INET_BODY.slice(0, 11))],
    ['AF_INET6 shorter than its addresses', v2(0x21, 0x21, INET6_BODY.slice(0, 35))],
    ['AF_UNIX shorter than its addresses', v2(0x21, 0x31, Array.from({ length: 215 }, () => 0))],
    ['a damaged signature', Buffer.from([...SIGNATURE.slice(0, 11), 0x0b, 0x21, 0x11, 0, 12, ...INET_BODY])],
  ])('refuses %s', (_, bytes) => {
    expect(parseProxyHeader(bytes)).toMatchObject({ kind: 'invalid' });
  });
});

describe('PROXY header split across reads', () => {
  const whole = [
    Buffer.from('PROXY TCP4 192.0.2.1 10.77.0.2 56324 4312\r\n'),
    Buffer.from('PROXY UNKNOWN\r\n'),
    v2(0x21, 0x11, INET_BODY),
    v2(0x21, 0x21, [...INET6_BODY, 0x04, 0x00, 0x01, 0x00]),
    v2(0x20, 0x00, []),
  ];

  it.each(whole.map((bytes) => [bytes.subarray(0, 16).toString('latin1').replaceAll(/[^ -~]/g, '.'), bytes] as const))(
    'asks for more at every prefix of %j and reads it whole at its end',
    (_, bytes) => {
      for (let end = 1; end < bytes.length; end++) expect(parseProxyHeader(bytes.subarray(0, end)), `prefix of ${end} bytes`).toEqual({ kind: 'more' });
      expect(header(parseProxyHeader(bytes)).headerBytes).toBe(bytes.length);
    },
  );
});

describe('PROXY header properties', () => {
  it('any bytes: a verdict without throwing, never asking for more past the most bytes read, never a header longer than the bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: PROXY_HEADER_MAX_BYTES + 8 }), (bytes) => {
      const verdict = parseProxyHeader(bytes);
      if (verdict.kind === 'more') expect(bytes.length).toBeLessThan(PROXY_HEADER_MAX_BYTES);
      if (verdict.kind === 'header') expect(verdict.header.headerBytes).toBeLessThanOrEqual(bytes.length);
    }), { numRuns: 2000 });
  });

  it('bytes after the signature: any verdict, never a crash, with the signature kept as the start', () => {
    const signed = fc.uint8Array({ maxLength: 600 }).map((rest) => Buffer.concat([Buffer.from(SIGNATURE), rest]));
    fc.assert(fc.property(signed, (bytes) => {
      const verdict = parseProxyHeader(bytes);
      if (verdict.kind === 'header') expect(verdict.header.version).toBe(2);
    }), { numRuns: 2000 });
  });

  it('any v1 TCP4 header round-trips its endpoints, and a prefix asks for more', () => {
    const ipv4 = fc.ipV4();
    const port = fc.integer({ min: 0, max: 65535 });
    fc.assert(fc.property(ipv4, ipv4, port, port, (source, destination, sourcePort, destinationPort) => {
      const line = Buffer.from(`PROXY TCP4 ${source} ${destination} ${sourcePort} ${destinationPort}\r\n`);
      expect(header(parseProxyHeader(line)).endpoints).toEqual({ sourceAddress: source, sourcePort, destinationAddress: destination, destinationPort });
      expect(parseProxyHeader(line.subarray(0, line.length - 1))).toEqual({ kind: 'more' });
    }));
  });

  it('any v2 AF_INET header round-trips its endpoints', () => {
    const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
    const port = fc.integer({ min: 0, max: 65535 });
    fc.assert(fc.property(octets, octets, port, port, (source, destination, sourcePort, destinationPort) => {
      const body = [...source, ...destination, sourcePort >> 8, sourcePort & 0xff, destinationPort >> 8, destinationPort & 0xff];
      expect(header(parseProxyHeader(v2(0x21, 0x11, body))).endpoints).toEqual({
        sourceAddress: source.join('.'),
        sourcePort,
        destinationAddress: destination.join('.'),
        destinationPort,
      });
    }));
  });
});
