// One run of the lab: a VariantRun per chosen variant side by side, a frame of all of them four
// times a second, and a stop that always comes: asked for, the page gone, the lab exiting, or the
// run's time cap.

import type { LabSettings } from './settings.ts';
import type { RunFrame } from './frames.ts';
import { VariantRun } from './variant-run.ts';

const FRAME_INTERVAL_MS = 250;

export interface LabRunHooks {
  onFrame(frame: RunFrame): void;
  /** The run stopped itself (its time cap); the caller says so and lets it go. */
  onTimeUp(): void;
}

export class LabRun {
  settings: LabSettings;
  #variants: VariantRun[];
  #startedAt = performance.now();
  #endsAt: number;
  #ticker: NodeJS.Timeout;
  #cap: NodeJS.Timeout;
  #stopping: Promise<void> | null = null;

  constructor(settings: LabSettings, { maxRunMs, serverNiceness }: { maxRunMs: number; serverNiceness: number }, hooks: LabRunHooks) {
    this.settings = settings;
    this.#endsAt = this.#startedAt + maxRunMs;
    this.#variants = settings.variants.map((variant) => new VariantRun(variant, settings, { endsAt: this.#endsAt, serverNiceness }));
    for (const variant of this.#variants) void variant.start();
    this.#ticker = setInterval(() => hooks.onFrame(this.#frame()), FRAME_INTERVAL_MS);
    this.#cap = setTimeout(() => hooks.onTimeUp(), maxRunMs);
  }

  /** New load or server settings for the same variants (lab-server.ts refuses a change of variants). */
  async apply(settings: LabSettings): Promise<void> {
    this.settings = settings;
    await Promise.all(this.#variants.map((variant) => variant.apply(settings)));
  }

  /** Stops every load and server; resolves once every server process has exited. Idempotent. */
  stop(): Promise<void> {
    clearInterval(this.#ticker);
    clearTimeout(this.#cap);
    this.#stopping ??= Promise.all(this.#variants.map((variant) => variant.stop())).then(() => undefined);
    return this.#stopping;
  }

  #frame(): RunFrame {
    const now = performance.now();
    return {
      elapsedSec: (now - this.#startedAt) / 1000,
      remainingSec: Math.max(0, (this.#endsAt - now) / 1000),
      variants: this.#variants.map((variant) => variant.frame()),
    };
  }
}
