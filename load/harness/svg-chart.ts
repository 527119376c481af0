// A small line chart as a standalone SVG string: one line per series, optional log axes, a legend.
// No dependencies and no scripts, so the same text works inline in HTML and as an .svg file.

interface Point {
  x: number;
  /** Null for a point with nothing to show (a log axis cannot show zero either). */
  y: number | null;
}

export interface Series {
  name: string;
  points: readonly Point[];
  /** Drawn dashed (the Python peers beside the Node variants). */
  dashed?: boolean;
  /** Its colour; by default the next of the palette. */
  colour?: string;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  xLog?: boolean;
  yLog?: boolean;
  /** A line of small print under the chart (machine, date). */
  caption?: string;
  width?: number;
  height?: number;
  formatY?: (value: number) => string;
  formatX?: (value: number) => string;
}

/** Okabe-Ito: colours that stay apart for colour-blind readers. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Short numbers for axes: 950, 1.2k, 35k, 1.5M. */
export function shortNumber(value: number): string {
  const abs = Math.abs(value);
  const trim = (n: number): string => String(Number(n.toPrecision(3)));
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

interface Scale {
  toPx(value: number): number;
  ticks: number[];
}

/** Powers of ten covering [min, max], at least two. */
export function logTicks(min: number, max: number): number[] {
  const from = Math.floor(Math.log10(min));
  const to = Math.max(from + 1, Math.ceil(Math.log10(max)));
  const ticks: number[] = [];
  for (let e = from; e <= to; e++) ticks.push(10 ** e);
  return ticks;
}

/** About five round ticks (1, 2 or 5 times a power of ten) from zero past max. */
export function linearTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function scale(values: number[], log: boolean, from: number, to: number): Scale {
  if (log) {
    const positive = values.filter((v) => v > 0);
    const ticks = positive.length === 0 ? [1, 10] : logTicks(Math.min(...positive), Math.max(...positive));
    const lo = Math.log10(ticks[0]!);
    const hi = Math.log10(ticks[ticks.length - 1]!);
    return { ticks, toPx: (v) => from + ((Math.log10(v) - lo) / (hi - lo || 1)) * (to - from) };
  }
  const ticks = linearTicks(Math.max(...values, 0));
  const hi = ticks[ticks.length - 1]!;
  return { ticks, toPx: (v) => from + (v / (hi || 1)) * (to - from) };
}

export function lineChart(spec: ChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 360;
  const formatY = spec.formatY ?? shortNumber;
  const formatX = spec.formatX ?? shortNumber;
  const legendWidth = 150;
  const plot = { left: 78, right: width - legendWidth - 16, top: 40, bottom: height - (spec.caption === undefined ? 48 : 64) };
  const usable = (p: Point): p is { x: number; y: number } =>
    p.y !== null && Number.isFinite(p.y) && (!spec.yLog || p.y > 0) && (!spec.xLog || p.x > 0);
  const shown = spec.series.map((s) => ({ ...s, points: s.points.filter(usable) }));
  const xs = shown.flatMap((s) => s.points.map((p) => p.x));
  const ys = shown.flatMap((s) => s.points.map((p) => p.y));
  const x = scale(xs.length > 0 ? xs : [1], spec.xLog === true, plot.left, plot.right);
  const y = scale(ys.length > 0 ? ys : [1], spec.yLog === true, plot.bottom, plot.top);
  const r = (n: number): string => n.toFixed(1);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" preserveAspectRatio="xMidYMid meet" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" role="img" aria-label="${escapeXml(spec.title)}">`);
  out.push(`<title>${escapeXml(spec.title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${plot.left}" y="24" font-size="15" font-weight="600" fill="#111">${escapeXml(spec.title)}</text>`);
  for (const tick of y.ticks) {
    const py = r(y.toPx(tick));
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${plot.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle" fill="#444">${escapeXml(formatY(tick))}</text>`);
  }
  for (const tick of x.ticks) {
    const px = r(x.toPx(tick));
    out.push(`<line x1="${px}" x2="${px}" y1="${plot.top}" y2="${plot.bottom}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${px}" y="${plot.bottom + 16}" text-anchor="middle" fill="#444">${escapeXml(formatX(tick))}</text>`);
  }
  out.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 34}" text-anchor="middle" fill="#222">${escapeXml(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(spec.yLabel)}</text>`);

  shown.forEach((series, i) => {
    const colour = series.colour ?? PALETTE[i % PALETTE.length]!;
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    const points = [...series.points].sort((a, b) => a.x - b.x);
    if (points.length > 1) {
      const d = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${r(x.toPx(p.x))} ${r(y.toPx(p.y))}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
    }
    for (const p of points) {
      out.push(`<circle cx="${r(x.toPx(p.x))}" cy="${r(y.toPx(p.y))}" r="3.5" fill="${colour}"><title>${escapeXml(`${series.name}: ${formatX(p.x)} -> ${formatY(p.y)}`)}</title></circle>`);
    }
    const ly = plot.top + 8 + i * 20;
    const lx = plot.right + 16;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`);
    out.push(`<circle cx="${lx + 11}" cy="${ly}" r="3.5" fill="${colour}"/>`);
    out.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle" fill="#222">${escapeXml(series.name)}</text>`);
  });
  if (spec.caption !== undefined) {
    out.push(`<text x="${plot.left}" y="${height - 10}" font-size="10" fill="#666">${escapeXml(spec.caption)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
