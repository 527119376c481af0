// The command line of `npm run fleet`: one table (OPTIONS) gives the parsing, --help and the docs' table.

import { UsageError } from '../common/errors.ts';
import { parseOptions, renderOptionHelp, type OptionTable } from '../common/option-table.ts';
import { FLEET_VARIANTS, type FleetVariant } from './backends.ts';
import { MAX_BACKENDS } from './hosts.ts';

export const OPTIONS = [
  { type: 'integer', name: 'backends', short: 'n', help: 'hexd backends, each on a host of its own', default: 2, min: 1, max: MAX_BACKENDS },
  { type: 'string', name: 'variant', value: 'NAME', help: 'the backends\' variant (not blocking: a health check would queue behind its one client)', default: 'event-loop', accepts: FLEET_VARIANTS.join(', ') },
  { type: 'integer', name: 'port', help: 'HAProxy\'s port on 127.0.0.1; 0 picks a free one', default: 0, min: 0, max: 65535 },
  { type: 'flag', name: 'loopback', help: 'hosts on loopback addresses 127.0.0.2, .3, ... even as root (network namespaces otherwise; without root, always loopback)', shown: 'off' },
  { type: 'flag', name: 'bench', help: 'measure direct to one backend against HAProxy to 1, 2 and 4 backends at 100 and 1,000 clients, then stop (4 backends)', shown: 'off' },
  { type: 'flag', name: 'faults', help: 'under load, kill -9 a backend and bring it back, then drain one and SIGTERM it; print what clients saw, then stop (after --bench, when both are given)', shown: 'off' },
  { type: 'number', name: 'duration', short: 'd', value: 'SECONDS', help: '--bench: each measured run; --faults: the load around each fault', default: 3, min: 0.5, max: 60 },
  { type: 'string', name: 'json', value: 'FILE', default: 'reports/fleet.json', accepts: 'a file name', help: '--bench, --faults: the report as JSON' },
  { type: 'string', name: 'markdown', value: 'FILE', accepts: 'a file name', help: '--bench, --faults: a results page in Markdown, from the JSON (none unless asked)' },
] as const satisfies OptionTable;

interface FleetCommandOptions {
  backends: number;
  variant: FleetVariant;
  port: number;
  loopback: boolean;
  /** Neither: serve until a signal. */
  bench: boolean;
  faults: boolean;
  durationSec: number;
  json: string;
  markdown: string | undefined;
}

export type FleetCommand = { kind: 'help'; text: string } | { kind: 'run'; options: FleetCommandOptions };

function helpText(): string {
  return [
    'usage: npm run fleet -- [options]',
    '',
    'Starts hexd backends as separate hosts (network namespaces on a bridge as root, loopback addresses',
    'otherwise) behind HAProxy in TCP mode, prints where, and runs until Ctrl-C; or measures it (--bench)',
    'or breaks it (--faults). Everything it creates is removed when it stops. docs/fleet.md says more.',
    '',
    'options:',
    renderOptionHelp(OPTIONS),
    '',
  ].join('\n');
}

function isFleetVariant(name: string): name is FleetVariant {
  return (FLEET_VARIANTS as readonly string[]).includes(name);
}

export function parseFleetCommand(argv: readonly string[]): FleetCommand {
  const { values, help } = parseOptions(OPTIONS, argv);
  if (help) return { kind: 'help', text: helpText() };
  if (!isFleetVariant(values.variant)) throw new UsageError(`--variant ${values.variant}: choose ${FLEET_VARIANTS.join(', ')}`);
  return {
    kind: 'run',
    options: {
      backends: values.bench ? 4 : values.faults ? Math.max(2, values.backends) : values.backends,
      variant: values.variant,
      port: values.port,
      loopback: values.loopback,
      bench: values.bench,
      faults: values.faults,
      durationSec: values.duration,
      json: values.json,
      markdown: values.markdown,
    },
  };
}
