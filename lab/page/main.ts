// The lab's page: experiments and settings on top, a live panel per variant and the run's charts
// below, all fed by the lab's event stream (/events). Bundled by the lab at its start (page-bundle.ts).

import { EXPERIMENTS } from '../experiments.ts';
import { checkSettings, type LabSettings, type SettingsProblem } from '../settings.ts';
import type { RunFrame, RunStatus } from '../frames.ts';
import { SettingsForm } from './settings-form.ts';
import { VariantPanel } from './variant-panel.ts';
import { RunCharts } from './run-charts.ts';

const form = new SettingsForm(document.querySelector<HTMLFormElement>('#settings')!, document.querySelector('#problems')!);
const statusLine = document.querySelector<HTMLElement>('#status')!;
const panelsElement = document.querySelector<HTMLElement>('#panels')!;
const chartsElement = document.querySelector<HTMLElement>('#charts')!;
const startButton = document.querySelector<HTMLButtonElement>('#start')!;
const applyButton = document.querySelector<HTMLButtonElement>('#apply')!;
const stopButton = document.querySelector<HTMLButtonElement>('#stop')!;

/** The views of the run on screen, made afresh for each run (its variants and clients). */
let view: { key: string; panels: Map<string, VariantPanel>; charts: RunCharts; elapsedSec: number } | null = null;

for (const experiment of EXPERIMENTS) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.experiment = experiment.id;
  button.textContent = experiment.title;
  button.addEventListener('click', () => {
    form.fill(experiment.settings);
    void send('/api/run', experiment.settings);
  });
  const lookFor = document.createElement('p');
  lookFor.textContent = experiment.lookFor;
  item.append(button, lookFor);
  document.querySelector('#experiment-list')!.append(item);
}

form.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const settings = checked();
  if (settings !== null) void send('/api/run', settings);
});
applyButton.addEventListener('click', () => {
  const settings = checked();
  if (settings !== null) void send('/api/run/settings', settings);
});
stopButton.addEventListener('click', () => void send('/api/run/stop', {}));

/** The form's settings, or null with each problem shown beside its field: refused here before the lab sees them. */
function checked(): LabSettings | null {
  const result = checkSettings(form.read());
  form.showProblems(result.ok ? [] : result.problems);
  return result.ok ? result.settings : null;
}

/** Sends to the lab's API; a refusal (the lab checks again) is shown as the page's own would be. */
async function send(path: string, body: unknown): Promise<void> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { message: string; problems?: SettingsProblem[] };
  if (!response.ok) {
    form.showProblems(answer.problems ?? [{ field: 'variants', message: answer.message }]);
    statusLine.textContent = `refused: ${answer.message}`;
  } else {
    form.showProblems([]);
  }
}

function showStatus(status: RunStatus): void {
  document.querySelector('#cap')!.textContent = `${status.maxRunSec.toLocaleString('en-US')} s`;
  statusLine.textContent = status.running ? `running: ${status.message}` : status.message;
  startButton.textContent = status.running ? 'Start afresh' : 'Start';
  applyButton.disabled = !status.running;
  stopButton.disabled = !status.running;
  form.lockVariants(status.running);
  if (status.running && status.settings !== null) form.fill(status.settings);
}

function showFrame(frame: RunFrame): void {
  const key = frame.variants.map((v) => `${v.variant}:${v.clients}`).join();
  // A run's clock only goes forward: a frame from earlier than the last is a new run.
  const newRun = view === null || frame.elapsedSec < view.elapsedSec;
  if (view === null || newRun || view.key !== key) {
    // Fresh panels for a new run or new clients; the charts go on through a change within a run.
    const panels = new Map(frame.variants.map((v) => [v.variant, new VariantPanel(v.variant, v.clients)]));
    panelsElement.replaceChildren(...[...panels.values()].map((panel) => panel.element));
    for (const panel of panels.values()) panel.layout();
    const charts = view === null || newRun ? new RunCharts(chartsElement, frame.variants.map((v) => v.variant)) : view.charts;
    view = { key, panels, charts, elapsedSec: 0 };
  }
  view.elapsedSec = frame.elapsedSec;
  for (const variant of frame.variants) view.panels.get(variant.variant)?.update(variant);
  view.charts.add(frame);
  document.body.dataset.remainingSec = String(Math.round(frame.remainingSec));
}

const events = new EventSource('/events');
events.addEventListener('status', (event) => showStatus(JSON.parse((event as MessageEvent<string>).data) as RunStatus));
events.addEventListener('frame', (event) => showFrame(JSON.parse((event as MessageEvent<string>).data) as RunFrame));
events.addEventListener('error', () => {
  statusLine.textContent = 'the lab is not answering: is `npm run lab` still running?';
});
