// The fleet's results page (--markdown), rendered from its JSON report alone.

import { markdownTable } from '../common/markdown.ts';
import { formatCount } from '../load/harness/report.ts';
import { describeLoadAverage } from '../load/harness/load-average.ts';
import { joinSections, resultsHeading } from '../load/harness/results-page.ts';
import { BENCH_HEAD, benchRow, crashRows, drainRows, paperScaling, type FleetReport } from './report.ts';

export function renderMarkdown(report: FleetReport): string {
  const sections = [
    resultsHeading('hexd fleet: backends behind HAProxy', report.environment),
    `Hosts: ${report.hosts.description}. Backends: ${report.variant} with --proxy-protocol. Each measured run ${report.durationSec} s after 1 s of warm-up; ${describeLoadAverage(report.loadAverage)}.`,
  ];
  if (report.bench !== null) {
    sections.push(markdownTable(BENCH_HEAD, report.bench.map(benchRow)));
    sections.push('Server CPU is HAProxy\'s on the HAProxy rows and the backend\'s on the direct rows. On 2 cores every host, HAProxy and the load tester share the same cores: the rows show what the hop costs, not what more machines would add.');
    const scaling = paperScaling(report.bench);
    if (scaling !== null) {
      sections.push([
        `On paper: one backend core carries about ${formatCount(scaling.backendPerCore)} req/s (1 / its CPU per request, direct, 100 clients);`,
        `one HAProxy core relays about ${formatCount(scaling.balancerPerCore)} req/s (1 / its CPU per request, in front of 1, 100 clients).`,
        `N one-core backend machines would carry about N × ${formatCount(scaling.backendPerCore)} req/s as long as HAProxy has one core per ${scaling.backendsPerBalancerCore.toFixed(2)} backends; past that the balancer is the limit (more HAProxy threads, then more balancers).`,
      ].join(' '));
    }
  }
  if (report.crash !== null) sections.push(markdownTable(['Crash under load', ''], crashRows(report.crash)));
  if (report.drain !== null) sections.push(markdownTable(['Drain, then SIGTERM', ''], drainRows(report.drain)));
  sections.push(`The HAProxy config it ran:\n\n\`\`\`\n${report.haproxyConfig.trimEnd()}\n\`\`\``);
  return joinSections(sections);
}
