import { h } from './dom.js';

/**
 * An indeterminate progress bar with elapsed seconds: image models take 5–30 s and a silent wait
 * feels broken. `stop()` removes it.
 */
export function startProgress(
  container: HTMLElement,
  label: string,
  onCancel?: () => void,
): { stop: () => void; setLabel: (text: string) => void } {
  const labelElement = h('span', { 'data-testid': 'progress-label' }, label);
  const elapsed = h('span', { class: 'progress-elapsed' }, '0 s');
  const cancel = onCancel
    ? h('button', { type: 'button', class: 'button-ghost', onclick: onCancel }, 'Cancel')
    : null;
  const element = h(
    'div',
    { class: 'progress', role: 'status', 'aria-live': 'polite', 'data-testid': 'progress' },
    h(
      'div',
      { class: 'progress-track', 'aria-hidden': 'true' },
      h('div', { class: 'progress-bar' }),
    ),
    h('div', { class: 'progress-row' }, labelElement, elapsed, cancel),
  );
  container.append(element);
  const started = performance.now();
  const timer = window.setInterval(() => {
    elapsed.textContent = `${Math.round((performance.now() - started) / 1000)} s`;
  }, 1000);
  return {
    /** Long requests run as jobs: the label follows them ("Queued…", "Generating…"). */
    setLabel(text) {
      labelElement.textContent = text;
    },
    stop() {
      window.clearInterval(timer);
      element.remove();
    },
  };
}
