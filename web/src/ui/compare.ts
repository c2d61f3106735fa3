import { h, uid } from './dom.js';
import { REMOTE_IMAGE } from './images.js';

/**
 * Before/after view: the original on the left of a divider, the result on the right, as the labels
 * say; the divider is a plain range input so it works with the keyboard and screen readers.
 */
export function beforeAfter(beforeUrl: string, afterUrl: string): HTMLElement {
  const sliderId = uid('compare');
  const after = h('img', {
    src: afterUrl,
    alt: 'After: the edited image',
    class: 'compare-after',
    'data-testid': 'edit-result-image',
    ...REMOTE_IMAGE,
  });
  const slider = h('input', {
    id: sliderId,
    type: 'range',
    min: 0,
    max: 100,
    value: 50,
    class: 'compare-slider',
    'data-testid': 'compare-slider',
    'aria-label': 'Divider: the original is left of it, the edit right of it',
  });
  const handle = h('div', { class: 'compare-handle', 'aria-hidden': 'true' });
  const frame = h(
    'div',
    { class: 'compare-frame' },
    h('img', {
      src: beforeUrl,
      alt: 'Before: the original image',
      class: 'compare-before',
      ...REMOTE_IMAGE,
    }),
    after,
    handle,
    h('span', { class: 'compare-label left', 'aria-hidden': 'true' }, 'Before'),
    h('span', { class: 'compare-label right', 'aria-hidden': 'true' }, 'After'),
  );
  const update = () => {
    const percent = Number(slider.value);
    // Right of the divider shows the edit: moving it right shows more of the original.
    after.style.clipPath = `inset(0 0 0 ${percent}%)`;
    handle.style.left = `${percent}%`;
    slider.setAttribute('aria-valuetext', `${percent}% original, ${100 - percent}% edit`);
  };
  slider.addEventListener('input', update);
  // The result decides the frame's shape (outpainting makes it larger than the original).
  after.addEventListener('load', () => {
    frame.style.aspectRatio = `${after.naturalWidth} / ${after.naturalHeight}`;
  });
  update();
  return h('div', { class: 'compare' }, frame, slider);
}
