import type { ResultImage } from '../api/types.js';
import { downloadFileName } from '../names.js';
import { announce, errorMessage, h } from './dom.js';
import { downloadImage, REMOTE_IMAGE } from './images.js';
import { openLightbox, type ViewerItem } from './lightbox.js';

export interface ResultGridOptions {
  /** The prompt that made the images: download names and the viewer's caption. */
  prompt: string | undefined;
  altText: string;
  /** Offered as "Edit" on each image (and "Edit this" in the viewer) when given. */
  onEdit?: (image: ResultImage) => void;
  onReuseSeed?: (seed: number) => void;
}

/**
 * A grid of result images. Each opens the full-size viewer (a button, so keyboards reach it) and
 * shows its seed, a Download that saves `<prompt-slug>-<seed>.png`, and optional actions.
 */
export function resultGrid(images: ResultImage[], options: ResultGridOptions): HTMLElement {
  const viewerItems: ViewerItem[] = images.map((image, index) => ({
    url: image.url,
    alt: `${options.altText} (${index + 1} of ${images.length})`,
    ...(options.prompt ? { prompt: options.prompt } : {}),
    seed: image.seed ?? null,
    fileName: downloadFileName({ prompt: options.prompt, seed: image.seed, index, url: image.url }),
  }));
  const onEdit = options.onEdit;
  const viewerActions = onEdit
    ? { onEdit: (item: ViewerItem) => onEdit(images[viewerItems.indexOf(item)]!) }
    : {};
  return h(
    'ul',
    { class: 'result-grid', 'data-testid': 'results-grid' },
    images.map((image, index) => {
      const item = viewerItems[index]!;
      const seed = image.seed;
      const download = h(
        'button',
        {
          type: 'button',
          class: 'button-ghost small',
          'data-testid': 'download-link',
          'data-filename': item.fileName,
          title: `Save as ${item.fileName}`,
        },
        'Download',
      );
      download.addEventListener('click', () => {
        download.disabled = true;
        downloadImage(image.url, item.fileName)
          .then(() => announce(`Saved ${item.fileName}`))
          .catch((error: unknown) => announce(errorMessage(error)))
          .finally(() => (download.disabled = false));
      });
      return h(
        'li',
        { class: 'result-card' },
        h(
          'button',
          {
            type: 'button',
            class: 'result-open',
            'data-testid': 'result-open',
            'aria-label': `View full size: ${item.alt}`,
            onclick: () => openLightbox(viewerItems, index, viewerActions),
          },
          h('img', {
            src: image.url,
            alt: item.alt,
            loading: 'lazy',
            'data-testid': 'result-image',
            ...REMOTE_IMAGE,
          }),
        ),
        h(
          'div',
          { class: 'result-actions' },
          typeof seed === 'number'
            ? h(
                'span',
                {
                  class: 'seed',
                  'data-testid': 'result-seed',
                  title: 'Seed: the same seed and settings give the same image',
                },
                `Seed ${seed}`,
              )
            : null,
          download,
          onEdit
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'button-ghost small',
                  'data-testid': 'result-edit',
                  onclick: () => onEdit(image),
                },
                'Edit',
              )
            : null,
          options.onReuseSeed && typeof seed === 'number'
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'button-ghost small',
                  onclick: () => options.onReuseSeed?.(seed),
                },
                'Use seed',
              )
            : null,
        ),
      );
    }),
  );
}
