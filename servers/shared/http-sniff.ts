// Whether a connection speaks HTTP, decided from its first bytes: kept apart from http-front.ts so that
// deciding costs no node:http.

/** Most bytes read while deciding whether a connection speaks HTTP: a request line, at most. */
const SNIFF_BYTES = 8 * 1024;
const REQUEST_LINE = /^[A-Z]{1,16} [^\s]+ HTTP\/1\.[01]\r?$/;
const METHOD_START = /^[A-Z]{1,16}( |$)/;

/**
 * Whether the first bytes of a connection are an HTTP request line: `yes`, `no`, or `more` when the
 * line has not ended yet and could still be one.
 */
export function sniffHttp(bytes: Buffer): 'yes' | 'no' | 'more' {
  const first = bytes[0];
  if (first === undefined || first < 0x41 || first > 0x5a) return 'no'; // numbers never start A-Z
  const lf = bytes.indexOf(0x0a);
  if (lf === -1) {
    const start = bytes.toString('latin1', 0, Math.min(bytes.length, 18));
    return bytes.length < SNIFF_BYTES && METHOD_START.test(start) ? 'more' : 'no';
  }
  return REQUEST_LINE.test(bytes.toString('latin1', 0, lf)) ? 'yes' : 'no';
}
