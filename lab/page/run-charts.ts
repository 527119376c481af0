// The run's time series, one uPlot chart per figure with a line per variant, so the models are
// compared on one axis: req/s, p99 latency, OS threads, RSS and loop delay over the run.

import uPlot from 'uplot';
import type { RunFrame, VariantFrame } from '../frames.ts';
import { colourOf } from '../../load/harness/variant-colours.ts';

interface ChartSpec {
  id: string;
  title: string;
  value: (frame: VariantFrame) => number | null;
}

const CHARTS: readonly ChartSpec[] = [
  { id: 'rps', title: 'Replies per second', value: (f) => f.repliesPerSec },
  { id: 'p99', title: 'p99 latency of the last second (ms)', value: (f) => f.p99Ms },
  { id: 'threads', title: 'Server OS threads', value: (f) => f.osThreads },
  { id: 'rss', title: 'Server RSS (MB)', value: (f) => (f.rssBytes === null ? null : f.rssBytes / 2 ** 20) },
  { id: 'delay', title: 'Serving loops\' delay p99, the worst (ms)', value: (f) => f.loopDelayMs },
];

const HEIGHT_PX = 200;


export class RunCharts {
  #plots: { spec: ChartSpec; plot: uPlot; data: (number | null)[][]; figure: HTMLElement }[] = [];

  constructor(container: HTMLElement, variants: readonly string[]) {
    container.replaceChildren();
    for (const spec of CHARTS) {
      const figure = document.createElement('figure');
      figure.dataset.chart = spec.id;
      figure.dataset.points = '0';
      const caption = document.createElement('figcaption');
      caption.textContent = spec.title;
      figure.append(caption);
      container.append(figure);
      const data: (number | null)[][] = [[], ...variants.map(() => [])];
      const plot = new uPlot({
        width: Math.max(300, figure.clientWidth),
        height: HEIGHT_PX,
        scales: { x: { time: false } },
        // Room on the left for the widest figure (12,345 req/s, 1,024.0 MB).
        axes: [{ label: 'seconds' }, { size: 64 }],
        series: [{ label: 's' }, ...variants.map((variant) => ({ label: variant, stroke: colourOf(variant), width: 2, spanGaps: false }))],
      }, data as uPlot.AlignedData, figure);
      this.#plots.push({ spec, plot, data, figure });
    }
  }

  add(frame: RunFrame): void {
    for (const { spec, plot, data, figure } of this.#plots) {
      data[0]!.push(Math.round(frame.elapsedSec * 100) / 100);
      frame.variants.forEach((variant, i) => data[i + 1]!.push(spec.value(variant)));
      plot.setData(data as uPlot.AlignedData);
      // What was plotted, for a person's test to read: points with a value, across every line.
      const points = data.slice(1).reduce((sum, series) => sum + series.filter((v) => v !== null).length, 0);
      figure.dataset.points = String(points);
    }
  }
}
