import { displayRadiusToImage, displayToImage } from '../mask/coordinates.js';
import { MaskDocument } from '../mask/mask-document.js';
import { encodeMaskBase64 } from '../mask/png-encoder.js';
import type { PixelRect, Point } from '../mask/rasterize.js';
import { h, uid } from './dom.js';

/** Overlay colour for painted pixels (the canvas's CSS opacity sets how strong it looks). */
const PAINT_RGB = [255, 64, 129] as const;

/**
 * The canvas UI over the pure MaskDocument: shows the image, feeds pointer strokes converted from
 * display to image pixels, and redraws only the rectangle each change touched.
 */
export class MaskPainter {
  readonly element: HTMLElement;
  readonly mask: MaskDocument;
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly cursor: HTMLDivElement;
  private readonly status: HTMLParagraphElement;
  private readonly buttons: Record<
    'brush' | 'eraser' | 'undo' | 'redo' | 'clear' | 'invert',
    HTMLButtonElement
  >;
  private readonly sizeInput: HTMLInputElement;
  private erasing = false;
  private activePointer: number | null = null;
  private readonly onChange: () => void;

  constructor(imageUrl: string, width: number, height: number, onChange: () => void = () => {}) {
    this.mask = new MaskDocument(width, height);
    this.onChange = onChange;

    this.canvas = h('canvas', {
      class: 'mask-canvas',
      width,
      height,
      tabindex: 0,
      'data-testid': 'mask-canvas',
      'aria-label':
        'Mask painter: drag over the image to mark the area to change. Shortcuts: B brush, E eraser, [ and ] brush size, Ctrl+Z undo, Ctrl+Shift+Z redo.',
      role: 'img',
    });
    const context = this.canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw on a canvas.');
    this.context = context;
    this.cursor = h('div', { class: 'brush-cursor', 'aria-hidden': 'true', hidden: true });

    const sizeId = uid('brush-size');
    this.sizeInput = h('input', {
      id: sizeId,
      type: 'range',
      min: 4,
      max: 160,
      step: 2,
      value: 36,
      'data-testid': 'brush-size',
    });
    const opacityId = uid('mask-opacity');
    const opacityInput = h('input', {
      id: opacityId,
      type: 'range',
      min: 10,
      max: 100,
      step: 5,
      value: 55,
      'data-testid': 'mask-opacity',
    });
    opacityInput.addEventListener('input', () => {
      this.canvas.style.opacity = String(Number(opacityInput.value) / 100);
    });
    this.canvas.style.opacity = '0.55';

    const button = (label: string, testId: string, onClick: () => void, title: string) =>
      h(
        'button',
        { type: 'button', class: 'tool', 'data-testid': testId, title, onclick: onClick },
        label,
      );
    this.buttons = {
      brush: button(
        'Brush',
        'mask-brush',
        () => this.setErasing(false),
        'Paint the area to change (B)',
      ),
      eraser: button('Eraser', 'mask-eraser', () => this.setErasing(true), 'Remove paint (E)'),
      undo: button('Undo', 'mask-undo', () => this.run(() => this.mask.undo()), 'Undo (Ctrl+Z)'),
      redo: button(
        'Redo',
        'mask-redo',
        () => this.run(() => this.mask.redo()),
        'Redo (Ctrl+Shift+Z)',
      ),
      clear: button(
        'Clear',
        'mask-clear',
        () => this.run(() => this.mask.clear()),
        'Remove all paint',
      ),
      invert: button(
        'Invert',
        'mask-invert',
        () => this.run(() => this.mask.invert()),
        'Swap painted and unpainted',
      ),
    };
    this.status = h('p', { class: 'hint', 'aria-live': 'polite' });

    const toolbar = h(
      'div',
      { class: 'mask-toolbar', role: 'toolbar', 'aria-label': 'Mask tools' },
      h(
        'div',
        { class: 'tool-group', role: 'group', 'aria-label': 'Tool' },
        this.buttons.brush,
        this.buttons.eraser,
      ),
      h('div', { class: 'tool-slider' }, h('label', { for: sizeId }, 'Size'), this.sizeInput),
      h('div', { class: 'tool-slider' }, h('label', { for: opacityId }, 'Opacity'), opacityInput),
      h(
        'div',
        { class: 'tool-group', role: 'group', 'aria-label': 'History' },
        this.buttons.undo,
        this.buttons.redo,
      ),
      h(
        'div',
        { class: 'tool-group', role: 'group', 'aria-label': 'Whole mask' },
        this.buttons.clear,
        this.buttons.invert,
      ),
    );
    const stage = h(
      'div',
      { class: 'mask-stage' },
      h('img', {
        src: imageUrl,
        alt: 'Image being edited',
        class: 'mask-image',
        draggable: 'false',
      }),
      this.canvas,
      this.cursor,
    );
    this.element = h(
      'div',
      { class: 'mask-painter', 'data-testid': 'mask-painter' },
      toolbar,
      stage,
      this.status,
    );

    this.bindPointer();
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.setErasing(false);
    this.updateState();
  }

  /** The mask for POST /edits, or undefined when nothing is painted. */
  exportBase64(): string | undefined {
    if (this.mask.isEmpty()) return undefined;
    return encodeMaskBase64(this.mask.pixels, this.mask.width, this.mask.height);
  }

  private setErasing(erasing: boolean): void {
    this.erasing = erasing;
    this.buttons.brush.setAttribute('aria-pressed', String(!erasing));
    this.buttons.eraser.setAttribute('aria-pressed', String(erasing));
    this.cursor.classList.toggle('erasing', erasing);
  }

  private run(action: () => unknown): void {
    action();
    this.redraw(null);
    this.updateState();
  }

  private updateState(): void {
    this.buttons.undo.disabled = !this.mask.canUndo;
    this.buttons.redo.disabled = !this.mask.canRedo;
    const painted = this.mask.paintedCount();
    const total = this.mask.width * this.mask.height;
    this.status.textContent =
      painted === 0
        ? `Nothing painted yet. Mask size ${this.mask.width}×${this.mask.height}.`
        : `${Math.max(1, Math.round((painted / total) * 100))}% of the image painted.`;
    this.onChange();
  }

  private displaySize(): { width: number; height: number; left: number; top: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { width: rect.width, height: rect.height, left: rect.left, top: rect.top };
  }

  private toImagePoint(event: PointerEvent): Point {
    const display = this.displaySize();
    return displayToImage(
      { x: event.clientX - display.left, y: event.clientY - display.top },
      display,
      this.mask,
    );
  }

  private brushRadius(): number {
    const diameter = Number(this.sizeInput.value);
    return Math.max(0.5, displayRadiusToImage(diameter / 2, this.displaySize(), this.mask));
  }

  private bindPointer(): void {
    const canvas = this.canvas;
    canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0 || this.activePointer !== null) return;
      event.preventDefault();
      // Without preventScroll the browser scrolls a partly hidden canvas into view mid-stroke, and
      // the rest of the stroke lands where the pointer now is over the moved canvas.
      canvas.focus({ preventScroll: true });
      canvas.setPointerCapture(event.pointerId);
      this.activePointer = event.pointerId;
      this.redraw(
        this.mask.beginStroke(this.toImagePoint(event), this.brushRadius(), this.erasing),
      );
    });
    canvas.addEventListener('pointermove', (event) => {
      this.moveCursor(event);
      if (event.pointerId !== this.activePointer) return;
      // Coalesced events keep fast strokes smooth where the browser batches pointer moves.
      const events = event.getCoalescedEvents?.() ?? [event];
      for (const each of events.length > 0 ? events : [event]) {
        this.redraw(this.mask.extendStroke(this.toImagePoint(each)));
      }
    });
    const finish = (event: PointerEvent) => {
      if (event.pointerId !== this.activePointer) return;
      this.activePointer = null;
      this.mask.endStroke();
      this.updateState();
    };
    canvas.addEventListener('pointerup', finish);
    canvas.addEventListener('pointercancel', finish);
    canvas.addEventListener('pointerleave', () => {
      this.cursor.hidden = true;
    });
    canvas.addEventListener('pointerenter', () => {
      this.cursor.hidden = false;
    });
  }

  private moveCursor(event: PointerEvent): void {
    const display = this.displaySize();
    const diameter = Number(this.sizeInput.value);
    this.cursor.hidden = false;
    this.cursor.style.width = `${diameter}px`;
    this.cursor.style.height = `${diameter}px`;
    this.cursor.style.transform = `translate(${event.clientX - display.left - diameter / 2}px, ${
      event.clientY - display.top - diameter / 2
    }px)`;
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLInputElement && target.type !== 'range') return;
    const key = event.key.toLowerCase();
    const modifier = event.ctrlKey || event.metaKey;
    if (modifier && key === 'z') {
      event.preventDefault();
      this.run(() => (event.shiftKey ? this.mask.redo() : this.mask.undo()));
    } else if (modifier && key === 'y') {
      event.preventDefault();
      this.run(() => this.mask.redo());
    } else if (!modifier && key === 'b') {
      this.setErasing(false);
    } else if (!modifier && key === 'e') {
      this.setErasing(true);
    } else if (!modifier && (key === '[' || key === ']')) {
      const step = key === ']' ? 8 : -8;
      this.sizeInput.value = String(Number(this.sizeInput.value) + step);
    }
  }

  /** Copies bitmap pixels inside `rect` (or everything) onto the overlay canvas. */
  private redraw(rect: PixelRect | null): void {
    const { width, height, pixels } = this.mask;
    const area = rect ?? { x0: 0, y0: 0, x1: width, y1: height };
    const areaWidth = area.x1 - area.x0;
    const areaHeight = area.y1 - area.y0;
    if (areaWidth <= 0 || areaHeight <= 0) return;
    const image = this.context.createImageData(areaWidth, areaHeight);
    const data = image.data;
    for (let y = 0; y < areaHeight; y++) {
      const row = (area.y0 + y) * width + area.x0;
      for (let x = 0; x < areaWidth; x++) {
        if (!pixels[row + x]) continue;
        const offset = (y * areaWidth + x) * 4;
        data[offset] = PAINT_RGB[0];
        data[offset + 1] = PAINT_RGB[1];
        data[offset + 2] = PAINT_RGB[2];
        data[offset + 3] = 255;
      }
    }
    this.context.putImageData(image, area.x0, area.y0);
  }
}
