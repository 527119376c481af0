// One variant's live view: its status and any note (a restart, a failure), the last second's figures
// beside the server's own, and its grid of clients.

import type { VariantFrame } from '../frames.ts';
import { colourOf } from '../../load/harness/variant-colours.ts';
import { ClientGrid, decodeLit } from './client-grid.ts';

const FIGURES = [
  ['rps', 'req/s'],
  ['p50', 'p50 ms'],
  ['p99', 'p99 ms'],
  ['served', 'served'],
  ['waiting', 'waiting'],
  ['threads', 'OS threads'],
  ['rss', 'RSS MB'],
  ['delay', 'loop delay ms'],
] as const;

type Figure = (typeof FIGURES)[number][0];

export class VariantPanel {
  readonly element = document.createElement('article');
  #grid: ClientGrid;
  #heading = document.createElement('h3');
  #note = document.createElement('p');
  #figures = new Map<Figure, HTMLElement>();
  #variant: string;

  constructor(variant: string, clients: number) {
    this.#variant = variant;
    this.element.className = 'panel';
    this.element.dataset.variant = variant;
    this.element.style.setProperty('--colour', colourOf(variant));
    this.#heading.textContent = `${variant}: starting`;
    this.#note.className = 'note';
    const list = document.createElement('dl');
    for (const [key, label] of FIGURES) {
      const term = document.createElement('dt');
      term.textContent = label;
      const value = document.createElement('dd');
      value.className = key;
      value.textContent = '–';
      this.#figures.set(key, value);
      list.append(term, value);
    }
    this.#grid = new ClientGrid(clients, colourOf(variant));
    this.element.append(this.#heading, this.#note, list, this.#grid.canvas);
  }

  /** Sizes the grid to the panel, once the panel is on the page. */
  layout(): void {
    this.#grid.layout(Math.floor(this.element.clientWidth - 16));
  }

  update(frame: VariantFrame): void {
    this.#heading.textContent = `${this.#variant}: ${frame.status}${frame.pid === null ? '' : ` (pid ${frame.pid})`}`;
    this.#note.textContent = frame.note ?? '';
    this.#set('rps', Math.round(frame.repliesPerSec).toLocaleString('en-US'));
    this.#set('p50', milliseconds(frame.p50Ms));
    this.#set('p99', milliseconds(frame.p99Ms));
    this.#set('served', String(frame.served));
    this.#set('waiting', String(frame.waiting));
    this.#set('threads', frame.osThreads === null ? '–' : String(frame.osThreads));
    this.#set('rss', frame.rssBytes === null ? '–' : (frame.rssBytes / 2 ** 20).toFixed(1));
    this.#set('delay', milliseconds(frame.loopDelayMs));
    this.#grid.update(decodeLit(frame.lit));
  }

  #set(figure: Figure, text: string): void {
    this.#figures.get(figure)!.textContent = text;
  }
}

function milliseconds(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(0);
}
