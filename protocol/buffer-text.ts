// Bytes read as text, a byte a character (latin1): for the digits of long numbers, which BigInt() parses.

const latin1 = new TextDecoder('latin1');

/** Node's Buffer method behind toString('latin1'), without its argument checks (undocumented, stable since v0.x). */
type Latin1Slicing = Uint8Array & { latin1Slice?: (start: number, end: number) => string };

/** bytes[from, end) as text, a byte a character. */
export function latin1Of(bytes: Latin1Slicing, from: number, end: number): string {
  // `instanceof Buffer` cost 35 ns a call here: a look for the method is all but free.
  return typeof bytes.latin1Slice === 'function' ? bytes.latin1Slice(from, end) : latin1.decode(bytes.subarray(from, end));
}

/**
 * The text of lines read from one buffer, a byte a character: the buffer from the first line asked
 * to its end is decoded once, and each line is a slice of that (V8 shares the characters). A decode
 * per line cost 40-100 ns of a 300-digit line's 900. The owner calls forget() before the buffer's
 * bytes may change: a Responder, at each read.
 */
export class BufferText {
  #bytes: Uint8Array | null = null;
  #from = 0;
  #text = '';

  of(bytes: Uint8Array, from: number, end: number): string {
    if (bytes !== this.#bytes || from < this.#from || end > this.#from + this.#text.length) {
      this.#bytes = bytes;
      this.#from = from;
      this.#text = latin1Of(bytes, from, bytes.length);
    }
    return this.#text.slice(from - this.#from, end - this.#from);
  }

  forget(): void {
    this.#bytes = null;
    this.#text = '';
  }
}
