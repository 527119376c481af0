// The lab's web server (node:http): the page, its event stream, and a small JSON API to start,
// change and stop the one run. The run stops when asked, when the last page watching it goes, at its
// time cap, and when the lab closes.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isLoopback } from '../common/cli.ts';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { checkSettings, type LabSettings, type SettingsProblem } from './settings.ts';
import { LabRun } from './lab-run.ts';
import { openEventStream, type EventStream } from './event-stream.ts';
import type { RunStatus } from './frames.ts';
import type { PageFiles } from './page-bundle.ts';

/** Settings are a few hundred bytes; a body past this is refused unread. */
const MAX_BODY_BYTES = 16 * 1024;

const CONTENT_TYPES: Readonly<Record<keyof PageFiles, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'lab.css': 'text/css; charset=utf-8',
  'uPlot.css': 'text/css; charset=utf-8',
};

export interface LabServerOptions {
  host: string;
  port: number;
  /** Whether pages may come from other machines; otherwise a request must name a loopback host. */
  allowRemote: boolean;
  maxRunMs: number;
  serverNiceness: number;
  page: PageFiles;
  /** One line for the lab's stderr: a run started or stopped, and why. */
  log: (line: string) => void;
}

/** A refusal the API answers with: a status, a stable code, and what to do. */
interface Refusal {
  status: number;
  code: 'HEXD_LAB_SETTINGS' | 'HEXD_LAB_NO_RUN' | 'HEXD_LAB_VARIANTS_FIXED' | 'HEXD_LAB_BAD_REQUEST';
  message: string;
  problems?: SettingsProblem[];
}

export class LabServer {
  #options: LabServerOptions;
  #http: Server;
  #streams = new Set<EventStream>();
  #run: LabRun | null = null;
  /** The last run's stop, which a new run and the lab's close wait for. */
  #lastStop: Promise<void> = Promise.resolve();
  #closing: Promise<void> | null = null;

  constructor(options: LabServerOptions) {
    this.#options = options;
    this.#http = createServer((request, response) => void this.#route(request, response));
    this.#http.headersTimeout = 5_000;
    this.#http.requestTimeout = 10_000;
  }

  /** Listens; resolves with the page's URL. */
  async listen(): Promise<string> {
    this.#http.listen(this.#options.port, this.#options.host);
    await once(this.#http, 'listening');
    const { address, port } = this.#http.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
  }

  /** Stops the run (every server it started) and the web server. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#stopRun('the lab is closing');
      this.#http.closeAllConnections();
      this.#http.close();
    })();
    return this.#closing;
  }

  async #route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://lab').pathname;
    // A site whose name is made to resolve to 127.0.0.1 (DNS rebinding) still sends its own name as Host.
    if (!this.#options.allowRemote && !isLoopback(hostName(request.headers.host))) {
      reply(response, 403, { code: 'HEXD_LAB_BAD_REQUEST', message: 'the lab answers only pages opened at a loopback address (127.0.0.1, localhost, [::1])' });
      return;
    }
    try {
      if (request.method === 'GET') {
        if (path === '/events') return this.#watch(request, response);
        const file = path === '/' ? 'index.html' : path.slice(1);
        if (Object.hasOwn(CONTENT_TYPES, file)) {
          const name = file as keyof PageFiles;
          response.writeHead(200, { 'content-type': CONTENT_TYPES[name], 'cache-control': 'no-store' });
          response.end(this.#options.page[name]);
          return;
        }
      } else if (request.method === 'POST' && path.startsWith('/api/run')) {
        const outcome = await this.#api(path, request);
        reply(response, 'status' in outcome ? outcome.status : 200, outcome);
        return;
      }
      reply(response, 404, { code: 'HEXD_LAB_BAD_REQUEST', message: `no ${request.method} ${path} here` });
    } catch (err) {
      reply(response, 400, { code: 'HEXD_LAB_BAD_REQUEST', message: (err as Error).message });
    }
  }

  /** POST /api/run (start, replacing any run), /api/run/settings (change), /api/run/stop. */
  async #api(path: string, request: IncomingMessage): Promise<Refusal | RunStatus> {
    // JSON only: a form on another site cannot send it without the browser asking first (CORS), which the lab never allows.
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return { status: 415, code: 'HEXD_LAB_BAD_REQUEST', message: 'send JSON (content-type: application/json)' };
    }
    const body = await readJson(request);
    if (path === '/api/run/stop') {
      await this.#stopRun('stopped from the page');
      return this.#status('stopped from the page');
    }
    const checked = checkSettings(body);
    if (!checked.ok) {
      return { status: 400, code: 'HEXD_LAB_SETTINGS', message: checked.problems.map((p) => p.message).join('; '), problems: checked.problems };
    }
    if (path === '/api/run') return this.#startRun(checked.settings);
    if (path === '/api/run/settings') return this.#changeRun(checked.settings);
    return { status: 404, code: 'HEXD_LAB_BAD_REQUEST', message: `no POST ${path} here` };
  }

  async #startRun(settings: LabSettings): Promise<RunStatus> {
    await this.#stopRun('a new run replaced it');
    if (this.#closing !== null) return this.#status('the lab is closing');
    const run = new LabRun(settings, this.#options, {
      onFrame: (frame) => this.#broadcast('frame', frame, true),
      onTimeUp: () => void this.#stopRun(`its time cap of ${this.#options.maxRunMs / 1000} s`),
    });
    this.#run = run;
    this.#options.log(`run started: ${settings.variants.join(', ')}, ${settings.clients} clients each`);
    return this.#announce('started');
  }

  async #changeRun(settings: LabSettings): Promise<Refusal | RunStatus> {
    const run = this.#run;
    if (run === null) return { status: 409, code: 'HEXD_LAB_NO_RUN', message: 'no run to change: start one' };
    if (settings.variants.join() !== run.settings.variants.join()) {
      return { status: 409, code: 'HEXD_LAB_VARIANTS_FIXED', message: 'the variants of a run are fixed: stop it and start another' };
    }
    const restart = settings.delayMs !== run.settings.delayMs;
    await run.apply(settings);
    return this.#announce(restart ? `--delay-ms is now ${settings.delayMs}: every server was restarted` : 'the load was restarted with the new settings');
  }

  /** Stops the run, if any; resolves once its servers have exited (a run already stopping included). */
  #stopRun(why: string): Promise<void> {
    const run = this.#run;
    if (run === null) return this.#lastStop;
    this.#run = null;
    this.#lastStop = (async () => {
      await run.stop();
      this.#options.log(`run stopped (${why}); its ${run.settings.variants.length} server${run.settings.variants.length === 1 ? '' : 's'} stopped`);
      this.#announce(`stopped: ${why}`);
    })();
    return this.#lastStop;
  }

  #watch(request: IncomingMessage, response: ServerResponse): void {
    const stream = openEventStream(request, response, () => {
      this.#streams.delete(stream);
      // Nobody watching: the run goes with the last page.
      if (this.#streams.size === 0) void this.#stopRun('the page closed');
    });
    this.#streams.add(stream);
    stream.send('status', this.#status(this.#run === null ? 'ready' : 'a run is on'));
  }

  #broadcast(event: string, data: unknown, droppable = false): void {
    for (const stream of this.#streams) stream.send(event, data, droppable);
  }

  /** The status, told to every page watching, and returned to the caller. */
  #announce(message: string): RunStatus {
    const status = this.#status(message);
    this.#broadcast('status', status);
    return status;
  }

  #status(message: string): RunStatus {
    return { running: this.#run !== null, settings: this.#run?.settings ?? null, message, maxRunSec: this.#options.maxRunMs / 1000 };
  }
}

/** The host part of a Host header: `127.0.0.1:65480` -> `127.0.0.1`, `[::1]:65480` -> `::1`. */
function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  const bracketed = /^\[([^\]]+)\]/.exec(header);
  return bracketed === null ? header.replace(/:\d+$/, '') : bracketed[1]!;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(`${JSON.stringify(body)}\n`);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_BODY_BYTES) throw new Error(`a request body is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('the body is not JSON');
  }
}
