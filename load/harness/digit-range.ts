// --digits: `N` or `A-B`, the digit counts of the load tester's light numbers.

import { UsageError } from '../../common/cli.ts';
import { MAX_MAX_DIGITS } from '../../protocol/index.ts';

/** How many digits the light numbers have: each number's count is drawn uniformly from low to high. */
export interface DigitRange {
  low: number;
  high: number;
}

/** 1 to 20 digits: every 64-bit number, what programs most often print. */
export const DEFAULT_DIGITS: DigitRange = { low: 1, high: 20 };

/** DEFAULT_DIGITS, cut to a server's lower --max-digits. */
export function defaultDigitRange(maxDigits: number): DigitRange {
  return { low: DEFAULT_DIGITS.low, high: Math.min(DEFAULT_DIGITS.high, maxDigits) };
}

const RANGE = /^(\d+)(?:-(\d+))?$/;

/** Reads `19` or `16-20`; the top must be within --max-digits, so the server accepts every number. */
export function parseDigitRange(raw: string, maxDigits: number): DigitRange {
  const match = RANGE.exec(raw.trim());
  if (!match) throw new UsageError(`--digits is N or A-B (such as 19 or 16-20), got ${JSON.stringify(raw)}`);
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  if (low < 1 || high < low) throw new UsageError(`--digits needs 1 <= A <= B, got ${JSON.stringify(raw)}`);
  // Past what --max-digits itself allows, raising it is no advice: say the limit.
  if (high > MAX_MAX_DIGITS) {
    throw new UsageError(`--digits must be at most ${MAX_MAX_DIGITS} (the most --max-digits allows), got ${JSON.stringify(raw)}`);
  }
  if (high > maxDigits) {
    throw new UsageError(`--digits asks for ${high}-digit numbers, over --max-digits ${maxDigits}: ` +
      `raise --max-digits to at least ${high}, here and on the server`);
  }
  return { low, high };
}
