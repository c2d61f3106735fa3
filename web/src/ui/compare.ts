import { h, uid } from './dom.js';

/**
 * Before/after view: the result drawn over the original and clipped at a slider, which is a
 * plain range input so it works with the keyboard and screen readers.
 */
export function beforeAfter(beforeUrl: string, afterUrl: string): HTMLElement {
  const sliderId = uid('compare');
  const after = h('img', {
    src: afterUrl,
    alt: 'After: the edited image',
    class: 'compare-after',
    'data-testid': 'edit-result-image',
  });
  const slider = h('input', {
    id: sliderId,
    type: 'range',
    min: 0,
    max: 100,
    value: 50,
    class: 'compare-slider',
    'aria-label': 'Before and after: move left to see more of the edit, right for the original',
  });
  const handle = h('div', { class: 'compare-handle', 'aria-hidden': 'true' });
  const frame = h(
    'div',
    { class: 'compare-frame' },
    h('img', { src: beforeUrl, alt: 'Before: the original image', class: 'compare-before' }),
    after,
    handle,
    h('span', { class: 'compare-label left', 'aria-hidden': 'true' }, 'After'),
    h('span', { class: 'compare-label right', 'aria-hidden': 'true' }, 'Before'),
  );
  const update = () => {
    const percent = Number(slider.value);
    after.style.clipPath = `inset(0 ${100 - percent}% 0 0)`;
    handle.style.left = `${percent}%`;
  };
  slider.addEventListener('input', update);
  // The result decides the frame's shape (outpainting makes it larger than the original).
  after.addEventListener('load', () => {
    frame.style.aspectRatio = `${after.naturalWidth} / ${after.naturalHeight}`;
  });
  update();
  return h('div', { class: 'compare' }, frame, slider);
}
