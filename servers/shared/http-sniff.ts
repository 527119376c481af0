// Whether a connection speaks HTTP, decided from its first bytes: kept apart from http-front.ts so that
// deciding costs no node:http.

/** Most bytes read while deciding whether a connection speaks HTTP: a request line, at most. */
export const SNIFF_BYTES = 8 * 1024;
const REQUEST_LINE = /^[A-Z]{1,16} [^\s]+ HTTP\/1\.[01]\r?$/;
const METHOD_START = /^[A-Z]{1,16}( |$)/;
const REQUEST_START = /^[A-Z]{1,16} [^\s]/;

/**
 * Whether the first bytes of a connection are an HTTP request line: `yes`, `no`, `more` when the
 * line has not ended yet and could still be one, or `too-long` when it starts as one (a method and a
 * space) and runs past SNIFF_BYTES, which deserves an HTTP status (414), not line-protocol errors.
 */
export function sniffHttp(bytes: Buffer): 'yes' | 'no' | 'more' | 'too-long' {
  const first = bytes[0];
  if (first === undefined || first < 0x41 || first > 0x5a) return 'no'; // numbers never start A-Z
  const lf = bytes.indexOf(0x0a);
  if (lf === -1) {
    const start = bytes.toString('latin1', 0, Math.min(bytes.length, 18));
    if (!METHOD_START.test(start)) return 'no';
    if (bytes.length < SNIFF_BYTES) return 'more';
    return REQUEST_START.test(start) ? 'too-long' : 'no';
  }
  if (lf > SNIFF_BYTES) return REQUEST_START.test(bytes.toString('latin1', 0, 18)) ? 'too-long' : 'no';
  return REQUEST_LINE.test(bytes.toString('latin1', 0, lf)) ? 'yes' : 'no';
}
