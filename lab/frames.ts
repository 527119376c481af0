// What the lab streams to the page (Server-Sent Events): a frame four times a second, and a status
// when a run starts, changes or stops. Types only, shared by the lab and the page's bundle.

import type { LabSettings, LabVariant } from './settings.ts';

export type VariantStatus = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export interface VariantFrame {
  variant: LabVariant;
  status: VariantStatus;
  /** The last thing worth telling about this variant: a restart, a failure. */
  note: string | null;
  /** The server process's pid, once started. */
  pid: number | null;
  clients: number;
  /** Over the last second. */
  repliesPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  served: number;
  waiting: number;
  /** Base64 of one bit per client: it got a reply in the last quarter second (reply-window.ts). */
  lit: string;
  /** From the server's /stats; null until it answers. */
  osThreads: number | null;
  rssBytes: number | null;
  loopDelayMs: number | null;
}

/** `event: frame`. */
export interface RunFrame {
  /** Seconds since the run started. */
  elapsedSec: number;
  /** Seconds until the run stops itself. */
  remainingSec: number;
  variants: VariantFrame[];
}

/** `event: status`: whether a run is on, with what, and why it changed. */
export interface RunStatus {
  running: boolean;
  settings: LabSettings | null;
  message: string;
  /** Every run stops by itself after this long (--max-run-seconds). */
  maxRunSec: number;
}
