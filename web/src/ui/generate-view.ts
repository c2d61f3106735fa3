import { runJob } from '../api/jobs.js';
import type { GenerateRequest, ImageResult } from '../api/types.js';
import { ASPECT_RATIOS, DEFAULT_GENERATE_MODEL, GENERATE_MODELS } from '../models.js';
import type { ModelChoice } from '../models.js';
import type { AppContext } from './app-context.js';
import { errorMessage, field, h, messageBox, replaceChildren } from './dom.js';
import { startProgress } from './progress.js';
import { resultGrid } from './result-grid.js';

const MAX_SEED = 4294967294;
const CUSTOM_SIZE = 'custom';

/** Text-to-image: the form on the left, results on the right. */
export class GenerateView {
  readonly element: HTMLElement;
  private readonly context: AppContext;
  private readonly form: HTMLFormElement;
  private readonly prompt: HTMLTextAreaElement;
  private readonly negativePrompt: HTMLTextAreaElement;
  private readonly model: HTMLSelectElement;
  private readonly size: HTMLSelectElement;
  private readonly width: HTMLInputElement;
  private readonly height: HTMLInputElement;
  private readonly customSize: HTMLElement;
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
  private abort: AbortController | null = null;

  constructor(context: AppContext) {
    this.context = context;
    this.prompt = h('textarea', {
      name: 'prompt',
      rows: 4,
      required: true,
      maxlength: 10000,
      placeholder: 'A lighthouse on a cliff at dusk, volumetric light, 35mm photo',
      'data-testid': 'generate-prompt',
    });
    this.negativePrompt = h('textarea', {
      name: 'negativePrompt',
      rows: 2,
      maxlength: 10000,
      placeholder: 'blurry, text, watermark',
      'data-testid': 'generate-negative-prompt',
    });
    this.model = h(
      'select',
      { name: 'model', 'data-testid': 'generate-model' },
      GENERATE_MODELS.map((model) =>
        h(
          'option',
          { value: model.id ?? '', selected: model.id === DEFAULT_GENERATE_MODEL },
          model.note ? `${model.label} (${model.note})` : model.label,
        ),
      ),
    );
    this.size = h('select', { name: 'size', 'data-testid': 'generate-aspect' });
    this.width = h('input', {
      type: 'number',
      name: 'width',
      min: 320,
      max: 4096,
      step: 64,
      value: 1024,
      inputmode: 'numeric',
    });
    this.height = h('input', {
      type: 'number',
      name: 'height',
      min: 320,
      max: 4096,
      step: 64,
      value: 1024,
      inputmode: 'numeric',
    });
    this.customSize = h(
      'div',
      { class: 'field-row', hidden: true },
      field('Width (px)', this.width),
      field('Height (px)', this.height),
    );
    const seedGroup = 'seed-mode';
    this.seedRandom = h('input', {
      type: 'radio',
      name: seedGroup,
      value: 'random',
      checked: true,
      id: 'seed-random',
    });
    this.seedFixed = h('input', {
      type: 'radio',
      name: seedGroup,
      value: 'fixed',
      id: 'seed-fixed',
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
      [1, 2, 3, 4].map((value) => h('option', { value }, String(value))),
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

    this.form = h(
      'form',
      { class: 'panel form', 'data-testid': 'generate-form', novalidate: true },
      h('h2', null, 'Describe the image'),
      field('Prompt', this.prompt, 'Ctrl+Enter to generate.'),
      field('Negative prompt (optional)', this.negativePrompt, 'What to keep out of the image.'),
      field('Model', this.model),
      h('div', { class: 'field-row' }, field('Size', this.size), field('Images', this.count)),
      this.customSize,
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
    this.results = h(
      'section',
      { class: 'panel results', 'aria-label': 'Results', 'aria-live': 'polite' },
      emptyResults(),
    );
    this.element = h('div', { class: 'split' }, this.form, this.results);

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run();
    });
    this.prompt.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.model.addEventListener('change', () => this.onModelChange());
    this.size.addEventListener('change', () => {
      this.customSize.hidden = this.size.value !== CUSTOM_SIZE;
    });
    for (const radio of [this.seedRandom, this.seedFixed]) {
      radio.addEventListener('change', () => {
        this.seed.disabled = this.seedRandom.checked;
        if (this.seedFixed.checked) this.seed.focus();
      });
    }
    this.onModelChange();
  }

  focus(): void {
    this.prompt.focus();
  }

  /** Fills the form from a request (history re-run), optionally generating at once. */
  fill(request: GenerateRequest, run: boolean): void {
    this.prompt.value = request.prompt;
    this.negativePrompt.value = request.negativePrompt ?? '';
    if (request.model && GENERATE_MODELS.some((model) => model.id === request.model)) {
      this.model.value = request.model;
    }
    this.onModelChange();
    if (
      request.aspectRatio &&
      [...this.size.options].some((option) => option.value === request.aspectRatio)
    ) {
      this.size.value = request.aspectRatio;
    } else if (request.width && request.height && this.selectedModel().sizing === 'pixels') {
      this.size.value = CUSTOM_SIZE;
      this.width.value = String(request.width);
      this.height.value = String(request.height);
    }
    this.customSize.hidden = this.size.value !== CUSTOM_SIZE;
    this.setSeed(request.seed);
    this.count.value = String(request.count ?? 1);
    this.cfgScale.value = request.cfgScale === undefined ? '' : String(request.cfgScale);
    this.quality.value = request.quality ?? '';
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
      GENERATE_MODELS.find((model) => (model.id ?? '') === this.model.value) ?? GENERATE_MODELS[0]!
    );
  }

  private onModelChange(): void {
    const model = this.selectedModel();
    const previous = this.size.value || '1:1';
    replaceChildren(
      this.size,
      ASPECT_RATIOS.map((ratio) =>
        h('option', { value: ratio }, `${ratio}${ratio === '1:1' ? ' square' : ''}`),
      ),
      model.sizing === 'pixels' ? h('option', { value: CUSTOM_SIZE }, 'Custom size…') : null,
    );
    this.size.value = [...this.size.options].some((option) => option.value === previous)
      ? previous
      : '1:1';
    this.customSize.hidden = this.size.value !== CUSTOM_SIZE;
    this.advancedFields.cfg.hidden = !model.supportsCfgScale;
    this.advancedFields.quality.hidden = !model.supportsQuality;
    this.advancedFields.none.hidden = model.supportsCfgScale || model.supportsQuality;
  }

  /** Reads the form into a request, or returns a message naming what to fix. */
  private readRequest(): GenerateRequest | string {
    const prompt = this.prompt.value.trim();
    if (!prompt) return 'Write a prompt first.';
    const model = this.selectedModel();
    const request: GenerateRequest = { prompt, count: Number(this.count.value) };
    if (model.id) request.model = model.id;
    const negative = this.negativePrompt.value.trim();
    if (negative) request.negativePrompt = negative;
    if (this.size.value === CUSTOM_SIZE) {
      const width = Number(this.width.value);
      const height = Number(this.height.value);
      if (!Number.isInteger(width) || !Number.isInteger(height) || width < 320 || height < 320) {
        return 'Width and height must be whole numbers of at least 320 pixels.';
      }
      request.width = width;
      request.height = height;
    } else {
      request.aspectRatio = this.size.value;
    }
    if (this.seedFixed.checked) {
      const seed = Number(this.seed.value);
      if (this.seed.value === '' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
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

  private async run(): Promise<void> {
    if (this.abort) return;
    this.message.clear();
    const request = this.readRequest();
    if (typeof request === 'string') {
      this.message.show(request);
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.submit.disabled = true;
    this.submit.textContent = 'Generating…';
    const results = this.results;
    replaceChildren(results);
    const progress = startProgress(
      results,
      `Generating ${request.count === 1 ? 'an image' : `${request.count} images`}…`,
      () => abort.abort(),
    );
    try {
      const api = this.context.api;
      // Signed-in generations go through POST /jobs: it is behind the Cognito authorizer, so the
      // image is recorded under the user and shows up in History (POST /generate may be an open
      // route, where API Gateway passes no identity), and long requests need no second attempt.
      const result = await runJob(
        api,
        { type: 'generate', ...request },
        {
          signal: abort.signal,
          onQueued: () => progress.setLabel('Queued…'),
          onProgress: ({ status }) =>
            progress.setLabel(status === 'queued' ? 'Queued…' : 'Generating…'),
        },
      );
      this.showResult(request, result);
      this.context.markHistoryStale();
    } catch (error) {
      replaceChildren(results, emptyResults());
      this.message.show(
        abort.signal.aborted
          ? 'Cancelled. (The server may still finish the image; it will appear in History.)'
          : errorMessage(error),
        abort.signal.aborted ? 'info' : 'error',
      );
    } finally {
      progress.stop();
      this.abort = null;
      this.submit.disabled = false;
      this.submit.textContent = 'Generate';
    }
  }

  private showResult(request: GenerateRequest, result: ImageResult): void {
    const images = result.images.length > 0 ? result.images : [{ url: result.image_url, key: '' }];
    const seeds = images.map((image) => image.seed).filter((seed) => typeof seed === 'number');
    replaceChildren(
      this.results,
      h(
        'div',
        { class: 'results-header' },
        h('h2', null, 'Results'),
        h(
          'p',
          { class: 'meta' },
          request.prompt,
          result.cached ? h('span', { class: 'badge' }, 'from cache') : null,
        ),
        seeds.length > 0
          ? h('p', { class: 'hint' }, `Seed${seeds.length > 1 ? 's' : ''}: ${seeds.join(', ')}`)
          : null,
      ),
      resultGrid(images, {
        fileBase: `image-${result.id}`,
        altText: `Generated: ${request.prompt}`,
        onEdit: (image) =>
          this.context.openInEditor({ url: image.url, name: `image-${result.id}.png` }),
        onReuseSeed: (seed) => {
          this.setSeed(seed);
          this.seed.focus();
        },
      }),
    );
  }
}

function emptyResults(): HTMLElement {
  return h(
    'div',
    { class: 'empty' },
    h('p', { class: 'empty-title' }, 'Your images will appear here'),
    h('p', { class: 'hint' }, 'Pick a model, describe what you want, and press Generate.'),
  );
}
