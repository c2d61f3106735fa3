import { copyText } from './clipboard.js';
import { announce, errorMessage, h, replaceChildren } from './dom.js';
import { downloadImage, REMOTE_IMAGE } from './images.js';

/** One picture the viewer can show, with what its actions need. */
export interface ViewerItem {
  url: string;
  alt: string;
  prompt?: string;
  seed?: number | null;
  fileName: string;
}

export interface ViewerActions {
  /** "Edit this": opens the picture as the edit input. */
  onEdit?: (item: ViewerItem) => void;
}

/**
 * A full-size viewer on a modal <dialog> (the browser traps focus and closes it on Escape), with
 * ←/→ between pictures, copy prompt, copy seed, download and "edit this". Focus returns to the
 * element that opened it.
 */
export function openLightbox(
  items: ViewerItem[],
  start: number,
  actions: ViewerActions = {},
): void {
  if (items.length === 0) return;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  let index = Math.min(Math.max(0, start), items.length - 1);

  const image = h('img', {
    class: 'lightbox-image',
    'data-testid': 'lightbox-image',
    ...REMOTE_IMAGE,
  });
  const caption = h('p', { class: 'lightbox-caption', id: 'lightbox-caption' });
  const position = h('span', { class: 'meta', 'data-testid': 'lightbox-position' });
  const previous = h(
    'button',
    {
      type: 'button',
      class: 'button-ghost',
      'aria-label': 'Previous image',
      'data-testid': 'lightbox-previous',
    },
    '‹ Previous',
  );
  const next = h(
    'button',
    {
      type: 'button',
      class: 'button-ghost',
      'aria-label': 'Next image',
      'data-testid': 'lightbox-next',
    },
    'Next ›',
  );
  const copyPrompt = h(
    'button',
    { type: 'button', class: 'button-secondary small', 'data-testid': 'lightbox-copy-prompt' },
    'Copy prompt',
  );
  const copySeed = h(
    'button',
    { type: 'button', class: 'button-secondary small', 'data-testid': 'lightbox-copy-seed' },
    'Copy seed',
  );
  const download = h(
    'button',
    { type: 'button', class: 'button-secondary small', 'data-testid': 'lightbox-download' },
    'Download',
  );
  const edit = actions.onEdit
    ? h(
        'button',
        { type: 'button', class: 'button-primary small', 'data-testid': 'lightbox-edit' },
        'Edit this',
      )
    : null;
  const close = h(
    'button',
    { type: 'button', class: 'button-ghost lightbox-close', 'data-testid': 'lightbox-close' },
    'Close',
  );
  const title = h('h2', { class: 'visually-hidden', id: 'lightbox-title' }, 'Image viewer');
  const dialog = h(
    'dialog',
    {
      class: 'lightbox',
      'aria-labelledby': 'lightbox-title',
      'aria-describedby': 'lightbox-caption',
      'data-testid': 'lightbox',
    },
    // The body fills the dialog, so a click whose target is the dialog itself is on the backdrop.
    h(
      'div',
      { class: 'lightbox-body' },
      h('div', { class: 'lightbox-top' }, title, position, close),
      h('div', { class: 'lightbox-stage' }, image),
      caption,
      h(
        'div',
        { class: 'lightbox-actions' },
        items.length > 1 ? previous : null,
        copyPrompt,
        copySeed,
        download,
        edit,
        items.length > 1 ? next : null,
      ),
    ),
  );

  const show = () => {
    const item = items[index]!;
    image.src = item.url;
    image.alt = item.alt;
    position.textContent = items.length > 1 ? `${index + 1} of ${items.length}` : '';
    replaceChildren(
      caption,
      item.prompt ?? '',
      typeof item.seed === 'number' ? h('span', { class: 'seed' }, ` · Seed ${item.seed}`) : null,
    );
    copyPrompt.hidden = !item.prompt;
    copySeed.hidden = typeof item.seed !== 'number';
    previous.disabled = index === 0;
    next.disabled = index === items.length - 1;
  };
  const go = (step: number) => {
    const target = index + step;
    if (target < 0 || target >= items.length) return;
    index = target;
    show();
  };
  previous.addEventListener('click', () => go(-1));
  next.addEventListener('click', () => go(1));
  copyPrompt.addEventListener('click', () => void copyText(items[index]!.prompt ?? '', 'prompt'));
  copySeed.addEventListener('click', () => void copyText(String(items[index]!.seed), 'seed'));
  download.addEventListener('click', () => {
    const item = items[index]!;
    download.disabled = true;
    downloadImage(item.url, item.fileName)
      .then(() => announce(`Saved ${item.fileName}`))
      .catch((error: unknown) => announce(errorMessage(error)))
      .finally(() => (download.disabled = false));
  });
  edit?.addEventListener('click', () => {
    const item = items[index]!;
    dialog.close();
    actions.onEdit?.(item);
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement)
      return;
    if (event.key === 'ArrowLeft') {
      event.preventDefault();
      go(-1);
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      go(1);
    }
  });
  // A click on the backdrop (outside the dialog's box) closes it, as people expect.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
  });

  show();
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
