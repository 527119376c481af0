// The benchmark as one self-contained HTML page: the story, the charts inline as SVG, every point,
// the framing check, the environment, and the raw JSON. No scripts, no external files.

import type { BenchReport } from './run.ts';
import { loopDelayChart, memoryChart, p99Chart, servedChart, throughputChart } from './charts.ts';
import { storyLines } from './report.ts';
import { pointProblems } from '../harness/point-problems.ts';
import { formatCount, mb } from '../harness/report.ts';
import { escapeHtml, glossaryHtml, htmlPage, htmlTable as table, metaLine, rawJsonHtml } from '../harness/html-page.ts';

/** The words the page uses, each said once. */
const GLOSSARY: readonly (readonly [string, string])[] = [
  ['served', 'a client that got at least one correct reply during the measured seconds. The blog\'s blocking server serves one client at a time, so at N clients it serves 1 of N, however fast that one is.'],
  ['req/s', 'correct replies per second, over every client together.'],
  ['p50, p99', 'latency percentiles: half of the replies came faster than p50, 99 in 100 faster than p99. p99 is what the slowest of many requests feel.'],
  ['RSS', 'resident set size: the memory the server\'s processes hold in RAM, summed over the server and its child processes, at its peak.'],
  ['framing', 'whether a server finds the lines in what it reads. TCP carries bytes, not messages: hexd reads up to each newline; the blog\'s servers take each recv(1024) chunk as one request, which goes wrong when requests share a chunk or one is split.'],
];

export function renderBenchHtml(report: BenchReport): string {
  const env = report.environment;
  const o = report.options;
  const points = report.points;
  const pointRows = points.map((p) => [
    p.variant,
    formatCount(p.clients),
    formatCount(p.requestsPerSec),
    p.latencyUs.count === 0 ? '-' : formatCount(p.latencyUs.p50),
    p.latencyUs.count === 0 ? '-' : formatCount(p.latencyUs.p99),
    p.latencyUs.count === 0 ? '-' : formatCount(p.latencyUs.max),
    `${formatCount(p.clientsServed)} of ${formatCount(p.clients)}`,
    `${formatCount(p.repliesPerClient.min)} / ${formatCount(p.repliesPerClient.median)} / ${formatCount(p.repliesPerClient.max)}`,
    p.server === null ? 'n/a' : mb(p.server.peakRssKb),
    p.server === null ? 'n/a' : formatCount(p.server.peakThreads),
    p.server === null ? 'n/a' : p.server.cpuPercent.toFixed(0),
    p.testerCpuPercent.toFixed(0),
    pointProblems(p),
  ]);
  const framingRows = report.framing.map((c) => [
    c.variant,
    String(c.pipeline),
    formatCount(c.replies.ok),
    formatCount(c.replies.wrong + c.replies.errors),
    formatCount(c.replies.timeouts),
    c.problems[0] === undefined ? '-' : `sent ${JSON.stringify(c.problems[0].request)}, expected ${JSON.stringify(c.problems[0].expected)}, got ${JSON.stringify(c.problems[0].got)}`,
  ]);
  const meta: [string, string][] = [
    ['Node', env.node],
    ['Python', env.python ?? 'not found (Python peers skipped)'],
    ['CPU', `${env.cpuModel} (${env.cpus} CPUs)`],
    ['Platform', env.platform],
    ['Commit', env.commit],
    ['Command', env.command],
    ['Date', env.date],
    ['Sampling', report.sampling],
  ];
  return htmlPage(`hexd bench ${env.date.slice(0, 10)}`, `<h1>hexd: the blog's story, measured</h1>
${metaLine(meta)}
<p>Each server was started fresh for each point and loaded by ${escapeHtml(o.concurrency.join(', '))} clients in turn for
${o.durationSec} s each after ${o.warmupSec} s of unmeasured warm-up on the same connections, closed loop with ${o.pipeline} request${o.pipeline === 1 ? '' : 's'} in flight per client. Every reply was
checked against hexd's protocol module; throughput and latency count correct replies only. A client is <em>served</em> when it got
at least one correct reply. Memory, threads and CPU are the server process and its descendants, sampled from <code>/proc</code>
every 100 ms.</p>
<h2>What the numbers say</h2>
<ul>
${storyLines(report).map((line) => `<li>${escapeHtml(line)}</li>`).join('\n')}
</ul>
${report.skipped.length === 0 ? '' : `<p>${report.skipped.map((s) => `Skipped ${escapeHtml(s.name)}: ${escapeHtml(s.reason)}.`).join(' ')}</p>`}
<div class="charts">
${servedChart(report)}
${throughputChart(report)}
${p99Chart(report)}
${memoryChart(report)}
</div>
${loopDelaySection(report)}
<h2>Words used here</h2>
${glossaryHtml(GLOSSARY)}
<h2>Every point</h2>
<div class="wide">${table(['Variant', 'Clients', 'Req/s', 'p50 (µs)', 'p99 (µs)', 'Max (µs)', 'Served', 'Replies per client (min / median / max)', 'Peak RSS (MB)', 'Threads', 'Server CPU %', 'Tester CPU %', 'Problems'], pointRows, points.map((p) => pointProblems(p) !== '-'))}</div>
${report.framing.length === 0 ? '' : `<h2>Framing check</h2>
<p>One connection with ${report.framing[0]!.pipeline} requests in flight for a moment, against a fresh server: a server that reads one line per
request answers each; the blog's servers take each <code>recv(1024)</code> chunk as one request, so requests that share a chunk get
one wrong answer, and a number split across chunks gets two.</p>
<div class="wide">${table(['Variant', 'In flight', 'Right', 'Wrong', 'Timeouts', 'Example'], framingRows, report.framing.map((c) => c.replies.wrong + c.replies.errors + c.replies.timeouts > 0))}</div>`}
${rawJsonHtml(report)}`);
}

/** The servers' own view, where they gave one (hexd's /stats, docs/telemetry.md). */
function loopDelaySection(report: BenchReport): string {
  const chart = loopDelayChart(report);
  if (chart === null) return '';
  return `<h2>The servers' own view</h2>
<p>hexd's servers measure their own event-loop delay (<code>GET /stats</code>); this is the worst p99 of any of a server's threads
in any 250 ms interval of the run, against clients: the cause behind the p99 above, measured inside.</p>
<div class="wide">${chart}</div>`;
}
