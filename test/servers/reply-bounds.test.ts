// The per-connection reply bound's two facts: no line earns more reply per byte than the session
// assumes when it sizes the pieces it feeds, and OrderedReplies counts what it holds until written.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineFramer, defaultLimits, replyToLine } from '../../protocol/index.ts';
import { MAX_REPLY_BYTES_PER_BYTE } from '../../servers/shared/session.ts';
import { OrderedReplies } from '../../servers/shared/ordered-replies.ts';

const limits = defaultLimits();

describe('MAX_REPLY_BYTES_PER_BYTE', () => {
  it('bounds the reply to any line, per byte it took with its LF', () => {
    const worst = ['', ' ', '\u0001', '-', '_', '1'.repeat(limits.maxDigits + 1), '\u0000'.repeat(40), '\u00ff'];
    for (const text of worst) {
      const bytes = Buffer.from(text);
      expect(replyToLine(bytes, 0, bytes.length, limits.maxDigits).length).toBeLessThanOrEqual(MAX_REPLY_BYTES_PER_BYTE * (bytes.length + 1));
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) =>
      replyToLine(bytes, 0, bytes.length, limits.maxDigits).length <= MAX_REPLY_BYTES_PER_BYTE * (bytes.length + 1)));
  });
});

describe('OrderedReplies.heldBytes', () => {
  it('counts replies made ahead of their turn until they are written, and offloaded lines until theirs is', async () => {
    const written: string[] = [];
    const { promise: offloaded, resolve: started } = Promise.withResolvers<(reply: string) => void>();
    const offload = (): Promise<string> => new Promise((resolve) => started(resolve));
    const replies = new OrderedReplies(limits, { delayMs: 0, offloadMinBytes: 8, offload }, (text) => written.push(text));
    const framer = new LineFramer(limits.maxLineBytes);

    framer.push(Buffer.from('1\n'), replies);
    expect(replies.heldBytes).toBe('0x1\n'.length); // ready at once, not yet taken
    expect(replies.takeReady()).toBe('0x1\n');
    expect(replies.heldBytes).toBe(0);

    framer.push(Buffer.from('123456789\n\n'), replies); // offloaded, then an error queued behind it
    expect(replies.queued).toBe(2);
    const emptyReply = 'error: empty line: send a decimal integer such as 4312\n';
    expect(replies.heldBytes).toBe('123456789'.length + emptyReply.length);
    expect(replies.takeReady()).toBe('');

    (await offloaded)('0x75bcd15\n');
    await replies.drained();
    expect(written).toEqual(['0x75bcd15\n', emptyReply]);
    expect(replies.heldBytes).toBe(0);
    expect(replies.queued).toBe(0);
  });
});
