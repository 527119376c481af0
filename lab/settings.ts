// What a lab run is asked to do, and the one check of it: the page checks a form with it before it
// sends anything, and the lab's HTTP API checks what arrives with it again. Pure, and free of Node's
// modules, because the page is bundled from it too.

/**
 * The six models, in the order the page lists them: servers/shared/options.ts's VARIANTS, written
 * again because that module needs Node (a test keeps the two equal).
 */
export const LAB_VARIANTS = ['blocking', 'threads', 'event-loop', 'processes', 'cluster', 'pool'] as const;

export type LabVariant = (typeof LAB_VARIANTS)[number];

/**
 * Clients across every variant of a run. The machine's descriptor limit is 20,000 and every client
 * holds two (the lab's end and the server's), so 10,000 is all one run can hold.
 */
const MAX_CLIENTS_IN_ALL = 10_000;
/** The big numbers' size: about 0.1 s of a core to convert, the blog's CPU-heavy request. */
export const BIG_NUMBER_DIGITS = 1_000_000;

export interface LabSettings {
  /** One to six distinct variants, each on a fresh server process. */
  variants: LabVariant[];
  /** Clients per variant; clients × variants is at most MAX_CLIENTS_IN_ALL. */
  clients: number;
  /** Requests in flight per client (the load tester's --pipeline). */
  pipeline: number;
  /** Open loop: requests per second per variant (the tester's --rate); null: closed loop. */
  rate: number | null;
  /** The server's --delay-ms: each reply waits this long, as if on a database. */
  delayMs: number;
  /** Percent of requests that are BIG_NUMBER_DIGITS-digit numbers (the tester's --mix). */
  bigPercent: number;
}

/** Each field's bounds, shown by the page beside its input and used by the check. */
export const LIMITS = {
  clients: { min: 1, max: MAX_CLIENTS_IN_ALL },
  pipeline: { min: 1, max: 100 },
  rate: { min: 1, max: 1_000_000 },
  delayMs: { min: 0, max: 10_000 },
  bigPercent: { min: 0, max: 10 },
} as const;

export interface SettingsProblem {
  /** The field at fault, for the page to mark its input. */
  field: keyof LabSettings;
  message: string;
}

export type SettingsCheck = { ok: true; settings: LabSettings } | { ok: false; problems: SettingsProblem[] };

/** Checks settings from a form or a request body: every problem at once, each with a message a person can act on. */
export function checkSettings(input: unknown): SettingsCheck {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: SettingsProblem[] = [];
  const variants = checkVariants(raw.variants, problems);
  const clients = checkNumber(raw, 'clients', problems, { integer: true });
  const pipeline = checkNumber(raw, 'pipeline', problems, { integer: true });
  const rate = raw.rate === null || raw.rate === undefined ? null : checkNumber(raw, 'rate', problems, { integer: false });
  const delayMs = checkNumber(raw, 'delayMs', problems, { integer: true });
  const bigPercent = checkNumber(raw, 'bigPercent', problems, { integer: false });
  if (variants.length > 0 && clients !== null && clients * variants.length > MAX_CLIENTS_IN_ALL) {
    problems.push({
      field: 'clients',
      message: `${clients} clients on each of ${variants.length} variants is ${clients * variants.length} in all; at most ${MAX_CLIENTS_IN_ALL} fit`,
    });
  }
  if (problems.length > 0 || clients === null || pipeline === null || delayMs === null || bigPercent === null) {
    return { ok: false, problems };
  }
  return { ok: true, settings: { variants, clients, pipeline, rate, delayMs, bigPercent } };
}

function checkVariants(value: unknown, problems: SettingsProblem[]): LabVariant[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ field: 'variants', message: 'pick at least one variant' });
    return [];
  }
  const unknown = value.filter((v) => !(LAB_VARIANTS as readonly unknown[]).includes(v));
  if (unknown.length > 0) {
    problems.push({ field: 'variants', message: `unknown variant ${JSON.stringify(unknown[0])}: choose from ${LAB_VARIANTS.join(', ')}` });
    return [];
  }
  if (new Set(value).size !== value.length) {
    problems.push({ field: 'variants', message: 'each variant may be picked once' });
    return [];
  }
  return value as LabVariant[];
}

type NumberField = keyof typeof LIMITS;

function checkNumber(raw: Record<string, unknown>, field: NumberField, problems: SettingsProblem[], { integer }: { integer: boolean }): number | null {
  const value = raw[field];
  const { min, max } = LIMITS[field];
  const kind = integer ? 'a whole number' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    problems.push({ field, message: `${field} must be ${kind} from ${min} to ${max}, got ${JSON.stringify(value ?? null)}` });
    return null;
  }
  return value;
}

/** Whether going from one set of settings to the next restarts the servers (a server option changed). */
export function needsServerRestart(before: LabSettings, after: LabSettings): boolean {
  return before.delayMs !== after.delayMs;
}
