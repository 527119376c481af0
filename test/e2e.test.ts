// End to end: the real start command, real nc (netcat-openbsd), the real client program, as processes.

import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { VARIANTS, serverOptions } from '../servers/shared/options.ts';
import { NODE, spawnServer } from './helpers/servers.ts';
import { parseReadyLine } from '../common/ready-line.ts';
import { commandLine } from '../common/proc.ts';
import { Driven, run } from './helpers/processes.ts';
import { LineClient } from '../common/line-client.ts';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; scripts: Record<string, string> };

const nc = (port: number, input: string) => run('nc', ['-N', '127.0.0.1', String(port)], input);
const client = (port: number, args: string[], input = '') =>
  run(NODE, ['client/main.ts', '--port', String(port), ...args], input);

describe.each(VARIANTS)('%s, started as `npm run server` starts it', (variant) => {
  it('prints its ready line, answers nc and the client, and exits 0 on SIGTERM', async () => {
    const hexd = await spawnServer([variant, '--port', '0']);
    expect(hexd.readyLine).toBe(`listening on 127.0.0.1:${hexd.port} (${variant}, pid ${hexd.child.pid})`);

    expect(await nc(hexd.port, '4312\n-255\nabc\n')).toMatchObject({
      code: 0,
      stdout: '0x10d8\n-0xff\nerror: not a decimal integer: "abc"\n',
    });
    expect((await nc(hexd.port, '4312')).stdout).toBe('0x10d8\n'); // printf 4312 | nc -N: no newline

    expect(await client(hexd.port, ['4312', '-255', '0'])).toMatchObject({ code: 0, stdout: '0x10d8\n-0xff\n0x0\n' });
    expect(await client(hexd.port, ['1', 'x'])).toMatchObject({ code: 1, stdout: '0x1\nerror: not a decimal integer: "x"\n' });
    expect(await client(hexd.port, [], '1\n2\n3\n4\n5\n')).toMatchObject({ code: 0, stdout: '0x1\n0x2\n0x3\n0x4\n0x5\n' });

    hexd.child.kill('SIGTERM');
    expect(await hexd.exited).toBe(0);
  });
});

it('blocking: a second nc hangs until the first quits, then gets its answer', async () => {
  const hexd = await spawnServer(['blocking', '--port', '0']);
  const first = new Driven('nc', ['-N', '127.0.0.1', String(hexd.port)]);
  first.write('1\n');
  await first.waitFor('0x1\n');

  const second = new Driven('nc', ['-N', '127.0.0.1', String(hexd.port)]);
  second.write('2\n');
  first.write('3\n'); // the first is still served after the second has asked...
  await first.waitFor('0x3\n');
  expect(second.output).toBe(''); // ...and the second has heard nothing

  first.end();
  expect(await first.exited).toBe(0);
  await second.waitFor('0x2\n');
  second.end();
  expect(await second.exited).toBe(0);
  expect(second.output).toBe('0x2\n');
});

it('SIGTERM answers what was read, tells waiting clients, and exits 0', async () => {
  const hexd = await spawnServer(['blocking', '--port', '0', '--verbose']);
  const served = new Driven('nc', ['-N', '127.0.0.1', String(hexd.port)]);
  served.write('10\n');
  await served.waitFor('0xa\n');
  const waiting = new Driven('nc', ['-N', '127.0.0.1', String(hexd.port)]);
  waiting.write('11\n');
  expect(await hexd.stderrLine(/waiting its turn/)).toMatch(/^127\.0\.0\.1:\d+ waiting its turn \(1 client ahead of it\)$/);
  served.write('12\n');
  await served.waitFor('0xc\n');

  hexd.child.kill('SIGTERM');
  await served.waitFor('0xc\nerror: shutting down\n'); // after every line it read
  await waiting.waitFor('error: shutting down\n');
  // nc quits when its user does: the server has sent FIN and waits for the client's, as TCP does.
  served.end();
  waiting.end();
  expect(await hexd.exited).toBe(0);
  expect(await served.exited).toBe(0);
  expect(served.output).toBe('0xa\n0xc\nerror: shutting down\n');
  expect(waiting.output).toBe('error: shutting down\n');
});

it('a client that never closes cannot hold shutdown past --shutdown-timeout-ms', async () => {
  const hexd = await spawnServer(['event-loop', '--port', '0', '--shutdown-timeout-ms', '200']);
  const lingering = new Driven('nc', ['127.0.0.1', String(hexd.port)]);
  lingering.write('1\n');
  await lingering.waitFor('0x1\n');
  hexd.child.kill('SIGTERM');
  expect(await hexd.exited).toBe(0);
  lingering.end();
  await lingering.exited;
});

it('a shutdown that waits on clients says so, and a second signal stops it at once', async () => {
  const hexd = await spawnServer(['event-loop', '--port', '0']);
  // nc, which keeps its side open when the server half-closes, as a person's terminal does.
  const connected = new Driven('nc', ['127.0.0.1', String(hexd.port)]);
  connected.write('1\n');
  await connected.waitFor('0x1\n');
  hexd.child.kill('SIGINT');
  expect(await hexd.stderrLine(/shutting down/)).toBe(
    'hexd: shutting down: waiting up to 5 s for 1 connected client to finish; a second Ctrl-C (SIGINT or SIGTERM) stops now',
  );
  hexd.child.kill('SIGINT');
  expect(await hexd.exited).toBe(0);
  expect(hexd.stderr.at(-1)).toBe('hexd: SIGINT again: stopping now');
});

it('the client prompts on a TTY, with a reply per line', async () => {
  const hexd = await spawnServer(['event-loop', '--port', '0']);
  // `script` gives the client a real terminal.
  const tty = new Driven('script', ['-q', '-e', '-c', `${NODE} client/main.ts --port ${hexd.port}`, '/dev/null']);
  await tty.waitFor('hexd> ');
  tty.write('4312\n');
  await tty.waitFor('0x10d8');
  tty.write('\x04'); // Ctrl-D
  expect(await tty.exited).toBe(0);
});

it('the client says clearly when no server is there, and exits 2', async () => {
  const free = net.createServer().listen(0, '127.0.0.1');
  await once(free, 'listening');
  const { port } = free.address() as net.AddressInfo;
  free.close();
  await once(free, 'close');
  const result = await client(port, ['1']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^hexd-client: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
});

it('the client says so when the server goes away mid-talk, and exits 2', async () => {
  const hexd = await spawnServer(['event-loop', '--port', '0', '--shutdown-timeout-ms', '200']);
  const talking = new Driven(NODE, ['client/main.ts', '--port', String(hexd.port)]); // stdin a pipe, left open
  talking.write('1\n');
  await talking.waitFor('0x1\n');
  hexd.child.kill('SIGTERM');
  expect(await talking.exited).toBe(2);
  expect(talking.output).toBe(`0x1\nhexd-client: 127.0.0.1:${hexd.port} is shutting down: it answered every line it read\n`);
});

it('the client in line when the server stops says its line was never read, and exits 2', async () => {
  const hexd = await spawnServer(['blocking', '--port', '0']);
  const first = await LineClient.connect(hexd.port);
  expect(await first.request('1')).toBe('0x1');
  const second = new Driven(NODE, ['client/main.ts', '--port', String(hexd.port), '2']);
  await second.waitFor('hexd-client: connected, no reply yet: waiting (a blocking server serves one client at a time; yours is in line)\n');
  hexd.child.kill('SIGTERM');
  expect(await first.rest()).toEqual(['error: shutting down']);
  expect(await second.exited).toBe(2);
  expect(second.stdout).toBe('');
  expect(second.output).toContain(`hexd-client: 127.0.0.1:${hexd.port} is shutting down: it answered every line it read; 1 line unanswered, never read there, so safe to send again\n`);
});

it('the client on blocking says it is waiting its turn, then gets its reply', async () => {
  const hexd = await spawnServer(['blocking', '--port', '0']);
  const first = await LineClient.connect(hexd.port);
  expect(await first.request('1')).toBe('0x1');
  const second = new Driven(NODE, ['client/main.ts', '--port', String(hexd.port), '2']);
  await second.waitFor('hexd-client: connected, no reply yet: waiting (a blocking server serves one client at a time; yours is in line)\n');
  expect(second.stdout).toBe('');
  first.end();
  expect(await second.exited).toBe(0);
  expect(second.stdout).toBe('0x2\n');
});

describe('server command line', () => {
  it('--help lists every option with its default', async () => {
    const { code, stdout } = await run(NODE, ['servers/main.ts', '--help']);
    expect(code).toBe(0);
    for (const option of ['--host', '--port', '--max-digits', '--max-line-bytes', '--idle-timeout-ms', '--shutdown-timeout-ms', '--verbose']) {
      expect(stdout).toContain(option);
    }
    // An option's meaning may wrap onto lines of its own (indented deeper, and may start with another
    // option's name); its default closes the last of them.
    const entries = stdout.split(/\n(?= {2}-|\S)/).filter((entry) => /^\s+--(?!help|version)/.test(entry));
    expect(entries.length).toBeGreaterThan(5);
    for (const entry of entries) expect(entry.replace(/\s+/g, ' ').trim()).toMatch(/\(default: .+\)$/);
  });

  it.each([
    [['event-loop', '--port', 'x'], /--port must be an integer from 0 to 65535/],
    [['event-loop', '--max-digits', '0'], /--max-digits must be an integer/],
    [['event-loop', '--bogus'], /unknown option --bogus/],
    [['fibers'], /unknown variant "fibers"/],
    [[], /name a variant/],
  ])('rejects %j with one clear line and status 2', async (args, message) => {
    const { code, stderr } = await run(NODE, ['servers/main.ts', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each(VARIANTS)('%s says which port is taken, in one line, and exits 1', async (variant) => {
    const hexd = await spawnServer(['event-loop', '--port', '0']);
    const { code, stderr } = await run(NODE, ['servers/main.ts', variant, '--port', String(hexd.port)]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^hexd: port ${hexd.port} on 127.0.0.1 is already in use: another server`));
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each(VARIANTS)('%s says an address is not this machine\'s, in one line, and exits 1', async (variant) => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of a machine running the tests.
    const { code, stderr } = await run(NODE, ['servers/main.ts', variant, '--host', '192.0.2.1', '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toBe('hexd: cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine; ' +
      'use --host 127.0.0.1 (this machine only, the default), ::1, 0.0.0.0 (every interface) or an address `ip addr` lists\n');
  });

  it.each(VARIANTS)('%s says a host name it cannot resolve is that, in one line, and exits 1', async (variant) => {
    // .invalid is never a real name (RFC 6761); without a name server the lookup fails for now instead.
    const { code, stderr } = await run(NODE, ['servers/main.ts', variant, '--host', 'no.such.host.invalid', '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^hexd: cannot resolve --host no\.such\.host\.invalid: (no such host name|the name lookup failed for now); give an address such as 127\.0\.0\.1, or a name of this machine\n$/);
  });

  it('--verbose logs each connection opened and closed, with who served it', async () => {
    const hexd = await spawnServer(['threads', '--port', '0', '--verbose']);
    await nc(hexd.port, '1\n2\n');
    const closed = await hexd.stderrLine(/closed after 2 replies/);
    expect(closed).toMatch(/^127\.0\.0\.1:\d+ closed after 2 replies \(thread \d+\)$/);
    expect(hexd.stderr.some((line) => /^127\.0\.0\.1:\d+ connected \(thread \d+\)$/.test(line))).toBe(true);
  });
});

describe('every program', () => {
  // Each npm script that runs a program of hexd's: `node FILE`.
  const programs = Object.entries(packageJson.scripts).flatMap(([script, line]) => {
    const match = /^node (\S+\.ts)$/.exec(line) ?? /^node (servers\/main\.ts) event-loop$/.exec(line);
    return match === null ? [] : [[script, match[1]!] as const];
  });

  it('is found in package.json', () => {
    expect(programs.map(([script]) => script)).toEqual(expect.arrayContaining(['server', 'client', 'load', 'bench', 'perf', 'scenario', 'overhead', 'soak', 'lab', 'docs']));
  });

  it.each(programs)('npm run %s -- --version prints its name and package.json\'s version', async (_script, file) => {
    const { code, stdout, stderr } = await run(NODE, [file, '--version']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^hexd(-[a-z]+)? ${packageJson.version.replaceAll('.', '\\.')}\n$`));
  });
});

describe('npm scripts', () => {
  it('`npm run server` prints the pid of the process that owns the socket', async () => {
    const npm = new Driven('npm', ['run', '-s', 'server', '--', 'event-loop', '--port', '0']);
    await npm.waitFor('\n', 'stdout');
    const ready = parseReadyLine(npm.stdout.split('\n')[0]!);
    expect(ready, npm.output).not.toBeNull();
    const pid = ready!.pid;
    expect(await commandLine(pid)).toContain('servers/main.ts');
    process.kill(pid, 'SIGTERM');
    expect(await npm.exited).toBe(0);
  });

  // Not on 65432 itself: a learner's own `npm start` may be holding it while they run `npm test`.
  it('`npm start` serves the event loop, on 65432 unless told another port', async () => {
    expect(packageJson.scripts.start).toBe('node servers/main.ts event-loop');
    expect(serverOptions({}, 'event-loop')).toMatchObject({ host: '127.0.0.1', port: 65432 });
    const npm = new Driven('npm', ['start', '-s', '--', '--port', '0']);
    await npm.waitFor('\n', 'stdout');
    const ready = parseReadyLine(npm.stdout.split('\n')[0]!);
    expect(ready, npm.output).toMatchObject({ host: '127.0.0.1', variant: 'event-loop' });
    expect((await nc(ready!.port, '4312\n')).stdout).toBe('0x10d8\n');
    process.kill(ready!.pid, 'SIGINT');
    expect(await npm.exited).toBe(0);
  });

  // A test that fails mid-way leaves no server behind: npm's child, the node under it, is killed too.
  let abandoned: number | undefined;
  it.fails('(a test that fails while `npm start` runs)', async () => {
    const npm = new Driven('npm', ['start', '-s', '--', '--port', '0']);
    await npm.waitFor('\n', 'stdout');
    abandoned = parseReadyLine(npm.stdout.split('\n')[0]!)?.pid;
    expect(abandoned).toBeGreaterThan(0);
    expect.fail('failing on purpose, with the server running');
  });
  it('...leaves no process behind', async () => {
    expect(await commandLine(abandoned!), 'the server of the failed test is still running').toEqual([]);
  });

  it('`seq 1 5 | npm run -s client` prints five replies', async () => {
    const hexd = await spawnServer(['event-loop', '--port', '0']);
    const result = await run('npm', ['run', '-s', 'client', '--', '--port', String(hexd.port)], '1\n2\n3\n4\n5\n');
    expect(result).toMatchObject({ code: 0, stdout: '0x1\n0x2\n0x3\n0x4\n0x5\n' });
  });
});
