import { announce } from './dom.js';

/** Copies text and says so; falls back to a selected textarea where the Clipboard API is missing. */
export async function copyText(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    if (!copied) {
      announce(`Could not copy the ${what}; select it and copy it by hand.`);
      return;
    }
  }
  announce(`${what[0]?.toUpperCase() ?? ''}${what.slice(1)} copied`);
}
