// The protocol's hard limits and their defaults, shared by every server, the client and the load tester.

/** Python's own default (`sys.int_info.default_max_str_digits`). */
export const DEFAULT_MAX_DIGITS = 4300;

/**
 * The longest line worth reading for a given digit limit: 4 bytes per digit (the widest UTF-8 digit)
 * plus 4 KiB for signs, underscores and whitespace, and never under 64 KiB.
 */
export function defaultMaxLineBytes(maxDigits: number): number {
  return Math.max(64 * 1024, 4 * maxDigits + 4 * 1024);
}

export interface ProtocolLimits {
  /** Most digits a number may have (underscores and whitespace do not count). */
  maxDigits: number;
  /** Most bytes one line may hold, its LF not counted. A longer line is answered once and discarded. */
  maxLineBytes: number;
}

export function defaultLimits(maxDigits = DEFAULT_MAX_DIGITS): ProtocolLimits {
  return { maxDigits, maxLineBytes: defaultMaxLineBytes(maxDigits) };
}
