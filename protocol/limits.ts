// The protocol's hard limits and their defaults, shared by every server, the client and the load tester.

/** Python's own default (`sys.int_info.default_max_str_digits`). */
export const DEFAULT_MAX_DIGITS = 4300;

/** The highest --max-digits any program accepts: a number that long takes minutes to convert. */
export const MAX_MAX_DIGITS = 100_000_000;

/** The widest UTF-8 digit. */
const BYTES_PER_DIGIT = 4;
/** Room for signs, underscores and whitespace around the digits. */
const LINE_SLACK_BYTES = 4 * 1024;
const MIN_MAX_LINE_BYTES = 64 * 1024;

/** The longest line worth reading for a given digit limit: every digit at its widest, some slack, never under 64 KiB. */
export function defaultMaxLineBytes(maxDigits: number): number {
  return Math.max(MIN_MAX_LINE_BYTES, BYTES_PER_DIGIT * maxDigits + LINE_SLACK_BYTES);
}

/** defaultMaxLineBytes in words, for --help and the docs. */
export const DEFAULT_MAX_LINE_BYTES_RULE = `max(${MIN_MAX_LINE_BYTES}, ${BYTES_PER_DIGIT} x max-digits + ${LINE_SLACK_BYTES})`;

export interface ProtocolLimits {
  /** Most digits a number may have (underscores and whitespace do not count). */
  maxDigits: number;
  /** Most bytes one line may hold, its LF not counted. A longer line is answered once and discarded. */
  maxLineBytes: number;
}

export function defaultLimits(maxDigits = DEFAULT_MAX_DIGITS): ProtocolLimits {
  return { maxDigits, maxLineBytes: defaultMaxLineBytes(maxDigits) };
}
