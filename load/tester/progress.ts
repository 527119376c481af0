// A one-line progress bar for a terminal. Only on a TTY: piped or in CI, nothing is drawn.

export function renderProgressBar(fraction: number, label: string, width = 30): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * width);
  return `[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.floor(clamped * 100)).padStart(3)}% ${label}`;
}

export interface Progress {
  update(replies: number): void;
  stop(): void;
}

export interface ProgressLimits {
  /** Warm-up included. */
  durationMs: number | null;
  warmupMs: number;
  requests: number | null;
}

/** Draws on `stream` when it is a TTY; otherwise a Progress that does nothing. */
export function startProgress(stream: NodeJS.WriteStream, limits: ProgressLimits): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const startedAt = performance.now();
  let drawn = false;
  return {
    update(replies) {
      const elapsedMs = performance.now() - startedAt;
      const fraction = Math.max(
        limits.durationMs === null ? 0 : elapsedMs / limits.durationMs,
        limits.requests === null ? 0 : replies / limits.requests,
      );
      const phase = elapsedMs < limits.warmupMs ? ' (warm-up)' : '';
      const label = `${replies.toLocaleString('en-US')} replies, ${(elapsedMs / 1000).toFixed(1)} s${phase}`;
      stream.write(`\r${renderProgressBar(fraction, label)}\x1b[K`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
