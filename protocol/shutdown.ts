// The last line a server sends as it stops gracefully, after the replies it owes. Every line the
// client sent before it was answered, in order; no line after it was read. So a client may send those
// lines again, on a new connection (to another server, behind a balancer), and none is lost or
// answered twice: the load tester does (docs/protocol.md).

export const SHUTTING_DOWN_LINE = 'error: shutting down\n';

const GOODBYE = SHUTTING_DOWN_LINE.slice(0, -1);

/** Whether a line (without its LF) is that goodbye. */
export function isShuttingDownLine(line: string): boolean {
  return line === GOODBYE;
}
