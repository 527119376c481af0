import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, linearTicks, logTicks, shortNumber } from '../../../load/harness/svg-chart.ts';

describe('lineChart', () => {
  const chart = lineChart({
    title: 'Throughput <req/s> & more',
    xLabel: 'clients',
    yLabel: 'req/s',
    xLog: true,
    series: [
      { name: 'event-loop', points: [{ x: 1, y: 15_000 }, { x: 10, y: 115_000 }, { x: 100, y: 118_000 }] },
      { name: 'python-sync', dashed: true, points: [{ x: 1, y: 16_000 }, { x: 10, y: null }, { x: 100, y: 18_000 }] },
      { name: 'lonely', points: [{ x: 10, y: 5 }] },
    ],
    caption: 'Node v26',
  });

  it('is one standalone SVG document', () => {
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart.trimEnd().endsWith('</svg>')).toBe(true);
    expect(chart).not.toMatch(/<script/i);
    expect(chart).toContain('Node v26');
  });

  it('draws a line per series with two or more points, a marker per point, a dashed line for peers', () => {
    expect(chart.match(/<path /g)).toHaveLength(2);
    expect(chart.match(/<circle [^>]*><title>/g)).toHaveLength(6); // the null point is skipped
    expect(chart).toContain('stroke-dasharray');
  });

  it('escapes text', () => {
    expect(chart).toContain('Throughput &#60;req/s&#62; &#38; more');
    expect(chart).not.toContain('<req/s>');
    expect(escapeXml(`"'`)).toBe('&#34;&#39;');
  });

  it('draws no point a log axis cannot show', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', yLog: true, series: [{ name: 's', points: [{ x: 1, y: 0 }, { x: 2, y: 10 }] }] });
    expect(svg.match(/<circle [^>]*><title>/g)).toHaveLength(1);
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
  });

  it('copes with no data at all', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', xLog: true, yLog: true, series: [] });
    expect(svg).not.toContain('NaN');
  });
});

describe('axis helpers', () => {
  it('logTicks covers the range in powers of ten', () => {
    expect(logTicks(1, 1000)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(3, 450)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(90, 30_000)).toEqual([10, 100, 1000, 10_000, 100_000]);
    expect(logTicks(100, 100)).toEqual([100, 1000]);
  });

  it('linearTicks uses round steps from zero past the max', () => {
    expect(linearTicks(118_000)).toEqual([0, 50_000, 100_000, 150_000]);
    expect(linearTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(linearTicks(0)).toEqual([0, 1]);
  });

  it('shortNumber', () => {
    expect([950, 1200, 35_000, 1_500_000, 0.5].map(shortNumber)).toEqual(['950', '1.2k', '35k', '1.5M', '0.5']);
  });
});
