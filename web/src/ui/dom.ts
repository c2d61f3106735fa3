/** A tiny hyperscript helper: enough structure for small views without a framework. */

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

/** An error or info message region that screen readers announce. */
export function messageBox(): {
  element: HTMLDivElement;
  show: (message: string, tone?: 'error' | 'info' | 'success') => void;
  clear: () => void;
} {
  const element = h('div', { class: 'message', role: 'alert', hidden: true });
  return {
    element,
    show(message, tone = 'error') {
      element.textContent = message;
      element.className = `message message-${tone}`;
      element.hidden = false;
    },
    clear() {
      element.textContent = '';
      element.hidden = true;
    },
  };
}

/** The message to show for anything thrown: errors from the API and SDK are already readable. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}
