// The settings form: reads what a person typed into the shape the lab's API takes, fills it from an
// experiment, and marks each field the shared check (../settings.ts) refuses, with its message.

import { LAB_VARIANTS, LIMITS, type LabSettings, type SettingsProblem } from '../settings.ts';

export class SettingsForm {
  readonly form: HTMLFormElement;
  #problems: HTMLElement;

  constructor(form: HTMLFormElement, problems: HTMLElement) {
    this.form = form;
    this.#problems = problems;
    const fieldset = form.querySelector('#variants')!;
    for (const variant of LAB_VARIANTS) {
      const label = document.createElement('label');
      label.style.flexDirection = 'row';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 'variant';
      box.value = variant;
      box.checked = variant === 'blocking' || variant === 'event-loop';
      label.append(box, ` ${variant}`);
      fieldset.append(label);
    }
    for (const [field, { min, max }] of Object.entries(LIMITS)) {
      const input = this.#input(field);
      input.min = String(min);
      input.max = String(max);
      input.title = `${min} to ${max}`;
    }
  }

  /** What the form says, unchecked: numbers where numbers were typed, the text otherwise, so the check can say what is wrong. */
  read(): unknown {
    const number = (field: string): unknown => {
      const text = this.#input(field).value.trim();
      return text === '' || Number.isNaN(Number(text)) ? text : Number(text);
    };
    const rate = number('rate');
    return {
      variants: [...this.form.querySelectorAll<HTMLInputElement>('input[name=variant]:checked')].map((box) => box.value),
      clients: number('clients'),
      pipeline: number('pipeline'),
      rate: rate === '' ? null : rate,
      delayMs: number('delayMs'),
      bigPercent: number('bigPercent'),
    };
  }

  fill(settings: LabSettings): void {
    for (const box of this.form.querySelectorAll<HTMLInputElement>('input[name=variant]')) {
      box.checked = (settings.variants as readonly string[]).includes(box.value);
    }
    this.#input('clients').value = String(settings.clients);
    this.#input('pipeline').value = String(settings.pipeline);
    this.#input('rate').value = settings.rate === null ? '' : String(settings.rate);
    this.#input('delayMs').value = String(settings.delayMs);
    this.#input('bigPercent').value = String(settings.bigPercent);
  }

  /** Marks the refused fields and lists why; an empty list clears them. */
  showProblems(problems: readonly SettingsProblem[]): void {
    for (const input of this.form.querySelectorAll('input')) input.classList.remove('invalid');
    for (const problem of problems) {
      if (problem.field === 'variants') continue;
      this.#input(problem.field).classList.add('invalid');
    }
    this.#problems.replaceChildren(...problems.map((problem) => {
      const item = document.createElement('li');
      item.textContent = problem.message;
      return item;
    }));
  }

  /** While a run is on its variants are fixed. */
  lockVariants(locked: boolean): void {
    for (const box of this.form.querySelectorAll<HTMLInputElement>('input[name=variant]')) box.disabled = locked;
  }

  #input(field: string): HTMLInputElement {
    return this.form.querySelector<HTMLInputElement>(`input[name=${field}]`)!;
  }
}
