import { bytesToBase64 } from '../mask/png-encoder.js';
import type { HistoryItem } from '../api/types.js';
import {
  editRequestFrom,
  firstSeed,
  generateRequestFrom,
  inputUrlOf,
  maskUrlOf,
} from '../history-requests.js';
import { modelLabel } from '../models.js';
import type { AppContext } from './app-context.js';
import { append, errorMessage, h, messageBox, replaceChildren } from './dom.js';
import { startProgress } from './progress.js';
import { resultGrid } from './result-grid.js';

const PAGE_SIZE = 12;

/** The caller's past generations and edits, newest first, with re-run and delete. */
export class HistoryView {
  readonly element: HTMLElement;
  private readonly context: AppContext;
  private readonly list: HTMLUListElement;
  private readonly more: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly message = messageBox();
  private cursor: string | undefined;
  private stale = true;
  private loading = false;

  constructor(context: AppContext) {
    this.context = context;
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
    this.element = h(
      'section',
      { class: 'panel history', 'aria-labelledby': 'history-title' },
      h(
        'div',
        { class: 'results-header row' },
        h('h2', { id: 'history-title' }, 'History'),
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
    this.element.querySelector('h2')?.setAttribute('tabindex', '-1');
    this.element.querySelector<HTMLElement>('h2')?.focus();
  }

  private async load(reset: boolean): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.message.clear();
    this.more.disabled = true;
    if (reset) {
      this.cursor = undefined;
      replaceChildren(this.list);
    }
    const progress = startProgress(this.status, 'Loading history…');
    try {
      const page = await this.context.api.history(PAGE_SIZE, this.cursor);
      this.stale = false;
      this.cursor = page.nextCursor;
      for (const item of page.items) this.list.append(this.card(item));
      if (this.list.childElementCount === 0) {
        this.list.append(
          h(
            'li',
            { class: 'empty' },
            h('p', { class: 'empty-title' }, 'Nothing here yet'),
            h('p', { class: 'hint' }, 'Generated and edited images will show up here.'),
          ),
        );
      }
    } catch (error) {
      this.message.show(errorMessage(error));
    } finally {
      progress.stop();
      this.loading = false;
      this.more.hidden = !this.cursor;
      this.more.disabled = false;
    }
  }

  private card(item: HistoryItem): HTMLLIElement {
    const failed = item.status === 'failed' || item.errorCode !== undefined;
    const title = item.kind === 'edit' ? `Edit · ${item.operation ?? 'edit'}` : 'Generated';
    const seed = firstSeed(item);
    const cardMessage = messageBox();
    const actions = h('div', { class: 'card-actions' });
    const card = h(
      'li',
      { class: 'history-card', 'data-testid': 'history-item', 'data-id': item.id },
      h(
        'div',
        { class: 'card-head' },
        h('span', { class: `badge ${item.kind === 'edit' ? 'badge-edit' : ''}` }, title),
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
        failed ? h('span', { class: 'badge badge-error' }, item.errorCode ?? item.status) : null,
      ),
      item.prompt ? h('p', { class: 'card-prompt' }, item.prompt) : null,
      inputUrlOf(item)
        ? h(
            'div',
            { class: 'card-input' },
            h('span', { class: 'hint' }, 'Input'),
            h('img', { src: inputUrlOf(item), alt: 'Input image', loading: 'lazy' }),
            maskUrlOf(item) ? h('span', { class: 'hint' }, 'Mask') : null,
            maskUrlOf(item)
              ? h('img', {
                  src: maskUrlOf(item),
                  alt: 'Mask (white = edited)',
                  loading: 'lazy',
                  class: 'mask-thumb',
                })
              : null,
          )
        : null,
      item.images.length > 0
        ? resultGrid(item.images, {
            fileBase: `${item.kind}-${item.id}`,
            altText: item.prompt ? `Result: ${item.prompt}` : 'Result',
            onEdit: (image) =>
              this.context.openInEditor({ url: image.url, name: `${item.id}.png` }),
          })
        : null,
      parametersList(item, seed),
      cardMessage.element,
      actions,
    );

    const rerun = h(
      'button',
      { type: 'button', class: 'button-secondary small', 'data-testid': 'history-rerun' },
      'Re-run',
    );
    rerun.title =
      seed === undefined ? 'Run again with the same settings' : `Run again with seed ${seed}`;
    rerun.addEventListener('click', () => void this.rerun(item, rerun, cardMessage, card));
    const request = item.kind === 'generate' ? generateRequestFrom(item) : null;
    const editRequest = item.kind === 'edit' ? editRequestFrom(item) : null;
    if (!request && !editRequest) {
      rerun.disabled = true;
      rerun.title = 'This record does not keep enough settings to run it again.';
    }
    const deleteButton = h(
      'button',
      { type: 'button', class: 'button-danger small', 'data-testid': 'history-delete' },
      'Delete',
    );
    deleteButton.addEventListener(
      'click',
      () => void this.remove(item, card, deleteButton, cardMessage),
    );
    append(actions, [
      rerun,
      request
        ? h(
            'button',
            {
              type: 'button',
              class: 'button-ghost small',
              onclick: () => this.context.openInGenerator(request, false),
            },
            'Open in Generate',
          )
        : null,
      deleteButton,
    ]);
    return card;
  }

  private async rerun(
    item: HistoryItem,
    button: HTMLButtonElement,
    message: ReturnType<typeof messageBox>,
    card: HTMLElement,
  ): Promise<void> {
    message.clear();
    const generate = item.kind === 'generate' ? generateRequestFrom(item) : null;
    if (generate) {
      // Generation shows best in its own view, with the form filled for further tweaks.
      this.context.openInGenerator(generate, true);
      return;
    }
    const edit = editRequestFrom(item);
    if (!edit) return;
    button.disabled = true;
    const progress = startProgress(card, 'Running the edit again…');
    try {
      const maskUrl = maskUrlOf(item);
      if (maskUrl && !edit.maskPrompt) edit.mask = await fetchBase64(maskUrl);
      await this.context.api.edit(edit);
      await this.load(true);
    } catch (error) {
      message.show(errorMessage(error));
    } finally {
      progress.stop();
      button.disabled = false;
    }
  }

  private async remove(
    item: HistoryItem,
    card: HTMLElement,
    button: HTMLButtonElement,
    message: ReturnType<typeof messageBox>,
  ): Promise<void> {
    if (!window.confirm('Delete this record and its images? This cannot be undone.')) return;
    button.disabled = true;
    try {
      await this.context.api.deleteHistoryItem(item.id);
      const next = (card.nextElementSibling ?? card.previousElementSibling) as HTMLElement | null;
      card.remove();
      next?.querySelector<HTMLElement>('button')?.focus();
    } catch (error) {
      message.show(errorMessage(error));
      button.disabled = false;
    }
  }
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
