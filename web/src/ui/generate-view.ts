import { pollJob, runJob } from '../api/jobs.js';
import type { GenerateRequest, ImageResult } from '../api/types.js';
import { describeError } from '../error-text.js';
import { defaultGenerateModel, generateModels, sizeChoiceFor } from '../models.js';
import type { ModelChoice } from '../models.js';
import { isRecord, storedValue } from '../persist.js';
import type { AppContext } from './app-context.js';
import { field, h, markInvalid, messageBox, replaceChildren, reveal } from './dom.js';
import { startProgress } from './progress.js';
import { resultGrid } from './result-grid.js';

const MAX_SEED = 4294967294;
/** The API's largest `count` (shared/models MAX_IMAGES_PER_REQUEST). */
const MAX_COUNT = 5;

/** What the form holds, kept across a reload. */
interface GenerateDraft {
  prompt: string;
  negativePrompt: string;
  model: string;
  size: string;
  style: string;
  count: string;
  seedFixed: boolean;
  seed: string;
  cfgScale: string;
  quality: string;
}

/** A generation still running on the server, resumed after a reload. */
interface RunningGeneration {
  jobId: string;
  request: GenerateRequest;
}

const isDraft = (value: unknown): value is GenerateDraft =>
  isRecord(value) && typeof value.prompt === 'string' && typeof value.model === 'string';
const isRunning = (value: unknown): value is RunningGeneration =>
  isRecord(value) &&
  typeof value.jobId === 'string' &&
  isRecord(value.request) &&
  typeof value.request.prompt === 'string';

/** Text-to-image: the form on the left, results on the right (below it on a phone). */
export class GenerateView {
  readonly element: HTMLElement;
  private readonly context: AppContext;
  private readonly form: HTMLFormElement;
  private readonly prompt: HTMLTextAreaElement;
  private readonly promptCount: HTMLParagraphElement;
  private readonly negativePrompt: HTMLTextAreaElement;
  private readonly model: HTMLSelectElement;
  private readonly size: HTMLSelectElement;
  private readonly style: HTMLSelectElement;
  private readonly styleField: HTMLElement;
  private readonly seedRandom: HTMLInputElement;
  private readonly seedFixed: HTMLInputElement;
  private readonly seed: HTMLInputElement;
  private readonly count: HTMLSelectElement;
  private readonly cfgScale: HTMLInputElement;
  private readonly quality: HTMLSelectElement;
  private readonly advancedFields: { cfg: HTMLElement; quality: HTMLElement; none: HTMLElement };
  private readonly submit: HTMLButtonElement;
  private readonly message = messageBox();
  private readonly results: HTMLElement;
  /** Progress and errors of the latest run, above the previous results (which stay). */
  private readonly status: HTMLElement;
  private readonly output: HTMLElement;
  private readonly resultMessage = messageBox();
  private readonly draft = storedValue('generate-form', isDraft);
  private readonly running = storedValue('generate-job', isRunning);
  private abort: AbortController | null = null;

  constructor(context: AppContext) {
    this.context = context;
    this.prompt = h('textarea', {
      name: 'prompt',
      rows: 4,
      required: true,
      placeholder: 'A lighthouse on a cliff at dusk, volumetric light, 35mm photo',
      'data-testid': 'generate-prompt',
    });
    this.promptCount = h('p', { class: 'hint counter', 'data-testid': 'prompt-count' });
    this.negativePrompt = h('textarea', {
      name: 'negativePrompt',
      rows: 2,
      placeholder: 'blurry, text, watermark',
      'data-testid': 'generate-negative-prompt',
    });
    this.model = h('select', { name: 'model', 'data-testid': 'generate-model' }, modelOptions());
    this.size = h('select', { name: 'size', 'data-testid': 'generate-aspect' });
    this.style = h('select', { name: 'style', 'data-testid': 'generate-style' });
    this.styleField = field('Style', this.style, 'A preset look this model documents.');
    const seedGroup = 'seed-mode';
    this.seedRandom = h('input', {
      type: 'radio',
      name: seedGroup,
      value: 'random',
      checked: true,
      'data-testid': 'generate-seed-random',
    });
    this.seedFixed = h('input', {
      type: 'radio',
      name: seedGroup,
      value: 'fixed',
      'data-testid': 'generate-seed-fixed',
    });
    this.seed = h('input', {
      type: 'number',
      name: 'seed',
      min: 0,
      max: MAX_SEED,
      step: 1,
      inputmode: 'numeric',
      'aria-label': 'Seed value',
      'data-testid': 'generate-seed',
      disabled: true,
    });
    this.count = h(
      'select',
      { name: 'count', 'data-testid': 'generate-count' },
      Array.from({ length: MAX_COUNT }, (_, index) =>
        h('option', { value: index + 1 }, String(index + 1)),
      ),
    );
    this.cfgScale = h('input', {
      type: 'number',
      name: 'cfgScale',
      min: 1.1,
      max: 10,
      step: 0.1,
      placeholder: 'model default',
    });
    this.quality = h(
      'select',
      { name: 'quality' },
      h('option', { value: '' }, 'Model default'),
      h('option', { value: 'standard' }, 'Standard'),
      h('option', { value: 'premium' }, 'Premium'),
    );
    this.advancedFields = {
      cfg: field(
        'Prompt strength (cfgScale)',
        this.cfgScale,
        'Higher follows the prompt more literally.',
      ),
      quality: field('Quality', this.quality),
      none: h('p', { class: 'hint' }, 'This model has no extra settings.'),
    };
    this.submit = h(
      'button',
      { type: 'submit', class: 'button-primary', 'data-testid': 'generate-submit' },
      'Generate',
    );

    const seedControl = h(
      'fieldset',
      { class: 'field seed-field' },
      h('legend', null, 'Seed'),
      h(
        'div',
        { class: 'seed-options' },
        h('label', { class: 'inline' }, this.seedRandom, 'Random'),
        h('label', { class: 'inline' }, this.seedFixed, 'Fixed'),
        this.seed,
      ),
      h(
        'p',
        { class: 'hint' },
        'The seed used is shown under each image; fix it to repeat a result.',
      ),
    );
    const promptField = field('Prompt', this.prompt, 'Ctrl+Enter to generate.');
    promptField.append(this.promptCount);

    this.form = h(
      'form',
      { class: 'panel form', 'data-testid': 'generate-form', novalidate: true },
      h('h1', { class: 'view-title', tabindex: -1 }, 'Generate images'),
      promptField,
      field('Negative prompt (optional)', this.negativePrompt, 'What to keep out of the image.'),
      field('Model', this.model),
      h('div', { class: 'field-row' }, field('Size', this.size), field('Images', this.count)),
      this.styleField,
      seedControl,
      h(
        'details',
        { class: 'advanced' },
        h('summary', null, 'Advanced'),
        this.advancedFields.cfg,
        this.advancedFields.quality,
        this.advancedFields.none,
      ),
      this.message.element,
      h('div', { class: 'form-actions' }, this.submit),
    );
    this.status = h('div', { class: 'run-status' }, this.resultMessage.element);
    this.output = h('div', { class: 'run-output' }, emptyResults());
    this.results = h(
      'section',
      { class: 'panel results', 'aria-label': 'Results', 'data-testid': 'generate-results' },
      this.status,
      this.output,
    );
    this.element = h('div', { class: 'split' }, this.form, this.results);

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const request = this.readRequest();
      if (typeof request === 'string') {
        this.message.show(request);
        this.message.element.focus();
        return;
      }
      this.message.clear();
      void this.run(request);
    });
    this.form.addEventListener('input', () => this.saveDraft());
    this.form.addEventListener('change', () => this.saveDraft());
    this.prompt.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.prompt.addEventListener('input', () => this.updateCounter());
    this.model.addEventListener('change', () => this.onModelChange());
    for (const radio of [this.seedRandom, this.seedFixed]) {
      radio.addEventListener('change', () => {
        this.seed.disabled = this.seedRandom.checked;
        if (this.seedFixed.checked) this.seed.focus();
      });
    }
    this.onModelChange();
    this.restoreDraft();
    const running = this.running.load();
    if (running) void this.resume(running);
  }

  focus(): void {
    this.prompt.focus();
  }

  /** Rebuilds the model picker once GET /models has answered, keeping what was chosen. */
  refreshModels(): void {
    const chosen = this.model.value;
    replaceChildren(this.model, modelOptions());
    if (generateModels().some((model) => (model.id ?? '') === chosen)) this.model.value = chosen;
    this.onModelChange();
    this.restoreDraft();
  }

  /** Fills the form from a request (History, "more like this"), optionally generating at once. */
  fill(request: GenerateRequest, run: boolean): void {
    this.prompt.value = request.prompt;
    this.negativePrompt.value = request.negativePrompt ?? '';
    if (request.model && generateModels().some((model) => model.id === request.model)) {
      this.model.value = request.model;
    }
    this.onModelChange();
    const size = sizeChoiceFor(this.selectedModel(), request);
    if (size) this.size.value = size.value;
    this.style.value = request.style ?? '';
    this.setSeed(request.seed);
    this.count.value = String(Math.min(MAX_COUNT, Math.max(1, request.count ?? 1)));
    this.cfgScale.value = request.cfgScale === undefined ? '' : String(request.cfgScale);
    this.quality.value = request.quality ?? '';
    this.updateCounter();
    this.saveDraft();
    if (run) this.form.requestSubmit();
  }

  private setSeed(seed: number | undefined): void {
    this.seedFixed.checked = seed !== undefined;
    this.seedRandom.checked = seed === undefined;
    this.seed.disabled = seed === undefined;
    this.seed.value = seed === undefined ? '' : String(seed);
  }

  private selectedModel(): ModelChoice {
    return (
      generateModels().find((model) => (model.id ?? '') === this.model.value) ??
      generateModels()[0]!
    );
  }

  private onModelChange(): void {
    const model = this.selectedModel();
    const previousSize = this.size.value;
    replaceChildren(
      this.size,
      model.sizes.map((size) => h('option', { value: size.value }, size.label)),
    );
    if (model.sizes.some((size) => size.value === previousSize)) this.size.value = previousSize;
    const previousStyle = this.style.value;
    replaceChildren(
      this.style,
      h('option', { value: '' }, 'None'),
      model.styles.map((style) => h('option', { value: style.value }, style.label)),
    );
    if (model.styles.some((style) => style.value === previousStyle))
      this.style.value = previousStyle;
    this.styleField.hidden = model.styles.length === 0;
    this.prompt.maxLength = model.maxPromptLength;
    this.negativePrompt.maxLength = model.maxPromptLength;
    this.advancedFields.cfg.hidden = !model.supportsCfgScale;
    this.advancedFields.quality.hidden = !model.supportsQuality;
    this.advancedFields.none.hidden = model.supportsCfgScale || model.supportsQuality;
    this.updateCounter();
  }

  private updateCounter(): void {
    const max = this.selectedModel().maxPromptLength;
    const length = this.prompt.value.length;
    this.promptCount.textContent = `${length.toLocaleString()} / ${max.toLocaleString()} characters`;
    this.promptCount.classList.toggle('over', length > max);
  }

  private saveDraft(): void {
    this.draft.save({
      prompt: this.prompt.value,
      negativePrompt: this.negativePrompt.value,
      model: this.model.value,
      size: this.size.value,
      style: this.style.value,
      count: this.count.value,
      seedFixed: this.seedFixed.checked,
      seed: this.seed.value,
      cfgScale: this.cfgScale.value,
      quality: this.quality.value,
    });
  }

  private restoreDraft(): void {
    const draft = this.draft.load();
    if (!draft) return;
    this.prompt.value = draft.prompt;
    this.negativePrompt.value = draft.negativePrompt ?? '';
    if (generateModels().some((model) => (model.id ?? '') === draft.model)) {
      this.model.value = draft.model;
    }
    this.onModelChange();
    // Values the current pickers do not offer are ignored by the select itself.
    if ([...this.size.options].some((option) => option.value === draft.size)) {
      this.size.value = draft.size;
    }
    this.style.value = draft.style ?? '';
    if (this.style.value !== (draft.style ?? '')) this.style.value = '';
    this.count.value = draft.count ?? '1';
    this.setSeed(draft.seedFixed && draft.seed !== '' ? Number(draft.seed) : undefined);
    this.cfgScale.value = draft.cfgScale ?? '';
    this.quality.value = draft.quality ?? '';
    this.updateCounter();
  }

  /** Reads the form into a request, or returns a message naming what to fix. */
  private readRequest(): GenerateRequest | string {
    const prompt = this.prompt.value.trim();
    const model = this.selectedModel();
    if (!prompt) {
      markInvalid(this.prompt, this.message.element.id);
      return 'Write a prompt first.';
    }
    if (prompt.length > model.maxPromptLength) {
      markInvalid(this.prompt, this.message.element.id);
      return `${model.label} takes prompts of up to ${model.maxPromptLength} characters; this one has ${prompt.length}.`;
    }
    const request: GenerateRequest = { prompt, count: Number(this.count.value) };
    if (model.id) request.model = model.id;
    const negative = this.negativePrompt.value.trim();
    if (negative) request.negativePrompt = negative;
    const size = model.sizes.find((choice) => choice.value === this.size.value) ?? model.sizes[0];
    if (size?.aspectRatio) request.aspectRatio = size.aspectRatio;
    else if (size?.width && size.height) {
      request.width = size.width;
      request.height = size.height;
    }
    if (this.style.value && model.styles.length > 0) request.style = this.style.value;
    if (this.seedFixed.checked) {
      const seed = Number(this.seed.value);
      if (this.seed.value === '' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
        markInvalid(this.seed, this.message.element.id);
        return `The seed must be a whole number from 0 to ${MAX_SEED}.`;
      }
      request.seed = seed;
    }
    if (model.supportsCfgScale && this.cfgScale.value !== '')
      request.cfgScale = Number(this.cfgScale.value);
    if (model.supportsQuality && this.quality.value) {
      request.quality = this.quality.value as 'standard' | 'premium';
    }
    return request;
  }

  /** The field each request key is edited in, to mark what the API rejected. */
  private controlFor(
    name: string,
  ): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null {
    const controls: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {
      prompt: this.prompt,
      negativePrompt: this.negativePrompt,
      model: this.model,
      width: this.size,
      height: this.size,
      aspectRatio: this.size,
      style: this.style,
      seed: this.seed,
      count: this.count,
      cfgScale: this.cfgScale,
      quality: this.quality,
    };
    return controls[name] ?? null;
  }

  /** Generates through POST /jobs (recorded under the user, resumable after a reload). */
  private async run(request: GenerateRequest): Promise<void> {
    if (this.abort) return;
    this.saveDraft();
    const abort = new AbortController();
    const progress = this.begin(request, abort);
    try {
      const result = await runJob(
        this.context.api,
        { type: 'generate', ...request },
        {
          signal: abort.signal,
          onAccepted: (jobId) => this.running.save({ jobId, request }),
          onQueued: () => progress.setLabel('Queued…'),
          onProgress: ({ status }) =>
            progress.setLabel(status === 'queued' ? 'Queued…' : 'Generating…'),
        },
      );
      this.showResult(request, result);
      this.context.markHistoryStale();
    } catch (error) {
      this.showError(request, error, abort.signal.aborted);
    } finally {
      this.end(progress);
    }
  }

  /** Picks up a job that was running when the page was reloaded. */
  private async resume(running: RunningGeneration): Promise<void> {
    const abort = new AbortController();
    const progress = this.begin(
      running.request,
      abort,
      'Still generating (picked up after the reload)…',
    );
    try {
      const result = await pollJob(this.context.api, running.jobId, {
        signal: abort.signal,
        onProgress: ({ status }) =>
          progress.setLabel(status === 'queued' ? 'Queued…' : 'Generating…'),
      });
      this.showResult(running.request, result);
      this.context.markHistoryStale();
    } catch (error) {
      this.showError(running.request, error, abort.signal.aborted);
    } finally {
      this.end(progress);
    }
  }

  private begin(
    request: GenerateRequest,
    abort: AbortController,
    label = `Generating ${request.count === 1 || request.count === undefined ? 'an image' : `${request.count} images`}…`,
  ): ReturnType<typeof startProgress> {
    this.abort = abort;
    this.submit.disabled = true;
    this.submit.textContent = 'Generating…';
    this.resultMessage.clear();
    // Earlier results stay visible (dimmed) until the new ones arrive: an error or Cancel keeps them.
    this.output.classList.add('stale');
    const progress = startProgress(this.status, label, () => abort.abort());
    reveal(this.status);
    return progress;
  }

  private end(progress: ReturnType<typeof startProgress>): void {
    progress.stop();
    this.running.clear();
    this.output.classList.remove('stale');
    this.abort = null;
    this.submit.disabled = false;
    this.submit.textContent = 'Generate';
  }

  private showError(request: GenerateRequest, error: unknown, cancelled: boolean): void {
    if (cancelled) {
      this.resultMessage.show(
        'Cancelled. The server may still finish the image; it will appear in History.',
        'info',
      );
      return;
    }
    const text = describeError(error);
    this.resultMessage.show(
      text.message,
      'error',
      text.retryable
        ? { label: 'Retry', run: () => void this.run(request), testId: 'generate-retry' }
        : undefined,
    );
    for (const name of text.fields) {
      const control = this.controlFor(name);
      if (control) markInvalid(control, this.resultMessage.element.id);
    }
    this.resultMessage.element.focus({ preventScroll: true });
    reveal(this.resultMessage.element);
  }

  private showResult(request: GenerateRequest, result: ImageResult): void {
    const images = result.images.length > 0 ? result.images : [{ url: result.image_url, key: '' }];
    const seeds = images.map((image) => image.seed).filter((seed) => typeof seed === 'number');
    const heading = h('h2', { tabindex: -1 }, 'Results');
    const { seed: _seed, ...withoutSeed } = request;
    replaceChildren(
      this.output,
      h(
        'div',
        { class: 'results-header' },
        heading,
        h(
          'p',
          { class: 'meta' },
          request.prompt,
          result.cached ? h('span', { class: 'badge' }, 'from cache') : null,
        ),
        seeds.length > 0
          ? h('p', { class: 'hint' }, `Seed${seeds.length > 1 ? 's' : ''}: ${seeds.join(', ')}`)
          : null,
        h(
          'div',
          { class: 'form-actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'button-secondary small',
              'data-testid': 'more-like-this',
              title: 'Same prompt and settings, new seeds',
              onclick: () => this.fill(withoutSeed, true),
            },
            'More like this',
          ),
        ),
      ),
      resultGrid(images, {
        prompt: request.prompt,
        altText: `Generated: ${request.prompt}`,
        onEdit: (image) =>
          this.context.openInEditor({ url: image.url, name: `image-${result.id}.png` }),
        onReuseSeed: (seed) => {
          this.setSeed(seed);
          this.saveDraft();
          this.seed.focus();
        },
      }),
    );
    // Focus moves to the results (screen readers hear them) and they come into view on a phone.
    heading.focus({ preventScroll: true });
    reveal(this.output.querySelector('.result-card') ?? heading);
  }
}

function modelOptions(): HTMLOptionElement[] {
  return generateModels().map((model) =>
    h(
      'option',
      { value: model.id ?? '', selected: model.id === defaultGenerateModel() },
      model.note ? `${model.label} (${model.note})` : model.label,
    ),
  );
}

function emptyResults(): HTMLElement {
  return h(
    'div',
    { class: 'empty' },
    h('p', { class: 'empty-title' }, 'Your images will appear here'),
    h('p', { class: 'hint' }, 'Pick a model, describe what you want, and press Generate.'),
  );
}
