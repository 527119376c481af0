// One cell per client on a canvas (up to 10,000): a cell lights when its client gets a reply and
// fades over the next second without one, so a served client glows and a waiting one stays dark.

/** Each quarter second without a reply keeps this much of a cell's light: about a quarter after a second. */
const FADE_PER_FRAME = 0.7;
/** A cell at least this bright counts as lit (the page's test reads the count). */
const LIT_THRESHOLD = 0.5;
const DARK = [226, 226, 226];
const GAP_PX = 1;

export class ClientGrid {
  readonly canvas = document.createElement('canvas');
  #light: Float32Array;
  #colour: number[];
  #columns = 1;
  #cellPx = 1;

  constructor(clients: number, colour: string) {
    this.#light = new Float32Array(clients);
    this.#colour = [1, 3, 5].map((at) => Number.parseInt(colour.slice(at, at + 2), 16));
    this.canvas.className = 'grid';
    this.canvas.setAttribute('aria-label', `${clients} clients, one cell each`);
    this.canvas.dataset.lit = '0';
  }

  /** Lays the cells out to the canvas's width; called once it is on the page. */
  layout(widthPx: number): void {
    const clients = this.#light.length;
    // Square-ish: as many columns as fit cells of the largest size that keeps the grid at most as tall as wide.
    this.#cellPx = Math.max(2, Math.min(24, Math.floor(Math.sqrt((widthPx * widthPx) / clients))));
    this.#columns = Math.max(1, Math.floor(widthPx / this.#cellPx));
    this.canvas.width = widthPx;
    this.canvas.height = Math.ceil(clients / this.#columns) * this.#cellPx;
    this.#draw();
  }

  /** A frame: `lit` holds a bit per client that got a reply in the last quarter second. */
  update(lit: Uint8Array): void {
    let litCells = 0;
    for (let i = 0; i < this.#light.length; i++) {
      const replied = ((lit[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
      const light = replied ? 1 : this.#light[i]! * FADE_PER_FRAME;
      this.#light[i] = light;
      if (light >= LIT_THRESHOLD) litCells++;
    }
    this.canvas.dataset.lit = String(litCells);
    this.#draw();
  }

  #draw(): void {
    const context = this.canvas.getContext('2d');
    if (context === null) return;
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const size = this.#cellPx > 3 ? this.#cellPx - GAP_PX : this.#cellPx;
    for (let i = 0; i < this.#light.length; i++) {
      const light = this.#light[i]!;
      const [r, g, b] = DARK.map((dark, c) => Math.round(dark + (this.#colour[c]! - dark) * light));
      context.fillStyle = `rgb(${r},${g},${b})`;
      context.fillRect((i % this.#columns) * this.#cellPx, Math.floor(i / this.#columns) * this.#cellPx, size, size);
    }
  }
}

/** The bits of a frame's `lit` field (base64). */
export function decodeLit(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
