import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import {
  DEFAULT_LISTENERS,
  DEFAULT_MAX_CLIENTS,
  SERVER_OPTIONS,
  VARIANTS,
  helpText,
  parseServerCommand,
  perVariantText,
  serverOptions,
} from '../../servers/shared/options.ts';
import { renderOptionMarkdown } from '../../common/option-table.ts';
import { UsageError } from '../../common/errors.ts';

function serve(...argv: string[]) {
  const command = parseServerCommand(argv);
  if (command.kind !== 'serve') throw new Error('expected serve');
  return command;
}

describe('server options', () => {
  it.each(VARIANTS)('%s: serverOptions() gives what an empty command line gives', (variant) => {
    expect(serverOptions({}, variant)).toEqual(serve(variant).options);
  });

  it('defaults come from the table and the per-variant constants', () => {
    const options = serverOptions({}, 'threads');
    expect(options).toMatchObject({
      host: '127.0.0.1', port: 65432, limits: { maxDigits: 4300, maxLineBytes: 65536 },
      maxClients: DEFAULT_MAX_CLIENTS.threads, listeners: DEFAULT_LISTENERS.threads,
      idleTimeoutMs: 60_000, lineTimeoutMs: 30_000, maxPendingBytes: 1024 * 1024, delayMs: 0, spareWorkers: 0, lingerMs: 1000, reuseWorkers: true,
      poolSize: availableParallelism(), offloadMinBytes: 10_000, proxyProtocol: false, shutdownTimeoutMs: 5_000, verbose: false,
      telemetry: true, statsPort: 65433,
    });
    expect(serve('event-loop', '--port', '0').options).toMatchObject({ telemetry: true, statsPort: 0 });
    expect(serve('event-loop', '--port', '8000', '--no-telemetry').options).toMatchObject({ telemetry: false, statsPort: 8001 });
    expect(serve('event-loop', '--stats-port', '9100').options.statsPort).toBe(9100);
    expect(serverOptions({ port: 0 }, 'pool')).toMatchObject({ port: 0, listeners: 64, maxClients: 10_000 });
  });

  it('reads every option, and --max-line-bytes follows --max-digits unless given', () => {
    const { variant, options } = serve('cluster', '--host', '::1', '--port', '0', '--max-digits', '100000', '--max-clients', '0',
      '--listeners', '2', '--idle-timeout-ms', '1', '--line-timeout-ms', '2', '--max-pending-bytes', '3', '--max-buffered-bytes', '1048576', '--delay-ms', '4',
      '--spare', '5', '--linger-ms', '10', '--no-reuse', '--pool-size', '6', '--offload-min-bytes', '7', '--proxy-protocol', '--shutdown-timeout-ms', '8', '--verbose',
      '--stats-port', '9', '--no-telemetry');
    expect(variant).toBe('cluster');
    expect(options).toEqual({
      host: '::1', port: 0, limits: { maxDigits: 100_000, maxLineBytes: 4 * 100_000 + 4096 }, maxClients: 0, listeners: 2,
      idleTimeoutMs: 1, lineTimeoutMs: 2, maxPendingBytes: 3, maxBufferedBytes: 1048576, delayMs: 4, spareWorkers: 5, lingerMs: 10, reuseWorkers: false, poolSize: 6, offloadMinBytes: 7,
      proxyProtocol: true, shutdownTimeoutMs: 8, verbose: true, telemetry: false, statsPort: 9,
    });
    expect(serve('event-loop', '--max-line-bytes', '100').options.limits).toEqual({ maxDigits: 4300, maxLineBytes: 100 });
  });

  it('refuses a missing, unknown or extra variant and bad values', () => {
    expect(() => parseServerCommand([])).toThrow(/name a variant/);
    expect(() => parseServerCommand(['fibers'])).toThrow(/unknown variant "fibers"/);
    expect(() => parseServerCommand(['threads', 'extra'])).toThrow(/unexpected argument "extra"/);
    expect(() => parseServerCommand(['threads', '--host', ''])).toThrow(UsageError);
    expect(() => parseServerCommand(['threads', '--listeners', '0'])).toThrow(/--listeners must be an integer from 1 to 1024/);
  });

  it('--help lists every option of the table with its default', () => {
    expect(parseServerCommand(['--help'])).toEqual({ kind: 'help', text: helpText() });
    const unwrapped = helpText().replace(/\n {10,}/g, ' '); // a long meaning wraps under itself
    for (const option of SERVER_OPTIONS) expect(unwrapped).toMatch(new RegExp(`--${option.name}\\b.*\\(default: .+\\)$`, 'm'));
    expect(unwrapped).toContain(`processes ${DEFAULT_MAX_CLIENTS.processes} (a quarter of memory`);
  });

  it('the docs table is the same on every machine', () => {
    const markdown = renderOptionMarkdown(SERVER_OPTIONS);
    expect(markdown).toContain('| `--max-clients N` | blocking 1024, threads 256, processes a quarter of memory at 48 MB each, 8 to 512, others 10000 |');
    expect(markdown).toContain('| `--listeners N` | event-loop, cluster and pool 64, others 1 |');
    expect(markdown).toContain('| `--max-line-bytes N` | max(65536, 4 x max-digits + 4096) |');
    expect(markdown).toContain('| `--pool-size N` | the number of CPU cores |');
  });

  it('perVariantText says the most common value last', () => {
    expect(perVariantText(DEFAULT_LISTENERS)).toBe('event-loop, cluster and pool 64, others 1');
    expect(perVariantText({ blocking: 1, threads: 2, 'event-loop': 3, processes: 3, cluster: 3, pool: 3 }, { threads: 'two' }))
      .toBe('blocking 1, threads two, others 3');
  });
});
