// The lab as a person runs it: `node lab/main.ts --port 0` as a child process, a run started over its
// HTTP API, its Server-Sent Events read until real figures arrive, and every way a run ends checked
// to leave no server process behind (the lab's process tree is the lab alone).

import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Driven, run } from '../helpers/processes.ts';
import { NODE } from '../helpers/servers.ts';
import { EventReader } from '../helpers/event-stream.ts';
import { processTree } from '../../common/proc.ts';
import type { RunFrame, RunStatus } from '../../lab/frames.ts';
import type { LabSettings } from '../../lab/settings.ts';

const settings: LabSettings = { variants: ['blocking', 'event-loop'], clients: 3, pipeline: 1, rate: null, delayMs: 0, bigPercent: 0 };

async function startLab(maxRunSeconds = 60): Promise<{ lab: Driven; url: string; events: EventReader }> {
  // Servers as nice as the lab: other test files share the cores, and nicer servers would wait behind them.
  const lab = new Driven(NODE, ['lab/main.ts', '--port', '0', '--max-run-seconds', String(maxRunSeconds), '--server-niceness', '0']);
  await lab.waitFor('\n', 'stdout');
  const url = /lab on (http:\/\/\S+)/.exec(lab.stdout)?.[1];
  if (url === undefined) throw new Error(`no URL in ${JSON.stringify(lab.stdout)}`);
  const events = await EventReader.open(`${url}events`);
  return { lab, url, events };
}

async function post(url: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The first frame in which every variant's server runs and has served, with its own figures in. */
function figuresIn(data: unknown): boolean {
  const frame = data as RunFrame;
  return frame.variants.length > 0 && frame.variants.every((v) =>
    v.status === 'running' && v.pid !== null && v.repliesPerSec > 0 && v.osThreads !== null && v.rssBytes !== null && v.loopDelayMs !== null);
}

function pidsOf(frame: RunFrame): number[] {
  return frame.variants.map((v) => v.pid!);
}

/** The lab's process and its descendants: the lab alone once it has stopped every server. */
async function labTree(lab: Driven): Promise<number[]> {
  return (await processTree(lab.child.pid!)).map((p) => p.pid);
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('npm run lab', () => {
  it('streams real figures for each variant, restarts the servers for --delay-ms, and stops them all on stop', async () => {
    const { lab, url, events } = await startLab();
    const started = await post(`${url}api/run`, settings);
    expect(started).toMatchObject({ status: 200, body: { running: true, message: 'started' } });

    const frame = (await events.next('frame', figuresIn)) as RunFrame;
    const [blocking, eventLoop] = frame.variants;
    expect(blocking).toMatchObject({ variant: 'blocking', clients: 3 });
    expect(eventLoop).toMatchObject({ variant: 'event-loop', clients: 3 });
    expect(blocking!.p50Ms).toBeGreaterThan(0);
    expect(eventLoop!.rssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(eventLoop!.osThreads).toBeGreaterThan(1);
    // Blocking serves its first client only; the event loop all three.
    await events.next('frame', (data) => {
      const [b, e] = (data as RunFrame).variants;
      return b!.served === 1 && b!.waiting === 2 && e!.served === 3 && e!.waiting === 0;
    });
    const firstPids = pidsOf(frame);
    expect((await labTree(lab)).sort((a, b) => a - b)).toEqual(expect.arrayContaining(firstPids));

    const changed = await post(`${url}api/run/settings`, { ...settings, delayMs: 5 });
    expect(changed).toMatchObject({ status: 200, body: { running: true } });
    expect(changed.body.message).toContain('restarted');
    const restarted = (await events.next('frame', (data) => figuresIn(data) && pidsOf(data as RunFrame).every((pid) => !firstPids.includes(pid)))) as RunFrame;
    expect(restarted.variants[0]!.note).toContain('--delay-ms 5');
    expect(firstPids.every(gone)).toBe(true);

    const stopped = await post(`${url}api/run/stop`, {});
    expect(stopped).toMatchObject({ status: 200, body: { running: false } });
    expect(pidsOf(restarted).every(gone)).toBe(true);
    expect(await labTree(lab)).toEqual([lab.child.pid]);
  }, 60_000); // four servers started in turn, on cores other test files share

  it('refuses settings out of range with the fields at fault, anything but JSON, and another site\'s page', async () => {
    const { url } = await startLab();
    const refused = await post(`${url}api/run`, { ...settings, clients: 6_000 });
    expect(refused).toMatchObject({ status: 400, body: { code: 'HEXD_LAB_SETTINGS', problems: [{ field: 'clients' }] } });
    expect(await post(`${url}api/run`, settings, 'text/plain')).toMatchObject({ status: 415, body: { code: 'HEXD_LAB_BAD_REQUEST' } });
    expect(await post(`${url}api/run/settings`, settings)).toMatchObject({ status: 409, body: { code: 'HEXD_LAB_NO_RUN' } });
    // A page from another name that resolves here (DNS rebinding) is turned away.
    const rebound = await new Promise<number>((resolve, reject) => {
      request(`${url}api/run`, { method: 'POST', headers: { host: 'evil.example:80', 'content-type': 'application/json' } }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      }).on('error', reject).end(JSON.stringify(settings));
    });
    expect(rebound).toBe(403);
  });

  it('stops the run and its servers when the page closes mid-run', async () => {
    const { lab, url, events } = await startLab();
    await post(`${url}api/run`, settings);
    const frame = (await events.next('frame', figuresIn)) as RunFrame;
    events.close();
    await lab.waitFor('run stopped (the page closed)');
    expect(pidsOf(frame).every(gone)).toBe(true);
    expect(await labTree(lab)).toEqual([lab.child.pid]);
  });

  it('stops a run whose servers are still starting, giving their start up, and leaves none behind', async () => {
    const { lab, url, events } = await startLab();
    await post(`${url}api/run`, { ...settings, variants: ['cluster', 'pool'] });
    expect(await post(`${url}api/run/stop`, {})).toMatchObject({ status: 200, body: { running: false } });
    expect(await labTree(lab)).toEqual([lab.child.pid]);
    // A new run after it starts and serves as any other.
    await post(`${url}api/run`, { ...settings, variants: ['event-loop'] });
    await events.next('frame', figuresIn);
  });

  it('stops a run at its time cap, and says so', async () => {
    const { lab, url, events } = await startLab(4);
    await post(`${url}api/run`, { ...settings, variants: ['event-loop'] });
    // The server started (within the cap, which leaves a loaded machine room for it).
    const frame = (await events.next('frame', (data) => (data as RunFrame).variants[0]!.pid !== null)) as RunFrame;
    const status = await events.next('status', (data) => !(data as RunStatus).running);
    expect(status).toMatchObject({ running: false, message: 'stopped: its time cap of 4 s', maxRunSec: 4 });
    expect(pidsOf(frame).every(gone)).toBe(true);
    expect(await labTree(lab)).toEqual([lab.child.pid]);
  });

  it('answers --help and --version, and refuses a host other machines reach (status 2)', async () => {
    const help = await run(NODE, ['lab/main.ts', '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('usage: npm run lab');
    expect((await run(NODE, ['lab/main.ts', '--version'])).stdout).toMatch(/^hexd-lab \d+\.\d+\.\d+\n$/);
    const remote = await run(NODE, ['lab/main.ts', '--host', '0.0.0.0', '--port', '0']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('--allow-remote');
  });

  it('on SIGTERM stops every server it started and exits 143', async () => {
    const { lab, url, events } = await startLab();
    await post(`${url}api/run`, settings);
    const frame = (await events.next('frame', figuresIn)) as RunFrame;
    lab.child.kill('SIGTERM');
    expect(await lab.exited).toBe(143);
    expect(lab.output).toContain('SIGTERM: stopped, with every server it started');
    expect(pidsOf(frame).every(gone)).toBe(true);
  });
});
