import { pollJob, runJob, runSyncOrJob } from '../api/jobs.js';
import { EDIT_OPERATION_LABELS } from '../api/types.js';
import type { EditOperation, EditRequest, ImageResult, ResultImage } from '../api/types.js';
import { ACCEPTED_IMAGE_TYPES, formatBytes, MAX_UPLOAD_BYTES } from '../files.js';
import {
  controlsFor,
  fieldsForModel,
  parseColors,
  STRENGTH_FIELDS,
  STRENGTH_LABELS,
} from '../edit-fields.js';
import type { OperationControls, StrengthField } from '../edit-fields.js';
import { editModels } from '../models.js';
import type { EditModelChoice } from '../models.js';
import type { AppContext } from './app-context.js';
import { beforeAfter } from './compare.js';
import { describeError } from '../error-text.js';
import { isRecord, storedValue } from '../persist.js';
import {
  errorMessage,
  field,
  h,
  markInvalid,
  messageBox,
  replaceChildren,
  reveal,
  uid,
} from './dom.js';
import { fetchAsFile, REMOTE_IMAGE, uploadImage } from './images.js';
import type { UploadedImage } from './images.js';
import { MaskPainter } from './mask-painter.js';
import { startProgress } from './progress.js';
import { resultGrid } from './result-grid.js';

const MAX_SEED = 4294967294;
/** The API's largest `count` (shared/models MAX_IMAGES_PER_REQUEST). */
const MAX_COUNT = 5;
/**
 * Edits go through POST /jobs (recorded, resumable after a reload) when the body fits the job
 * record (shared/core MAX_STORED_REQUEST_BYTES is 350 000); a larger mask uses POST /edits.
 */
const MAX_JOB_BODY_CHARS = 300_000;
/** Stability's style presets (shared/models SDXL_STYLE_PRESETS, also the image services' style_preset). */
const STYLE_PRESETS = [
  '3d-model',
  'analog-film',
  'anime',
  'cinematic',
  'comic-book',
  'digital-art',
  'enhance',
  'fantasy-art',
  'isometric',
  'line-art',
  'low-poly',
  'modeling-compound',
  'neon-punk',
  'origami',
  'photographic',
  'pixel-art',
  'tile-texture',
];
/** Style guide's output aspect ratios (the Stability ratios). */
const ASPECT_RATIOS = ['1:1', '16:9', '3:2', '5:4', '4:5', '2:3', '9:16', '21:9', '9:21'];

/** Settings kept across a reload (the uploaded image itself is not: it has to be chosen again). */
interface EditDraft {
  operation: string;
  model: string;
  prompt: string;
  negativePrompt: string;
  maskPrompt: string;
  seed: string;
  count: string;
  /** The image-guided settings (not the style image, which is chosen again like the image). */
  guided?: Partial<EditRequest>;
}

interface RunningEdit {
  jobId: string;
  request: EditRequest;
}

const isDraft = (value: unknown): value is EditDraft =>
  isRecord(value) && typeof value.operation === 'string' && typeof value.prompt === 'string';
const isRunning = (value: unknown): value is RunningEdit =>
  isRecord(value) && typeof value.jobId === 'string' && isRecord(value.request);

/** What each operation needs from the user, to show only the relevant controls. */
const OPERATION_NEEDS: Record<
  EditOperation,
  { mask: 'required' | 'optional' | 'none'; prompt: 'required' | 'optional' | 'none'; help: string }
> = {
  inpaint: {
    mask: 'required',
    prompt: 'optional',
    help: 'Paint over what should change, then describe what to put there.',
  },
  outpaint: {
    mask: 'optional',
    prompt: 'optional',
    help: 'Extend the picture beyond its edges. Stability: set how many pixels to add per side. Titan/Nova: paint or describe the part to keep; everything else is regenerated.',
  },
  erase: {
    mask: 'required',
    prompt: 'none',
    help: 'Paint over an object to remove it; the background is filled in.',
  },
  'remove-background': {
    mask: 'none',
    prompt: 'none',
    help: 'Keeps the subject and makes the background transparent.',
  },
  'search-replace': {
    mask: 'none',
    prompt: 'required',
    help: 'Describe what to find (e.g. "the red car") and what to replace it with.',
  },
  'search-recolor': {
    mask: 'none',
    prompt: 'required',
    help: 'Describe what to find (e.g. "the jacket") and the colours to give it.',
  },
  'control-sketch': {
    mask: 'none',
    prompt: 'required',
    help: 'Turns a sketch or line drawing into a finished image described by the prompt.',
  },
  'control-structure': {
    mask: 'none',
    prompt: 'required',
    help: 'Keeps the outlines and layout of the image and renders the prompt into them.',
  },
  'style-guide': {
    mask: 'none',
    prompt: 'required',
    help: 'Makes a new image of the prompt in the style of this image.',
  },
  'style-transfer': {
    mask: 'none',
    prompt: 'optional',
    help: 'Applies the style of a second image to this one.',
  },
  'creative-upscale': {
    mask: 'none',
    prompt: 'required',
    help: 'Enlarges a small image (up to 1 megapixel) and adds detail. Slow: runs as a job.',
  },
  'conservative-upscale': {
    mask: 'none',
    prompt: 'required',
    help: 'Enlarges the image to about 4 megapixels, changing as little as possible. Slow: runs as a job.',
  },
  'fast-upscale': {
    mask: 'none',
    prompt: 'none',
    help: 'Enlarges the image four times (input up to 1 megapixel).',
  },
  'image-to-image': {
    mask: 'none',
    prompt: 'required',
    help: 'A new image from the prompt that starts from this one.',
  },
  'image-variation': {
    mask: 'none',
    prompt: 'optional',
    help: 'Variations of the image, optionally steered by a prompt.',
  },
  'color-guided': {
    mask: 'none',
    prompt: 'required',
    help: 'A new image of the prompt in the given colours, laid out like this image.',
  },
};

/** Upload, paint a mask or describe a region, choose an operation, and compare the result. */
export class EditView {
  readonly element: HTMLElement;
  private readonly context: AppContext;
  private image: UploadedImage | null = null;
  private painter: MaskPainter | null = null;
  private readonly fileInput: HTMLInputElement;
  private readonly dropzone: HTMLElement;
  private readonly imageInfo: HTMLElement;
  private readonly operation: HTMLSelectElement;
  private readonly model: HTMLSelectElement;
  private readonly operationHelp: HTMLParagraphElement;
  private readonly regionSection: HTMLElement;
  private readonly painterHost: HTMLElement;
  private readonly maskPrompt: HTMLInputElement;
  private readonly maskPromptField: HTMLElement;
  private readonly outpaintFields: HTMLElement;
  private readonly margins: Record<'left' | 'right' | 'up' | 'down', HTMLInputElement>;
  private readonly prompt: HTMLTextAreaElement;
  private readonly promptField: HTMLElement;
  private readonly negativePrompt: HTMLTextAreaElement;
  private readonly negativeField: HTMLElement;
  private readonly seed: HTMLInputElement;
  private readonly count: HTMLSelectElement;
  private readonly seedCountRow: HTMLElement;
  private readonly seedField: HTMLElement;
  private readonly countField: HTMLElement;
  private readonly settingsSection: HTMLElement;
  private readonly style: HTMLSelectElement;
  private readonly styleField: HTMLElement;
  private readonly aspectRatio: HTMLSelectElement;
  private readonly aspectRatioField: HTMLElement;
  private readonly colors: HTMLInputElement;
  private readonly colorsField: HTMLElement;
  private readonly styleImageInput: HTMLInputElement;
  private readonly styleImageField: HTMLElement;
  private readonly styleImageInfo: HTMLElement;
  private styleImage: UploadedImage | null = null;
  /** Each slider, its field and whether the user moved it (untouched sliders send nothing). */
  private readonly strengths: Record<
    StrengthField,
    { input: HTMLInputElement; field: HTMLElement; output: HTMLOutputElement; touched: boolean }
  >;
  private readonly submit: HTMLButtonElement;
  private readonly uploadMessage = messageBox();
  private readonly message = messageBox();
  private readonly results: HTMLElement;
  /** Progress and errors of the latest run, above the previous result (which stays). */
  private readonly status: HTMLElement;
  private readonly output: HTMLElement;
  private readonly resultMessage = messageBox();
  private readonly draft = storedValue('edit-form', isDraft);
  private readonly running = storedValue('edit-job', isRunning);
  private busy = false;

  constructor(context: AppContext) {
    this.context = context;

    this.fileInput = h('input', {
      type: 'file',
      accept: ACCEPTED_IMAGE_TYPES.join(','),
      class: 'visually-hidden',
      tabindex: -1,
      'aria-label': 'Image to edit',
      'data-testid': 'upload-input',
    });
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      if (file) void this.load(file);
      this.fileInput.value = '';
    });
    const choose = () => this.fileInput.click();
    this.dropzone = h(
      'div',
      { class: 'dropzone', 'data-testid': 'dropzone' },
      h('p', { class: 'empty-title' }, 'Drop an image here'),
      h(
        'p',
        { class: 'hint' },
        'or ',
        h('button', { type: 'button', class: 'link-button', onclick: choose }, 'choose a file'),
        ` · PNG, JPEG or WebP, up to ${formatBytes(MAX_UPLOAD_BYTES)}`,
      ),
    );
    this.bindDrop();
    this.imageInfo = h('div', { class: 'image-info', hidden: true });

    this.operation = h(
      'select',
      { name: 'operation', 'data-testid': 'edit-operation' },
      (Object.keys(EDIT_OPERATION_LABELS) as EditOperation[]).map((operation) =>
        h('option', { value: operation }, EDIT_OPERATION_LABELS[operation]),
      ),
    );
    this.model = h('select', { name: 'model', 'data-testid': 'edit-model' });
    this.operationHelp = h('p', { class: 'hint' });

    this.painterHost = h('div', { class: 'painter-host' });
    this.maskPrompt = h('input', {
      type: 'text',
      name: 'maskPrompt',
      maxlength: 10000,
      placeholder: 'e.g. the dog on the sofa',
      'data-testid': 'edit-mask-prompt',
    });
    this.maskPromptField = field(
      'Or describe the region in words',
      this.maskPrompt,
      'Used instead of painting when filled in.',
    );
    const margin = (name: string) =>
      h('input', {
        type: 'number',
        name,
        min: 0,
        max: 2000,
        step: 16,
        value: 0,
        inputmode: 'numeric',
      });
    this.margins = {
      left: margin('left'),
      right: margin('right'),
      up: margin('up'),
      down: margin('down'),
    };
    this.outpaintFields = h(
      'fieldset',
      { class: 'field', hidden: true },
      h('legend', null, 'Pixels to add on each side'),
      h(
        'div',
        { class: 'field-row four' },
        field('Left', this.margins.left),
        field('Right', this.margins.right),
        field('Up', this.margins.up),
        field('Down', this.margins.down),
      ),
    );
    this.regionSection = h(
      'section',
      { class: 'step', 'aria-label': 'Region to edit' },
      h('h3', null, 'Region'),
      this.painterHost,
      this.maskPromptField,
      this.outpaintFields,
    );

    this.prompt = h('textarea', {
      name: 'prompt',
      rows: 3,
      maxlength: 10000,
      placeholder: 'What should appear there?',
      'data-testid': 'edit-prompt',
    });
    this.promptField = field('Prompt', this.prompt);
    this.negativePrompt = h('textarea', { name: 'negativePrompt', rows: 2, maxlength: 10000 });
    this.negativeField = field('Negative prompt (optional)', this.negativePrompt);
    this.seed = h('input', {
      type: 'number',
      name: 'seed',
      min: 0,
      max: MAX_SEED,
      placeholder: 'random',
      inputmode: 'numeric',
      'data-testid': 'edit-seed',
    });
    this.count = h(
      'select',
      { name: 'count', 'data-testid': 'edit-count' },
      Array.from({ length: MAX_COUNT }, (_, index) =>
        h('option', { value: index + 1 }, String(index + 1)),
      ),
    );
    this.seedField = field('Seed', this.seed, 'Empty for random.');
    this.countField = field('Images', this.count);
    this.seedCountRow = h('div', { class: 'field-row' }, this.seedField, this.countField);

    this.style = h(
      'select',
      { name: 'style', 'data-testid': 'edit-style' },
      h('option', { value: '' }, 'None'),
      STYLE_PRESETS.map((preset) => h('option', { value: preset }, preset.replace(/-/g, ' '))),
    );
    this.styleField = field('Style preset', this.style);
    this.aspectRatio = h(
      'select',
      { name: 'aspectRatio', 'data-testid': 'edit-aspect-ratio' },
      h('option', { value: '' }, 'Model default'),
      ASPECT_RATIOS.map((ratio) => h('option', { value: ratio }, ratio)),
    );
    this.aspectRatioField = field('Aspect ratio of the result', this.aspectRatio);
    this.colors = h('input', {
      type: 'text',
      name: 'colors',
      placeholder: '#ff8800, #004488',
      autocomplete: 'off',
      'data-testid': 'edit-colors',
    });
    this.colorsField = field('Colours', this.colors, 'Up to 10 hex colours, separated by commas.');
    this.styleImageInput = h('input', {
      type: 'file',
      name: 'styleImage',
      accept: ACCEPTED_IMAGE_TYPES.join(','),
      'data-testid': 'edit-style-image',
    });
    this.styleImageInput.addEventListener('change', () => {
      const file = this.styleImageInput.files?.[0];
      if (file) void this.loadStyleImage(file);
    });
    this.styleImageInfo = h('p', { class: 'hint', 'aria-live': 'polite', id: uid('style-image') });
    this.styleImageField = h(
      'div',
      null,
      field('Style image', this.styleImageInput, 'The picture whose style is applied.'),
      this.styleImageInfo,
    );
    const strengthEntries = STRENGTH_FIELDS.map((name) => {
      const input = h('input', {
        type: 'range',
        name,
        min: 0,
        max: 1,
        step: 0.05,
        value: 0.5,
        'data-testid': `edit-${name}`,
      });
      const output = h('output', { class: 'hint' }, 'model default');
      const entry = {
        input,
        output,
        field: field(STRENGTH_LABELS[name].label, input, STRENGTH_LABELS[name].hint),
        touched: false,
      };
      // field() gives the slider its id; the output names it so it reads as the slider's value.
      output.setAttribute('for', input.id);
      entry.field.append(output);
      input.addEventListener('input', () => {
        entry.touched = true;
        output.textContent = input.value;
      });
      return [name, entry] as const;
    });
    this.strengths = Object.fromEntries(strengthEntries) as unknown as typeof this.strengths;
    this.settingsSection = h(
      'section',
      { class: 'step', 'aria-label': 'Settings', 'data-testid': 'edit-settings' },
      h('h3', null, 'Settings'),
      this.styleImageField,
      this.colorsField,
      this.styleField,
      this.aspectRatioField,
      strengthEntries.map(([, entry]) => entry.field),
    );
    this.submit = h(
      'button',
      { type: 'submit', class: 'button-primary', 'data-testid': 'edit-submit', disabled: true },
      'Apply edit',
    );

    const form = h(
      'form',
      { class: 'panel form', novalidate: true, 'data-testid': 'edit-form' },
      h('h1', { class: 'view-title', tabindex: -1 }, 'Edit an image'),
      h(
        'section',
        { class: 'step', 'aria-label': 'Image' },
        h('h3', null, 'Image'),
        this.fileInput,
        this.dropzone,
        this.imageInfo,
        this.uploadMessage.element,
      ),
      h(
        'section',
        { class: 'step', 'aria-label': 'Operation' },
        h(
          'div',
          { class: 'field-row' },
          field('Operation', this.operation),
          field('Model', this.model),
        ),
        this.operationHelp,
      ),
      this.regionSection,
      h(
        'section',
        { class: 'step', 'aria-label': 'Instructions' },
        this.promptField,
        this.negativeField,
        this.seedCountRow,
      ),
      this.settingsSection,
      this.message.element,
      h('div', { class: 'form-actions' }, this.submit),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run();
    });
    this.operation.addEventListener('change', () => this.onOperationChange());
    this.model.addEventListener('change', () => this.updateControls());
    form.addEventListener('input', () => this.saveDraft());
    form.addEventListener('change', () => this.saveDraft());

    this.status = h('div', { class: 'run-status' }, this.resultMessage.element);
    this.output = h('div', { class: 'run-output' }, emptyResult());
    this.results = h(
      'section',
      { class: 'panel results', 'aria-label': 'Edit result', 'data-testid': 'edit-results' },
      this.status,
      this.output,
    );
    this.element = h('div', { class: 'split split-wide' }, form, this.results);
    this.onOperationChange();
    this.restoreDraft();
    const running = this.running.load();
    if (running) void this.resume(running);
  }

  /** Rebuilds the model picker once GET /models has answered, keeping the draft's choice. */
  refreshModels(): void {
    this.onOperationChange();
    this.restoreDraft();
  }

  private saveDraft(): void {
    this.draft.save({
      operation: this.operation.value,
      model: this.model.value,
      prompt: this.prompt.value,
      negativePrompt: this.negativePrompt.value,
      maskPrompt: this.maskPrompt.value,
      seed: this.seed.value,
      count: this.count.value,
      guided: this.guidedSettings(),
    });
  }

  private restoreDraft(): void {
    const draft = this.draft.load();
    if (!draft) return;
    this.applySettings(draft);
    if (isRecord(draft.guided)) this.applyGuidedSettings(draft.guided);
  }

  /** The guided controls as they stand, for the draft (colours unchecked until submit). */
  private guidedSettings(): Partial<EditRequest> {
    const settings: Partial<EditRequest> = {};
    if (this.style.value) settings.style = this.style.value;
    if (this.aspectRatio.value) settings.aspectRatio = this.aspectRatio.value;
    const colors = this.colors.value.split(',').map((color) => color.trim());
    if (colors.some(Boolean)) settings.colors = colors.filter(Boolean);
    for (const name of STRENGTH_FIELDS) {
      const entry = this.strengths[name];
      if (entry.touched) settings[name] = Number(entry.input.value);
    }
    return settings;
  }

  /** Puts settings into the form (a restored draft, or a History item opened here). */
  private applySettings(settings: Partial<EditDraft>): void {
    if (
      settings.operation &&
      [...this.operation.options].some((option) => option.value === settings.operation)
    ) {
      this.operation.value = settings.operation;
      this.onOperationChange();
    }
    if (
      settings.model !== undefined &&
      [...this.model.options].some((option) => option.value === settings.model)
    ) {
      this.model.value = settings.model;
    }
    this.prompt.value = settings.prompt ?? '';
    this.negativePrompt.value = settings.negativePrompt ?? '';
    this.maskPrompt.value = settings.maskPrompt ?? '';
    this.seed.value = settings.seed ?? '';
    this.count.value = settings.count || '1';
    this.updateControls();
  }

  focus(): void {
    (this.image ? this.operation : this.dropzone.querySelector('button'))?.focus();
  }

  /**
   * Takes a result image from elsewhere (generate, history) as the input, optionally with the
   * settings of a History item.
   */
  async openFromUrl(url: string, name: string, settings?: EditRequest): Promise<void> {
    if (settings) {
      this.applySettings({
        ...(settings.operation ? { operation: settings.operation } : {}),
        model: settings.model ?? '',
        prompt: settings.prompt ?? '',
        negativePrompt: settings.negativePrompt ?? '',
        maskPrompt: settings.maskPrompt ?? '',
        seed: settings.seed === undefined ? '' : String(settings.seed),
        count: String(settings.count ?? 1),
      });
      this.applyGuidedSettings(settings);
      this.saveDraft();
    }
    this.uploadMessage.show('Preparing the image…', 'info');
    try {
      await this.load(await fetchAsFile(url, name));
    } catch (error) {
      this.uploadMessage.show(errorMessage(error));
    }
  }

  private bindDrop(): void {
    const zone = this.dropzone;
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('dragging');
      const file = event.dataTransfer?.files[0];
      if (file) void this.load(file);
    });
  }

  private async load(file: File): Promise<void> {
    this.uploadMessage.show(`Uploading ${file.name}…`, 'info');
    this.dropzone.classList.add('busy');
    try {
      const image = await uploadImage(this.context.api, file);
      if (this.image) URL.revokeObjectURL(this.image.previewUrl);
      this.image = image;
      this.uploadMessage.clear();
      this.painter = new MaskPainter(image.previewUrl, image.width, image.height, () =>
        this.updateControls(),
      );
      replaceChildren(this.painterHost, this.painter.element);
      replaceChildren(
        this.imageInfo,
        h('span', null, h('strong', null, image.name), ` · ${image.width}×${image.height}`),
        h(
          'button',
          { type: 'button', class: 'link-button', onclick: () => this.fileInput.click() },
          'Replace image',
        ),
      );
      this.imageInfo.hidden = false;
      this.dropzone.hidden = true;
      this.updateControls();
    } catch (error) {
      this.uploadMessage.show(errorMessage(error));
    } finally {
      this.dropzone.classList.remove('busy');
    }
  }

  private selectedOperation(): EditOperation {
    return this.operation.value as EditOperation;
  }

  private selectedModel(): EditModelChoice {
    return editModels().find((model) => (model.id ?? '') === this.model.value) ?? editModels()[0]!;
  }

  /** The controls the selected operation takes on the selected model (GET /models' fields). */
  private selectedControls(): OperationControls {
    const operation = this.selectedOperation();
    const model = this.selectedModel();
    return controlsFor(operation, fieldsForModel(model, operation), model.maxImages?.[operation]);
  }

  /**
   * The image-guided settings of a History item. Its style image is not reopened: the form asks
   * for it again rather than sending a key the user cannot see.
   */
  private applyGuidedSettings(settings: Partial<EditRequest>): void {
    this.style.value = settings.style ?? '';
    if (this.style.value !== (settings.style ?? '')) this.style.value = '';
    this.aspectRatio.value = settings.aspectRatio ?? '';
    if (this.aspectRatio.value !== (settings.aspectRatio ?? '')) this.aspectRatio.value = '';
    this.colors.value = Array.isArray(settings.colors) ? settings.colors.join(', ') : '';
    for (const name of STRENGTH_FIELDS) {
      const entry = this.strengths[name];
      const given = settings[name];
      const value = typeof given === 'number' && given >= 0 && given <= 1 ? given : undefined;
      entry.touched = value !== undefined;
      entry.input.value = String(value ?? 0.5);
      entry.output.textContent = value === undefined ? 'model default' : entry.input.value;
    }
  }

  private async loadStyleImage(file: File): Promise<void> {
    this.styleImageInfo.textContent = `Uploading ${file.name}…`;
    this.styleImageInput.removeAttribute('aria-invalid');
    try {
      const image = await uploadImage(this.context.api, file);
      if (this.styleImage) URL.revokeObjectURL(this.styleImage.previewUrl);
      this.styleImage = image;
      this.styleImageInfo.textContent = `${image.name} · ${image.width}×${image.height}`;
    } catch (error) {
      this.styleImage = null;
      this.styleImageInfo.textContent = errorMessage(error);
      markInvalid(this.styleImageInput, this.styleImageInfo.id);
    } finally {
      this.styleImageInput.value = '';
    }
  }

  private onOperationChange(): void {
    const operation = this.selectedOperation();
    const previous = this.model.value;
    const models = editModels().filter((model) => model.operations.includes(operation));
    replaceChildren(
      this.model,
      models.map((model) =>
        h(
          'option',
          { value: model.id ?? '' },
          model.note ? `${model.label} (${model.note})` : model.label,
        ),
      ),
    );
    if (models.some((model) => (model.id ?? '') === previous)) this.model.value = previous;
    this.operationHelp.textContent = OPERATION_NEEDS[operation].help;
    this.updateControls();
  }

  private updateControls(): void {
    const operation = this.selectedOperation();
    const needs = OPERATION_NEEDS[operation];
    const model = this.selectedModel();
    const stabilityOutpaint = operation === 'outpaint' && model.id === undefined;
    const canDescribe = model.maskPromptOperations.includes(operation);
    const canPaint = needs.mask !== 'none' && !stabilityOutpaint;

    this.painterHost.hidden = !canPaint;
    this.maskPromptField.hidden = !canDescribe;
    this.maskPromptField.querySelector('label')!.textContent =
      operation === 'search-replace'
        ? 'What to find'
        : operation === 'outpaint'
          ? 'Or describe the part to keep in words'
          : 'Or describe the region in words';
    this.outpaintFields.hidden = !stabilityOutpaint;
    this.regionSection.hidden = !canPaint && !canDescribe && !stabilityOutpaint;
    this.promptField.hidden = needs.prompt === 'none';
    this.negativeField.hidden = needs.prompt === 'none';
    const controls = this.selectedControls();
    this.negativeField.hidden = needs.prompt === 'none' || !controls.negativePrompt;
    this.seedField.hidden = !controls.seed;
    this.countField.hidden = !controls.count;
    this.seedCountRow.hidden = !controls.seed && !controls.count;
    this.styleField.hidden = !controls.style;
    this.aspectRatioField.hidden = !controls.aspectRatio;
    this.colorsField.hidden = !controls.colors;
    this.styleImageField.hidden = !controls.styleImage;
    for (const name of STRENGTH_FIELDS) {
      this.strengths[name].field.hidden = !controls.strengths.includes(name);
    }
    this.settingsSection.hidden =
      !controls.style &&
      !controls.aspectRatio &&
      !controls.colors &&
      !controls.styleImage &&
      controls.strengths.length === 0;
    this.promptField.querySelector('label')!.textContent =
      operation === 'search-replace'
        ? 'Replace it with'
        : needs.prompt === 'required'
          ? 'Prompt'
          : 'Prompt (what to put there)';
    this.submit.disabled = this.image === null || this.busy;
  }

  /** Reads the form into a request, or returns a message naming what is missing. */
  private readRequest(): EditRequest | string {
    if (!this.image) return 'Upload an image first.';
    const operation = this.selectedOperation();
    const needs = OPERATION_NEEDS[operation];
    const model = this.selectedModel();
    const controls = this.selectedControls();
    const request: EditRequest = { imageKey: this.image.key, operation };
    if (controls.count) request.count = Number(this.count.value);
    if (model.id) request.model = model.id;

    const maskPrompt = model.maskPromptOperations.includes(operation)
      ? this.maskPrompt.value.trim()
      : '';
    const stabilityOutpaint = operation === 'outpaint' && model.id === undefined;
    const mask =
      needs.mask !== 'none' && !stabilityOutpaint ? this.painter?.exportBase64() : undefined;
    if (maskPrompt) request.maskPrompt = maskPrompt;
    else if (mask) request.mask = mask;
    if (operation === 'search-replace' && !maskPrompt) return 'Say what to find in the image.';
    if (needs.mask === 'required' && !request.mask && !request.maskPrompt) {
      return model.maskPromptOperations.includes(operation)
        ? 'Paint the area to change, or describe it in words.'
        : 'Paint the area to change on the image.';
    }
    if (operation === 'outpaint' && !stabilityOutpaint && !request.mask && !request.maskPrompt) {
      return 'Paint or describe the part of the image to keep.';
    }
    if (stabilityOutpaint) {
      const margins = {
        left: Number(this.margins.left.value) || 0,
        right: Number(this.margins.right.value) || 0,
        up: Number(this.margins.up.value) || 0,
        down: Number(this.margins.down.value) || 0,
      };
      if (Object.values(margins).every((value) => value === 0))
        return 'Add pixels on at least one side.';
      request.outpaint = margins;
    }

    if (needs.prompt !== 'none') {
      const prompt = this.prompt.value.trim();
      if (needs.prompt === 'required' && !prompt) return 'Write what to put in its place.';
      if (prompt) request.prompt = prompt;
      const negative = this.negativePrompt.value.trim();
      if (negative) request.negativePrompt = negative;
    }
    if (controls.styleImage) {
      if (!this.styleImage) {
        markInvalid(this.styleImageInput, this.message.element.id);
        return 'Choose the image to take the style from.';
      }
      request.styleImageKey = this.styleImage.key;
    }
    if (controls.colors) {
      const colors = parseColors(this.colors.value);
      if (typeof colors === 'string') {
        markInvalid(this.colors, this.message.element.id);
        return colors;
      }
      request.colors = colors;
    }
    if (controls.style && this.style.value) request.style = this.style.value;
    if (controls.aspectRatio && this.aspectRatio.value) {
      request.aspectRatio = this.aspectRatio.value;
    }
    for (const name of controls.strengths) {
      const entry = this.strengths[name];
      if (entry.touched) request[name] = Number(entry.input.value);
    }
    if (this.seed.value !== '' && controls.seed) {
      const seed = Number(this.seed.value);
      if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
        markInvalid(this.seed, this.message.element.id);
        return `The seed must be a whole number from 0 to ${MAX_SEED}.`;
      }
      request.seed = seed;
    }
    return request;
  }

  private async run(): Promise<void> {
    if (this.busy) return;
    this.message.clear();
    const request = this.readRequest();
    if (typeof request === 'string') {
      this.message.show(request);
      this.message.element.focus();
      return;
    }
    await this.execute(request, this.image!.previewUrl);
  }

  /** Runs an edit: as a job when the body fits one (resumable), else through POST /edits. */
  private async execute(request: EditRequest, beforeUrl: string | undefined): Promise<void> {
    const progress = this.begin();
    try {
      const api = this.context.api;
      const submission = { type: 'edit' as const, ...request };
      const options = {
        onAccepted: (jobId: string) => this.running.save({ jobId, request }),
        onQueued: () => progress.setLabel('Queued…'),
        onProgress: ({ status }: { status: string }) =>
          progress.setLabel(status === 'queued' ? 'Queued…' : 'Applying the edit…'),
      };
      const result =
        JSON.stringify(submission).length <= MAX_JOB_BODY_CHARS
          ? await runJob(api, submission, options)
          : await runSyncOrJob(api, () => api.edit(request), submission, options);
      this.showResult(beforeUrl, request, result);
      this.context.markHistoryStale();
    } catch (error) {
      this.showError(request, beforeUrl, error);
    } finally {
      this.end(progress);
    }
  }

  /** Picks up an edit job that was running when the page was reloaded. */
  private async resume(running: RunningEdit): Promise<void> {
    const progress = this.begin('Still applying the edit (picked up after the reload)…');
    try {
      const result = await pollJob(this.context.api, running.jobId, {
        onProgress: ({ status }) =>
          progress.setLabel(status === 'queued' ? 'Queued…' : 'Applying the edit…'),
      });
      this.showResult(undefined, running.request, result);
      this.context.markHistoryStale();
    } catch (error) {
      this.showError(running.request, undefined, error);
    } finally {
      this.end(progress);
    }
  }

  private begin(label = 'Applying the edit…'): ReturnType<typeof startProgress> {
    this.busy = true;
    this.updateControls();
    this.submit.textContent = 'Working…';
    this.resultMessage.clear();
    // The previous result stays (dimmed) until the new one arrives: an error keeps it.
    this.output.classList.add('stale');
    const progress = startProgress(this.status, label);
    reveal(this.status);
    return progress;
  }

  private end(progress: ReturnType<typeof startProgress>): void {
    progress.stop();
    this.running.clear();
    this.output.classList.remove('stale');
    this.busy = false;
    this.submit.textContent = 'Apply edit';
    this.updateControls();
  }

  private showError(request: EditRequest, beforeUrl: string | undefined, error: unknown): void {
    const text = describeError(error);
    this.resultMessage.show(
      text.message,
      'error',
      text.retryable
        ? {
            label: 'Retry',
            run: () => void this.execute(request, beforeUrl),
            testId: 'edit-retry',
          }
        : undefined,
    );
    const controls: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {
      prompt: this.prompt,
      negativePrompt: this.negativePrompt,
      maskPrompt: this.maskPrompt,
      seed: this.seed,
      count: this.count,
      model: this.model,
      operation: this.operation,
      style: this.style,
      aspectRatio: this.aspectRatio,
      colors: this.colors,
      styleImageKey: this.styleImageInput,
      ...Object.fromEntries(STRENGTH_FIELDS.map((name) => [name, this.strengths[name].input])),
    };
    for (const name of text.fields) {
      const control = controls[name];
      if (control) markInvalid(control, this.resultMessage.element.id);
    }
    this.resultMessage.element.focus({ preventScroll: true });
    reveal(this.resultMessage.element);
  }

  private showResult(
    beforeUrl: string | undefined,
    request: EditRequest,
    result: ImageResult,
  ): void {
    const images: ResultImage[] =
      result.images.length > 0 ? result.images : [{ url: result.image_url, key: '' }];
    const compareHost = h('div', { class: 'compare-host' });
    const select = (image: ResultImage) =>
      replaceChildren(compareHost, beforeUrl ? beforeAfter(beforeUrl, image.url) : null);
    select(images[0]!);
    const useButton = (image: ResultImage, index: number) =>
      h(
        'button',
        {
          type: 'button',
          class: 'button-secondary',
          'data-testid': 'use-as-input',
          onclick: () => void this.openFromUrl(image.url, `edit-${result.id}-${index + 1}.png`),
        },
        images.length > 1 ? `Use #${index + 1} as next input` : 'Use this result as the next input',
      );
    const heading = h('h2', { tabindex: -1 }, beforeUrl ? 'Before and after' : 'Result');
    replaceChildren(
      this.output,
      h('div', { class: 'results-header' }, heading),
      compareHost,
      h('div', { class: 'form-actions' }, images.map(useButton)),
      images.length > 1 && beforeUrl
        ? h('p', { class: 'hint' }, 'Choose a result to compare:')
        : null,
      images.length > 1 && beforeUrl
        ? h(
            'div',
            { class: 'thumb-row', role: 'group', 'aria-label': 'Results' },
            images.map((image, index) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'thumb',
                  onclick: () => select(image),
                  'aria-label': `Compare result ${index + 1}`,
                },
                h('img', { src: image.url, alt: '', ...REMOTE_IMAGE }),
              ),
            ),
          )
        : null,
      resultGrid(images, {
        prompt: request.prompt ?? request.operation,
        altText: 'Edited image',
        onEdit: (image) => void this.openFromUrl(image.url, `edit-${result.id}.png`),
      }),
    );
    heading.focus({ preventScroll: true });
    reveal(heading);
  }
}

function emptyResult(): HTMLElement {
  return h(
    'div',
    { class: 'empty' },
    h('p', { class: 'empty-title' }, 'The result will appear here'),
    h('p', { class: 'hint' }, 'Upload an image, mark what to change, and apply the edit.'),
  );
}
