// Before a test script: the Debian programs its tests drive for real (nc, curl, python3, script, promtool;
// chromium for `npm run test:slow`, named by `node tools/preflight.ts browser`; haproxy and ip for the
// hardening suite's fleet tests, by `fleet`). What is missing is installed with apt-get when this runs as root, in one line; otherwise
// it stops here, in its first second, with one line naming what is missing and the command that
// installs it.

import { spawnSync } from 'node:child_process';

interface Requirement {
  /** Only for the suites that ask for it by this name on the command line. */
  suite?: string;
  /** The Debian package that brings it. */
  pkg: string;
  /** Whether the machine already has it, as the tests need it. */
  present(): boolean;
}

const runs = (command: string, args: string[]): { ok: boolean; output: string } => {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  return { ok: result.error === undefined && result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
};
const onPath = (command: string): boolean => runs('sh', ['-c', `command -v ${command}`]).ok;

/** What the tests need from the OS: the real programs they run beside hexd. */
const REQUIREMENTS: readonly Requirement[] = [
  // OpenBSD netcat: `-N` sends the end of stdin on to the server, as README's nc examples do.
  { pkg: 'netcat-openbsd', present: () => onPath('nc') && runs('nc', ['-h']).output.includes('-N') },
  { pkg: 'curl', present: () => onPath('curl') },
  { pkg: 'python3', present: () => onPath('python3') },
  { pkg: 'util-linux', present: () => onPath('script') },
  // promtool checks that /metrics is Prometheus's text format, as Prometheus itself reads it.
  { pkg: 'prometheus', present: () => onPath('promtool') },
  // The bench report's test opens the page in a real browser, driven by playwright-core.
  { suite: 'browser', pkg: 'chromium', present: () => onPath('/usr/bin/chromium') },
  // The fleet's tests put backends in network namespaces behind a real HAProxy (`npm run test:hardening`).
  { suite: 'fleet', pkg: 'haproxy', present: () => onPath('haproxy') },
  { suite: 'fleet', pkg: 'iproute2', present: () => onPath('ip') },
];

function main(): number {
  const suites = process.argv.slice(2);
  const wanted = REQUIREMENTS.filter((r) => r.suite === undefined || suites.includes(r.suite));
  const missing = wanted.filter((r) => !r.present()).map((r) => r.pkg);
  if (missing.length === 0) return 0;
  const install = `apt-get install -y ${missing.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath('apt-get')) {
    process.stderr.write(`hexd-test: missing ${missing.join(', ')}; install with: sudo apt-get update && sudo ${install}\n`);
    return 1;
  }
  process.stderr.write(`hexd-test: installing ${missing.join(', ')} (apt-get), which the tests run for real\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) {
      process.stderr.write(`hexd-test: apt-get ${args[0]} failed; install by hand: ${install}\n`);
      return 1;
    }
  }
  return 0;
}

process.exitCode = main();
