// The bytes all connections of one thread may hold together in partial lines and unsent replies
// (--max-buffered-bytes). Each connection is bounded on its own (--max-pending-bytes, --max-line-bytes),
// but ten thousand of them at their bounds would be tens of gigabytes. At the budget, the largest
// holders stop being read first, until those still read hold at most half of it; they are read again
// once the total is back under half. (The budget is reached when a connection finds no room in it.) The others read on while the total is under the budget, and each
// connection may always hold its share of half the budget, so a newcomer is served even while clients
// that read nothing hold all of it. In all, the connections hold at most one and a half budgets.
// Where a process's connections are spread over threads (threads: one a Worker), each thread's budget
// counts the others' bytes through shared memory (process-holdings.ts) and holds back its own
// connections when they are among the largest of the process.

import type { ProcessHoldings } from './process-holdings.ts';

/** A connection as the budget sees it. */
export interface BudgetMember {
  /** Bytes it holds now: its partial line, replies made and not yet taken by the kernel. */
  readonly bufferedBytes: number;
  /** Stop reading: the budget is spent and this member holds among the most. */
  holdBack(totalBytes: number): void;
  /** Read again: the budget has room. */
  release(): void;
}

/** How often a spent budget looks again whether its members' bytes have gone out. */
const RECHECK_MS = 20;

export class BufferBudget {
  readonly limitBytes: number;
  readonly #holdings: ProcessHoldings | undefined;
  #members = new Map<BudgetMember, number>();
  #totalBytes = 0;
  /** Stopped as the largest holders: read again once the total is under half the budget. */
  #heldBack = new Set<BudgetMember>();
  /** Stopped for want of room: read again once the total is under the budget. */
  #waiting = new Set<BudgetMember>();
  #sweepScheduled = false;
  #recheck: NodeJS.Timeout | undefined;

  /** `holdings`: the process's other threads, where they hold connections under the same budget. */
  constructor(limitBytes: number, holdings?: ProcessHoldings) {
    this.limitBytes = limitBytes;
    this.#holdings = holdings;
  }

  /** The total as last recorded (replies the kernel took since are counted until the next look). */
  get totalBytes(): number {
    return this.#totalBytes + (this.#holdings?.othersBytes ?? 0);
  }

  /** What a member holding `ownBytes` may still add: the budget's room, or what is left of its share. */
  roomFor(ownBytes: number): number {
    const otherThreads = this.#holdings === undefined ? 0 : this.#holdings.threads - 1;
    const share = Math.floor(this.limitBytes / 2 / Math.max(1, this.#members.size + otherThreads));
    return Math.max(0, this.limitBytes - this.totalBytes, share - ownBytes);
  }

  isHeldBack(member: BudgetMember): boolean {
    return this.#heldBack.has(member);
  }

  /** Records what a member holds now. */
  update(member: BudgetMember, bytes: number): void {
    const before = this.#members.get(member);
    // As recorded (most reads leave nothing held), and no other thread's bytes to weigh: nothing changed.
    if (before === bytes && this.#holdings === undefined) return;
    this.#totalBytes += bytes - (before ?? 0);
    this.#members.set(member, bytes);
    this.#publish();
    if (this.totalBytes >= this.limitBytes) this.#scheduleSweep();
  }

  #publish(): void {
    this.#holdings?.publish(this.#totalBytes, this.#heldBack.size > 0);
  }

  /** A member stopped for want of room (not chosen as a large holder): read again with the others. */
  wait(member: BudgetMember): void {
    this.#waiting.add(member);
    this.#scheduleSweep();
  }

  remove(member: BudgetMember): void {
    this.#totalBytes -= this.#members.get(member) ?? 0;
    this.#members.delete(member);
    this.#heldBack.delete(member);
    this.#waiting.delete(member);
    this.#publish();
  }

  #scheduleSweep(): void {
    if (this.#sweepScheduled) return;
    this.#sweepScheduled = true;
    setImmediate(this.#sweep);
  }

  #sweep = (): void => {
    this.#sweepScheduled = false;
    clearTimeout(this.#recheck);
    this.#recheck = undefined;
    // Counted afresh: the kernel takes replies without telling anyone but the socket.
    let own = 0;
    for (const member of this.#members.keys()) {
      const bytes = member.bufferedBytes;
      this.#members.set(member, bytes);
      own += bytes;
    }
    this.#totalBytes = own;
    const peers = this.#holdings?.peers() ?? [];
    const total = peers.reduce((sum, peer) => sum + peer.bytes, own);
    const low = Math.floor(this.limitBytes / 2);
    // Waiting members are read again only once there is real room, so they do not come straight back.
    if (total <= this.limitBytes - Math.floor(this.limitBytes / 8)) this.#releaseAll(this.#waiting);
    if (total <= low) this.#releaseAll(this.#heldBack);
    if (total >= this.limitBytes || this.#waiting.size > 0) {
      // Other threads' connections are ranked too, but each thread holds back only its own: the others
      // do the same when they look.
      const read: { bytes: number; member?: BudgetMember }[] = [
        ...[...this.#members].filter(([member]) => !this.#heldBack.has(member)).map(([member, bytes]) => ({ bytes, member })),
        ...peers.filter((peer) => !peer.heldBack).map(({ bytes }) => ({ bytes })),
      ].sort((a, b) => b.bytes - a.bytes);
      let stillRead = read.reduce((sum, { bytes }) => sum + bytes, 0);
      for (const { bytes, member } of read) {
        if (stillRead <= low) break;
        stillRead -= bytes;
        if (member === undefined) continue;
        this.#heldBack.add(member);
        this.#waiting.delete(member);
        member.holdBack(total);
      }
    }
    this.#publish();
    if (this.#heldBack.size > 0 || this.#waiting.size > 0) {
      this.#recheck = setTimeout(this.#sweep, RECHECK_MS);
      this.#recheck.unref();
    }
  };

  #releaseAll(members: Set<BudgetMember>): void {
    const released = [...members];
    members.clear();
    for (const member of released) member.release();
  }
}
