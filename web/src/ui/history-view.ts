import { runJob } from '../api/jobs.js';
import type { HistoryItem } from '../api/types.js';
import { describeError } from '../error-text.js';
import {
  editRequestFrom,
  firstSeed,
  generateRequestFrom,
  inputUrlOf,
  maskUrlOf,
} from '../history-requests.js';
import { bytesToBase64 } from '../mask/png-encoder.js';
import { modelLabel } from '../models.js';
import type { AppContext } from './app-context.js';
import {
  append,
  errorMessage,
  field,
  h,
  messageBox,
  replaceChildren,
  type MessageBox,
} from './dom.js';
import { REMOTE_IMAGE } from './images.js';
import { startProgress } from './progress.js';
import { resultGrid } from './result-grid.js';

const PAGE_SIZE = 12;

/** The caller's past generations and edits, newest first: search, filter, re-run, retry, delete. */
export class HistoryView {
  readonly element: HTMLElement;
  private readonly context: AppContext;
  private readonly title: HTMLHeadingElement;
  private readonly list: HTMLUListElement;
  private readonly more: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly summary: HTMLParagraphElement;
  private readonly search: HTMLInputElement;
  private readonly kindFilter: HTMLSelectElement;
  private readonly statusFilter: HTMLSelectElement;
  private readonly message = messageBox();
  private readonly items = new Map<string, HistoryItem>();
  private cursor: string | undefined;
  private stale = true;
  private loading = false;

  constructor(context: AppContext) {
    this.context = context;
    this.title = h('h1', { id: 'history-title', class: 'view-title', tabindex: -1 }, 'History');
    this.list = h('ul', { class: 'history-list', 'data-testid': 'history-list' });
    this.more = h(
      'button',
      {
        type: 'button',
        class: 'button-secondary',
        hidden: true,
        onclick: () => void this.load(false),
      },
      'Load more',
    );
    this.status = h('div', { class: 'history-status' });
    this.summary = h('p', {
      class: 'hint',
      'aria-live': 'polite',
      'data-testid': 'history-summary',
    });
    this.search = h('input', {
      type: 'search',
      name: 'search',
      placeholder: 'Words in the prompt',
      'data-testid': 'history-search',
    });
    this.kindFilter = h(
      'select',
      { name: 'kind', 'data-testid': 'history-kind' },
      h('option', { value: '' }, 'All'),
      h('option', { value: 'generation' }, 'Generations'),
      h('option', { value: 'edit' }, 'Edits'),
    );
    this.statusFilter = h(
      'select',
      { name: 'status', 'data-testid': 'history-status' },
      h('option', { value: '' }, 'All'),
      h('option', { value: 'succeeded' }, 'Succeeded'),
      h('option', { value: 'failed' }, 'Failed'),
      h('option', { value: 'pending' }, 'Running'),
    );
    for (const control of [this.search, this.kindFilter, this.statusFilter]) {
      control.addEventListener('input', () => this.applyFilter());
    }
    const filters = h(
      'form',
      {
        class: 'history-filters',
        role: 'search',
        'aria-label': 'Filter history',
        onsubmit: (event: Event) => event.preventDefault(),
      },
      field('Search', this.search),
      field('Kind', this.kindFilter),
      field('Status', this.statusFilter),
    );
    this.element = h(
      'section',
      { class: 'panel history', 'aria-labelledby': 'history-title' },
      h(
        'div',
        { class: 'results-header row' },
        this.title,
        h(
          'button',
          {
            type: 'button',
            class: 'button-ghost',
            'data-testid': 'history-refresh',
            onclick: () => void this.load(true),
          },
          'Refresh',
        ),
      ),
      h('p', { class: 'hint' }, 'Image links expire after a while; Refresh fetches fresh ones.'),
      filters,
      this.summary,
      this.message.element,
      this.list,
      this.status,
      h('div', { class: 'form-actions center' }, this.more),
    );
  }

  markStale(): void {
    this.stale = true;
  }

  /** Called when the tab is shown: reload only if something changed or the links may be old. */
  show(): void {
    if (this.stale) void this.load(true);
  }

  focus(): void {
    this.title.focus();
  }

  private async load(reset: boolean): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.message.clear();
    this.more.disabled = true;
    if (reset) {
      this.cursor = undefined;
      this.items.clear();
      replaceChildren(this.list);
    }
    const progress = startProgress(this.status, 'Loading history…');
    try {
      const page = await this.context.api.history(PAGE_SIZE, this.cursor);
      this.stale = false;
      this.cursor = page.nextCursor;
      for (const item of page.items) {
        this.items.set(item.id, item);
        this.list.append(this.card(item));
      }
    } catch (error) {
      this.message.show(errorMessage(error), 'error', {
        label: 'Retry',
        run: () => void this.load(reset),
      });
    } finally {
      progress.stop();
      this.loading = false;
      this.more.hidden = !this.cursor;
      this.more.disabled = false;
      this.applyFilter();
    }
  }

  /** Shows the cards whose prompt has every search word and whose kind and status match. */
  private applyFilter(): void {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const kind = this.kindFilter.value;
    const status = this.statusFilter.value;
    let shown = 0;
    for (const card of this.list.querySelectorAll<HTMLElement>('[data-testid="history-item"]')) {
      const item = this.items.get(card.dataset.id ?? '');
      const prompt = (item?.prompt ?? '').toLowerCase();
      const visible =
        item !== undefined &&
        words.every((word) => prompt.includes(word)) &&
        (!kind || item.kind === kind) &&
        (!status || statusOf(item) === status);
      card.hidden = !visible;
      if (visible) shown += 1;
    }
    this.list.querySelector('.history-empty')?.remove();
    const filtering = words.length > 0 || kind !== '' || status !== '';
    if (this.items.size === 0 && !this.loading) {
      this.list.append(
        h(
          'li',
          { class: 'empty history-empty' },
          h('p', { class: 'empty-title' }, 'Nothing here yet'),
          h('p', { class: 'hint' }, 'Generated and edited images will show up here.'),
        ),
      );
    } else if (shown === 0 && filtering) {
      this.list.append(
        h(
          'li',
          { class: 'empty history-empty' },
          h('p', { class: 'empty-title' }, 'No match'),
          h(
            'p',
            { class: 'hint' },
            this.cursor ? 'Nothing loaded so far matches; Load more searches older items.' : '',
          ),
        ),
      );
    }
    this.summary.textContent = filtering
      ? `${shown} of ${this.items.size} loaded item${this.items.size === 1 ? '' : 's'} shown`
      : '';
  }

  private card(item: HistoryItem): HTMLLIElement {
    const state = statusOf(item);
    const kindLabel = item.kind === 'edit' ? `Edit · ${item.operation ?? 'edit'}` : 'Generated';
    const failure = state === 'failed' ? describeError({ code: item.errorCode ?? '' }) : undefined;
    const seed = firstSeed(item);
    const cardMessage = messageBox();
    const actions = h('div', { class: 'card-actions' });
    const card = h(
      'li',
      {
        class: `history-card${state === 'failed' ? ' failed' : ''}`,
        'data-testid': 'history-item',
        'data-id': item.id,
        'data-status': state,
        'data-kind': item.kind,
        tabindex: -1,
      },
      h(
        'div',
        { class: 'card-head' },
        state === 'succeeded'
          ? h('span', { class: `badge ${item.kind === 'edit' ? 'badge-edit' : ''}` }, kindLabel)
          : h(
              'span',
              { class: `badge ${state === 'failed' ? 'badge-error' : 'badge-running'}` },
              state === 'failed'
                ? `${item.kind === 'edit' ? 'Edit' : 'Generation'} failed`
                : 'Running',
            ),
        h('span', { class: 'meta' }, modelLabel(item.model)),
        h(
          'time',
          {
            class: 'meta',
            datetime: item.createdAt,
            title: new Date(item.createdAt).toLocaleString(),
          },
          relativeTime(item.createdAt),
        ),
      ),
      item.prompt ? h('p', { class: 'card-prompt' }, item.prompt) : null,
      failure
        ? h(
            'p',
            { class: 'card-error', 'data-testid': 'history-error' },
            h('strong', null, `${failure.label}. `),
            failure.message,
          )
        : null,
      inputUrlOf(item)
        ? h(
            'div',
            { class: 'card-input' },
            h('span', { class: 'hint' }, 'Input'),
            h('img', {
              src: inputUrlOf(item),
              alt: 'Input image',
              loading: 'lazy',
              ...REMOTE_IMAGE,
            }),
            maskUrlOf(item) ? h('span', { class: 'hint' }, 'Mask') : null,
            maskUrlOf(item)
              ? h('img', {
                  src: maskUrlOf(item),
                  alt: 'Mask (white = edited)',
                  loading: 'lazy',
                  class: 'mask-thumb',
                  ...REMOTE_IMAGE,
                })
              : null,
          )
        : null,
      item.images.length > 0
        ? resultGrid(item.images, {
            prompt: item.prompt || item.operation,
            altText: item.prompt ? `Result: ${item.prompt}` : 'Result',
            onEdit: (image) =>
              this.context.openInEditor({ url: image.url, name: `${item.id}.png` }),
          })
        : null,
      parametersList(item, seed),
      cardMessage.element,
      actions,
    );

    const generate = item.kind === 'generation' ? generateRequestFrom(item) : null;
    const edit = item.kind === 'edit' ? editRequestFrom(item) : null;
    const button = (label: string, testId: string, className: string, onClick: () => void) =>
      h(
        'button',
        { type: 'button', class: `${className} small`, 'data-testid': testId, onclick: onClick },
        label,
      );

    const again = failure
      ? button(
          'Retry',
          'history-retry',
          'button-primary',
          () => void this.rerun(item, card, cardMessage),
        )
      : button(
          'Re-run',
          'history-rerun',
          'button-secondary',
          () => void this.rerun(item, card, cardMessage),
        );
    again.title =
      seed === undefined ? 'Run again with the same settings' : `Run again with seed ${seed}`;
    if (!generate && !edit) {
      again.disabled = true;
      again.title = 'This record does not keep enough settings to run it again.';
    }
    if (state === 'pending') again.hidden = true;

    const open = generate
      ? button('Open in Generate', 'history-open', 'button-ghost', () =>
          this.context.openInGenerator(generate, false),
        )
      : edit && inputUrlOf(item)
        ? button('Open in Edit', 'history-open', 'button-ghost', () =>
            this.context.openInEditor({
              url: inputUrlOf(item)!,
              name: `${item.id}-input.png`,
              settings: edit,
            }),
          )
        : null;
    const moreLikeThis =
      generate && state === 'succeeded'
        ? button('More like this', 'history-more', 'button-ghost', () => {
            const { seed: _seed, ...withoutSeed } = generate;
            this.context.openInGenerator(withoutSeed, true);
          })
        : null;
    const deleteButton = button('Delete', 'history-delete', 'button-danger', () => undefined);
    deleteButton.addEventListener(
      'click',
      () => void this.remove(item, card, deleteButton, cardMessage),
    );
    append(actions, [again, open, moreLikeThis, deleteButton]);
    return card;
  }

  /**
   * Runs a record again with the same settings and seed. A generation goes to the Generate view
   * (its progress and results are shown there); an edit runs here and the list reloads.
   */
  private async rerun(item: HistoryItem, card: HTMLElement, message: MessageBox): Promise<void> {
    message.clear();
    const generate = item.kind === 'generation' ? generateRequestFrom(item) : null;
    if (generate) {
      this.context.openInGenerator(generate, true);
      return;
    }
    const edit = editRequestFrom(item);
    if (!edit) return;
    const buttons = [...card.querySelectorAll<HTMLButtonElement>('.card-actions button')];
    for (const each of buttons) each.disabled = true;
    const progress = startProgress(card, 'Running the edit again…');
    try {
      const maskUrl = maskUrlOf(item);
      if (maskUrl && !edit.maskPrompt) edit.mask = await fetchBase64(maskUrl);
      await runJob(
        this.context.api,
        { type: 'edit', ...edit },
        {
          onProgress: ({ status }) =>
            progress.setLabel(status === 'queued' ? 'Queued…' : 'Running the edit again…'),
        },
      );
      this.context.markHistoryStale();
      await this.load(true);
      this.list.querySelector<HTMLElement>('[data-testid="history-item"]')?.focus();
    } catch (error) {
      const text = describeError(error);
      message.show(
        text.message,
        'error',
        text.retryable
          ? { label: 'Retry', run: () => void this.rerun(item, card, message) }
          : undefined,
      );
      message.element.focus();
    } finally {
      progress.stop();
      for (const each of buttons) if (each.isConnected) each.disabled = false;
    }
  }

  private async remove(
    item: HistoryItem,
    card: HTMLElement,
    button: HTMLButtonElement,
    message: MessageBox,
  ): Promise<void> {
    if (!window.confirm('Delete this record and its images? This cannot be undone.')) return;
    button.disabled = true;
    try {
      await this.context.api.deleteHistoryItem(item.id);
      const next = (card.nextElementSibling ?? card.previousElementSibling) as HTMLElement | null;
      card.remove();
      this.items.delete(item.id);
      this.applyFilter();
      (next?.querySelector<HTMLElement>('button') ?? this.title).focus();
    } catch (error) {
      message.show(errorMessage(error));
      button.disabled = false;
    }
  }
}

/** Succeeded, failed or still running; a record with an error code is failed whatever it says. */
function statusOf(item: HistoryItem): 'succeeded' | 'failed' | 'pending' {
  if (item.status === 'failed' || item.errorCode !== undefined) return 'failed';
  return item.status === 'pending' ? 'pending' : 'succeeded';
}

async function fetchBase64(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error('The saved mask could not be downloaded; refresh history and retry.');
  return bytesToBase64(new Uint8Array(await response.arrayBuffer()));
}

function parametersList(item: HistoryItem, seed: number | undefined): HTMLElement | null {
  const entries = Object.entries(item.parameters ?? {}).filter(
    ([key, value]) =>
      value !== undefined &&
      value !== null &&
      key !== 'prompt' &&
      key !== 'imageKey' &&
      key !== 'mask',
  );
  if (seed !== undefined && !entries.some(([key]) => key === 'seed')) entries.push(['seed', seed]);
  if (entries.length === 0) return null;
  return h(
    'details',
    { class: 'parameters' },
    h('summary', null, 'Parameters'),
    h(
      'dl',
      null,
      entries.flatMap(([key, value]) => [
        h('dt', null, key),
        h('dd', null, typeof value === 'string' ? value : JSON.stringify(value)),
      ]),
    ),
  );
}

function relativeTime(iso: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((Date.now() - then) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(seconds) < 60) return format.format(-seconds, 'second');
  if (Math.abs(seconds) < 3600) return format.format(-Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86400) return format.format(-Math.round(seconds / 3600), 'hour');
  if (Math.abs(seconds) < 86400 * 30) return format.format(-Math.round(seconds / 86400), 'day');
  return new Date(then).toLocaleDateString();
}
