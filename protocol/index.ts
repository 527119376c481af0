// The hexd protocol: one line of decimal in, one line of Python hex() out. Shared by every part of hexd.

export { DEFAULT_MAX_DIGITS, MAX_MAX_DIGITS, DEFAULT_MAX_LINE_BYTES_RULE, defaultLimits, defaultMaxLineBytes, type ProtocolLimits } from './limits.ts';
export { ProtocolError, lineTooLong } from './errors.ts';
export { LineFramer, indexOfLF, type LineSink } from './line-framer.ts';
export { parseInteger, parseIntegerText, toPythonHex, decimalDigitValue, type Integer } from './python-int.ts';
export { SHUTTING_DOWN_LINE, isShuttingDownLine } from './shutdown.ts';
export { Responder, isErrorReply, replyToLine } from './responder.ts';

/** The default address, the blog's. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 65432;
