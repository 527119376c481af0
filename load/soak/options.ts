// The command line of `npm run soak`: which server, how long and hard to load it, and where the
// report goes. One table (OPTIONS) gives the parsing, --help and the docs' table.

import { UsageError } from '../../common/errors.ts';
import { parseOptions, renderOptionHelp, type OptionTable } from '../../common/option-table.ts';
import { VARIANTS, isVariant, type Variant } from '../../servers/shared/options.ts';

export const OPTIONS = [
  { type: 'number', name: 'minutes', value: 'N', min: 0.05, max: 120, help: 'how long in all, fractions allowed (required)' },
  { type: 'string', name: 'variant', value: 'V', default: 'event-loop', accepts: VARIANTS.join(', '), help: `the hexd server: ${VARIANTS.join(', ')}` },
  {
    type: 'integer', name: 'connections', short: 'c', min: 1, max: 10_000, help: 'concurrent clients',
    shown: '10; blocking: 1, as it serves one at a time',
  },
  { type: 'integer', name: 'pipeline', value: 'K', min: 1, max: 1024, default: 1, help: 'requests in flight per client' },
  {
    type: 'number', name: 'window-seconds', value: 'S', min: 1, max: 600, default: 10,
    help: 'load per window; each window opens fresh connections',
  },
  { type: 'string', name: 'json', value: 'FILE', accepts: 'a file name', help: 'every window and the slope, as JSON (none unless asked)' },
] as const satisfies OptionTable;

export interface SoakOptions {
  minutes: number;
  variant: Variant;
  connections: number;
  pipeline: number;
  windowSec: number;
  /** Where to write the report, when asked. */
  json: string | undefined;
}

export type SoakCommand = { kind: 'help'; text: string } | { kind: 'run'; options: SoakOptions };

function soakHelpText(): string {
  return [
    'usage: npm run soak -- --minutes N [options]',
    '',
    'Starts a hexd server and loads it for N minutes in windows; after each window prints the server',
    "tree's RSS, open file descriptors and threads, and at the end the RSS slope and the error count.",
    'Exit status 1 when any reply was wrong, an error, dropped, or a connection failed.',
    '',
    'options:',
    renderOptionHelp(OPTIONS),
    '',
  ].join('\n');
}

export function parseSoakCommand(argv: readonly string[]): SoakCommand {
  const { values, help } = parseOptions(OPTIONS, argv);
  if (help) return { kind: 'help', text: soakHelpText() };
  if (values.minutes === undefined) throw new UsageError('--minutes is required');
  const variant = values.variant;
  if (!isVariant(variant)) throw new UsageError(`unknown variant ${JSON.stringify(variant)}: choose ${VARIANTS.join(', ')}`);
  return {
    kind: 'run',
    options: {
      minutes: values.minutes,
      variant,
      connections: values.connections ?? (variant === 'blocking' ? 1 : 10),
      pipeline: values.pipeline,
      windowSec: values['window-seconds'],
      json: values.json,
    },
  };
}
