// Every way a line can be wrong: a stable code for programs, a message a person can act on.

export type ProtocolErrorCode =
  | 'EMPTY_LINE'
  | 'NOT_AN_INTEGER'
  | 'INVALID_UTF8'
  | 'TOO_MANY_DIGITS'
  | 'LINE_TOO_LONG';

export class ProtocolError {
  readonly code: ProtocolErrorCode;
  readonly message: string;

  constructor(code: ProtocolErrorCode, message: string) {
    this.code = code;
    this.message = message;
  }

  /** The wire form: one line, always starting `error: `. */
  toReply(): string {
    return `error: ${this.message}\n`;
  }
}

const ECHO_CHARS = 40;

/** Quotes what the client sent, shortened and escaped so the reply stays one printable line. */
function echo(text: string): string {
  const shown = text.length > ECHO_CHARS ? `${text.slice(0, ECHO_CHARS)}...` : text;
  return JSON.stringify(shown);
}

export const emptyLine = (): ProtocolError =>
  new ProtocolError('EMPTY_LINE', 'empty line: send a decimal integer such as 4312');

export const notAnInteger = (text: string): ProtocolError =>
  new ProtocolError('NOT_AN_INTEGER', `not a decimal integer: ${echo(text)}`);

export const invalidUtf8 = (): ProtocolError =>
  new ProtocolError('INVALID_UTF8', 'line is not valid UTF-8');

export const tooManyDigits = (digits: number, maxDigits: number): ProtocolError =>
  new ProtocolError(
    'TOO_MANY_DIGITS',
    `number has ${digits} digits, over the limit of ${maxDigits} (--max-digits)`,
  );

export const lineTooLong = (maxLineBytes: number): ProtocolError =>
  new ProtocolError(
    'LINE_TOO_LONG',
    `line longer than ${maxLineBytes} bytes (--max-line-bytes); discarded up to its newline`,
  );
