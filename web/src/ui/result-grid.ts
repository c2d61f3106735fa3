import type { ResultImage } from '../api/types.js';
import { h } from './dom.js';
import { downloadImage, extensionFor } from './images.js';

export interface ResultGridOptions {
  /** Base of download names, e.g. the record id. */
  fileBase: string;
  altText: string;
  /** Offered as "Edit" on each image when given. */
  onEdit?: (image: ResultImage) => void;
  onReuseSeed?: (seed: number) => void;
}

/** A grid of result images, each with its seed, a download button and optional actions. */
export function resultGrid(images: ResultImage[], options: ResultGridOptions): HTMLElement {
  return h(
    'ul',
    { class: 'result-grid', 'data-testid': 'results-grid' },
    images.map((image, index) => {
      const fileName = `${options.fileBase}-${index + 1}.${extensionFor(image.url)}`;
      const seed = image.seed;
      return h(
        'li',
        { class: 'result-card' },
        h(
          'a',
          { href: image.url, target: '_blank', rel: 'noopener', class: 'result-link' },
          h('img', {
            src: image.url,
            alt: `${options.altText} (${index + 1} of ${images.length})`,
            loading: 'lazy',
            'data-testid': 'result-image',
          }),
        ),
        h(
          'div',
          { class: 'result-actions' },
          typeof seed === 'number'
            ? h(
                'span',
                { class: 'seed', title: 'Seed: the same seed and settings give the same image' },
                `Seed ${seed}`,
              )
            : null,
          h(
            'a',
            {
              href: image.url,
              download: fileName,
              class: 'button-ghost small',
              'data-testid': 'download-link',
              onclick: (event: Event) => {
                event.preventDefault();
                void downloadImage(image.url, fileName);
              },
            },
            'Download',
          ),
          options.onEdit
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'button-ghost small',
                  onclick: () => options.onEdit?.(image),
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
