/** A tiny hyperscript helper: enough structure for small views without a framework. */
import { describeError } from '../error-text.js';

type Child = Node | string | number | null | undefined | false;
type AttributeValue = string | number | boolean | null | undefined | EventListener;

export type Attributes = Record<string, AttributeValue> & {
  class?: string;
  dataset?: never;
};

/**
 * Creates an element. `on*` function attributes become listeners; booleans toggle attributes;
 * `null`/`undefined`/`false` attributes are skipped.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes | null = null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (attributes) {
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (typeof value === 'function') {
        element.addEventListener(name.slice(2).toLowerCase(), value);
      } else if (value === true) {
        element.setAttribute(name, '');
      } else if (name === 'value' && 'value' in element) {
        (element as HTMLInputElement).value = String(value);
      } else {
        element.setAttribute(name, String(value));
      }
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let idCounter = 0;
/** Unique ids for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: label, control, optional hint wired with aria-describedby. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): HTMLDivElement {
  control.id ||= uid('field');
  const hintElement = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintElement);
}

export interface MessageBox {
  element: HTMLDivElement;
  /** `action` adds a button after the text (e.g. Retry). */
  show: (
    message: string,
    tone?: 'error' | 'info' | 'success',
    action?: { label: string; run: () => void; testId?: string },
  ) => void;
  clear: () => void;
}

/** An error or info message region that screen readers announce; focusable for focus management. */
export function messageBox(): MessageBox {
  const element = h('div', {
    class: 'message',
    role: 'alert',
    hidden: true,
    tabindex: -1,
    id: uid('message'),
  });
  return {
    element,
    show(message, tone = 'error', action) {
      replaceChildren(
        element,
        h('span', null, message),
        action
          ? h(
              'button',
              {
                type: 'button',
                class: 'button-secondary small',
                'data-testid': action.testId ?? 'message-action',
                onclick: action.run,
              },
              action.label,
            )
          : null,
      );
      element.className = `message message-${tone}`;
      element.hidden = false;
    },
    clear() {
      element.textContent = '';
      element.hidden = true;
    },
  };
}

/** The message to show for anything thrown: plain words, never a raw code (see error-text.ts). */
export function errorMessage(error: unknown): string {
  return describeError(error).message;
}

let announcer: HTMLElement | null = null;
/** Says something to screen readers and shows it briefly ("Prompt copied"). */
export function announce(message: string): void {
  if (!announcer || !announcer.isConnected) {
    announcer = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite', hidden: true });
    document.body.append(announcer);
  }
  const toast = announcer;
  toast.textContent = message;
  toast.hidden = false;
  window.clearTimeout(Number(toast.dataset.timer));
  toast.dataset.timer = String(window.setTimeout(() => (toast.hidden = true), 2500));
}

/**
 * Scrolls `element` into view when it is not already (on a phone, progress and results sit below
 * the form). The sticky header is kept clear by `scroll-margin-top` in the CSS.
 */
export function reveal(element: Element): void {
  const rect = element.getBoundingClientRect();
  const header = document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;
  const visible = rect.top >= header && rect.top < window.innerHeight - 48;
  if (!visible) element.scrollIntoView({ block: 'start' });
}

/** Marks a field as rejected (aria-invalid, described by the message) until it is edited. */
export function markInvalid(
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  messageId: string,
): void {
  control.setAttribute('aria-invalid', 'true');
  const describedBy = control.getAttribute('aria-describedby') ?? '';
  if (!describedBy.split(' ').includes(messageId)) {
    control.setAttribute('aria-describedby', `${describedBy} ${messageId}`.trim());
  }
  const clear = () => {
    control.removeAttribute('aria-invalid');
    const rest = (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && id !== messageId);
    if (rest.length > 0) control.setAttribute('aria-describedby', rest.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  control.addEventListener('input', clear, { once: true });
  control.addEventListener('change', clear, { once: true });
}
