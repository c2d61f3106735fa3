/**
 * Issue 11: a new user's whole journey through the SPA in a real browser, at desktop (1280×800)
 * and phone (390×844) size, against the stack `npm run dev` starts from a clean checkout (no
 * web/dist): first visit → sign in with the temporary password → generate (progress and results
 * in view, seeds shown) → full-size viewer → download saves `<prompt-slug>-<seed>.png` → edit from
 * the result → paint a mask with the canvas partly below the fold (pixels checked) → re-run from
 * History → a failed item with Retry → reload mid-job → sign out. Screenshots of every step land
 * in test-results/e2e/<viewport>/.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Locator, Page, Request } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/build.js';
import { launchChromium, PageRecorder } from './browser.js';
import { createUser, startDevStack, type DevStack } from './dev-stack.js';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'e2e');
const CHOSEN_PASSWORD = 'Chosen-Passw0rd!';
const SESSION_STORAGE_KEY = 'imagegen.session.v1';
const NOVA = 'amazon.nova-canvas-v1:0';
/** Stability inpaint grows the mask by this many pixels unless told otherwise (local-bedrock README). */
const STABILITY_GROW_MASK = 5;
/** Portrait, so that even on a phone the canvas is taller than what is left of the screen. */
const ORIGINAL = { width: 384, height: 512 };

interface Viewport {
  name: 'desktop' | 'phone';
  width: number;
  height: number;
  mobile: boolean;
}

const VIEWPORTS: Viewport[] = [
  { name: 'desktop', width: 1280, height: 800, mobile: false },
  { name: 'phone', width: 390, height: 844, mobile: true },
];

let stack: DevStack;
let browser: Browser;
let webDistBeforeStart = true;

function byTestId(id: string): string {
  return `[data-testid="${id}"]`;
}

/** A picture with detail everywhere (gradients plus a checker), so any change shows in pixels. */
function makeOriginalPng(): Buffer {
  const png = new PNG({ width: ORIGINAL.width, height: ORIGINAL.height });
  for (let y = 0; y < ORIGINAL.height; y += 1) {
    for (let x = 0; x < ORIGINAL.width; x += 1) {
      const offset = (y * ORIGINAL.width + x) * 4;
      const checker = (Math.floor(x / 32) + Math.floor(y / 32)) % 2 === 0 ? 40 : 0;
      png.data[offset] = Math.round((x / ORIGINAL.width) * 200) + checker;
      png.data[offset + 1] = Math.round((y / ORIGINAL.height) * 200) + checker;
      png.data[offset + 2] = 120;
      png.data[offset + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

async function fetchPng(url: string): Promise<PNG> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return PNG.sync.read(Buffer.from(await response.arrayBuffer()));
}

/** The parts of DOM elements used in page functions (the root tsconfig has no DOM library). */
interface Box {
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number };
}
interface DecodableImage {
  decode(): Promise<void>;
  naturalWidth: number;
  naturalHeight: number;
}

/** Waits until the browser has decoded the image; rejects if it could not load it. */
async function loadedSize(image: Locator): Promise<{ width: number; height: number }> {
  return image.evaluate(async (element: unknown) => {
    const img = element as DecodableImage;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  });
}

/** True when the element's top edge is on screen below the sticky header (what a person sees). */
async function topIsInView(locator: Locator): Promise<boolean> {
  return locator.evaluate((element: unknown) => {
    const view = globalThis as unknown as {
      innerHeight: number;
      document: { querySelector(selector: string): Box | null };
    };
    const header = view.document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;
    const rect = (element as Box).getBoundingClientRect();
    return rect.top >= header - 1 && rect.top < view.innerHeight;
  });
}

async function sourceOf(image: Locator): Promise<string> {
  const source = await image.getAttribute('src');
  if (!source) throw new Error('the image has no src');
  return source;
}

async function storedKeys(page: Page): Promise<string[]> {
  const { origins } = await page.context().storageState();
  return origins.flatMap((origin) => origin.localStorage.map((entry) => entry.name));
}

/** Waits for the view whose one visible <h1> says `text` (each view has exactly one). */
async function expectH1(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('h1:visible', { hasText: text }).waitFor();
  expect(await page.locator('h1:visible').count()).toBe(1);
}

/** Holds POSTs to /jobs until released, so the progress a real 5–30 s generation shows is seen. */
async function holdJobPosts(
  page: Page,
): Promise<{ release: () => void; posted: Promise<Request> }> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let posted: (request: Request) => void = () => undefined;
  const postedPromise = new Promise<Request>((resolve) => (posted = resolve));
  await page.route(
    (url) => url.pathname.endsWith('/jobs'),
    async (route) => {
      posted(route.request());
      await held;
      return route.fallback();
    },
    { times: 1 },
  );
  return { release, posted: postedPromise };
}

beforeAll(async () => {
  await rm(SCREENSHOTS, { recursive: true, force: true });
  // The global setup removed web/dist: npm run dev has to build the app itself.
  webDistBeforeStart = existsSync(path.join(REPO_ROOT, 'web', 'dist'));
  [stack, browser] = await Promise.all([startDevStack(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test('npm run dev builds the web app on a clean checkout and prints its URL', async () => {
  expect(webDistBeforeStart).toBe(false);
  expect(stack.banner).toContain('Building the web app');
  expect(stack.banner).not.toContain('NOT SERVED');
  expect(existsSync(path.join(REPO_ROOT, 'web', 'dist', 'index.html'))).toBe(true);
  const page = await fetch(stack.webUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="app">');
});

describe.each(VIEWPORTS)('a new user at $name size ($width×$height)', (viewport) => {
  let context: BrowserContext;
  let page: Page;
  let recorder: PageRecorder;
  const email = `e2e-${viewport.name}-${randomUUID().slice(0, 6)}@example.com`;
  const prompt = `a lighthouse at dusk ${randomUUID().slice(0, 6)}`;
  let firstSeed = 0;

  beforeAll(async () => {
    context = await browser.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      isMobile: viewport.mobile,
      hasTouch: viewport.mobile,
      deviceScaleFactor: 1,
      acceptDownloads: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(stack.webUrl).origin,
    });
    page = await context.newPage();
    // Generous: a cold Lambda on a busy 2-core machine can take seconds.
    page.setDefaultTimeout(30_000);
    recorder = new PageRecorder(page, path.join(SCREENSHOTS, viewport.name));
  });

  afterAll(async () => {
    await recorder?.writeTimings();
    await context?.close();
  });

  test('first visit: sign in with the temporary password, choose a new one', async () => {
    const temporary = await createUser(stack, email);
    await recorder.step('sign-in', async () => {
      await page.goto(stack.webUrl);
      await expectH1(page, /Sign in/);
      await page.fill(byTestId('signin-email'), email);
      await page.fill(byTestId('signin-password'), temporary);
      await page.click(byTestId('signin-submit'));
      await page.waitForSelector(byTestId('new-password'));
      await page.fill(byTestId('new-password'), CHOSEN_PASSWORD);
      await page.fill(byTestId('new-password-confirm'), CHOSEN_PASSWORD);
      await recorder.screenshot('new-password-form');
      await page.click(byTestId('new-password-submit'));
      // On a phone the address is hidden to save room; Sign out is always there.
      await page.waitForSelector(byTestId('sign-out'));
      expect(await page.textContent(byTestId('user-email'))).toBe(email);
      await expectH1(page, 'Generate images');
    });
  });

  test('generate with Nova: progress and results come into view, with the seed it drew', async () => {
    await recorder.step('generate', async () => {
      await page.fill(byTestId('generate-prompt'), prompt);
      // The pickers come from GET /models: Nova is listed with its lifecycle as the API reports it.
      await page
        .locator(`${byTestId('generate-model')} option[value="${NOVA}"]`, {
          hasText: 'end of life',
        })
        .waitFor({ state: 'attached' });
      await page.selectOption(byTestId('generate-model'), NOVA);
      // Only sizes the model accepts are offered (no free width and height).
      const sizes = await page.locator(`${byTestId('generate-aspect')} option`).allTextContents();
      expect(sizes).toContain('16:9');
      expect(sizes).not.toContain('Custom size…');
      await page.selectOption(byTestId('generate-aspect'), '16:9');
      await page.selectOption(byTestId('generate-count'), '2');
      expect(await page.textContent(byTestId('prompt-count'))).toMatch(/\/ 1,024 characters/);

      const hold = await holdJobPosts(page);
      await page.click(byTestId('generate-submit'));
      const progress = page.locator(`${byTestId('generate-results')} ${byTestId('progress')}`);
      await progress.waitFor({ state: 'visible' });
      expect(await topIsInView(progress)).toBe(true);
      await recorder.screenshot('generate-progress');
      const sent = (await hold.posted).postDataJSON() as Record<string, unknown>;
      expect(sent).toMatchObject({ type: 'generate', model: NOVA, aspectRatio: '16:9' });
      expect(sent).not.toHaveProperty('seed');
      hold.release();

      const images = page.locator(byTestId('result-image'));
      await images.nth(1).waitFor({ state: 'visible' });
      expect(await topIsInView(page.locator('.result-card').first())).toBe(true);
      expect(await loadedSize(images.first())).toEqual({ width: 1280, height: 720 });
      // Every picture that may be read back is loaded with CORS (see Edit and Download below).
      for (const image of await images.all()) {
        expect(await image.getAttribute('crossorigin')).toBe('anonymous');
      }
      const seeds = await page.locator(byTestId('result-seed')).allTextContents();
      expect(seeds).toHaveLength(2);
      expect(seeds[0]).toMatch(/^Seed \d+$/);
      firstSeed = Number(seeds[0]!.replace('Seed ', ''));
      expect(await page.locator(byTestId('progress')).count()).toBe(0);
    });
  });

  test('the viewer: keyboard navigation, copy prompt and seed, Escape returns focus', async () => {
    await recorder.step('lightbox', async () => {
      const opener = page.locator(byTestId('result-open')).first();
      await opener.focus();
      await page.keyboard.press('Enter');
      const dialog = page.locator(byTestId('lightbox'));
      await dialog.waitFor({ state: 'visible' });
      expect(await page.textContent(byTestId('lightbox-position'))).toBe('1 of 2');
      expect(await loadedSize(page.locator(byTestId('lightbox-image')))).toEqual({
        width: 1280,
        height: 720,
      });
      await page.keyboard.press('ArrowRight');
      expect(await page.textContent(byTestId('lightbox-position'))).toBe('2 of 2');
      await page.keyboard.press('ArrowLeft');
      expect(await page.textContent(byTestId('lightbox-position'))).toBe('1 of 2');

      await page.click(byTestId('lightbox-copy-prompt'));
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(prompt);
      await page.click(byTestId('lightbox-copy-seed'));
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(String(firstSeed));
      await recorder.screenshot('lightbox-open');

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(
        await opener.evaluate(
          (element: unknown) =>
            (globalThis as unknown as { document: { activeElement: unknown } }).document
              .activeElement === element,
        ),
      ).toBe(true);
    });
  });

  test('download saves <prompt-slug>-<seed>.png instead of opening a tab', async () => {
    await recorder.step('download', async () => {
      const pagesBefore = context.pages().length;
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(byTestId('download-link')).first().click(),
      ]);
      const slug = prompt.replace(/ /g, '-');
      expect(download.suggestedFilename()).toBe(`${slug}-${firstSeed}.png`);
      const saved = await download.path();
      const png = PNG.sync.read(await readFile(saved));
      expect({ width: png.width, height: png.height }).toEqual({ width: 1280, height: 720 });
      expect(context.pages()).toHaveLength(pagesBefore);
    });
  });

  test('edit from the result: the image the page already showed opens in the editor', async () => {
    await recorder.step('edit-from-result', async () => {
      await page.locator(byTestId('result-edit')).first().click();
      await page.locator(byTestId('mask-canvas')).waitFor({ state: 'visible' });
      await expectH1(page, 'Edit an image');
      const canvas = page.locator(byTestId('mask-canvas'));
      expect(await canvas.getAttribute('width')).toBe('1280');
      expect(await canvas.getAttribute('height')).toBe('720');
      expect(await page.locator('.message-error:visible').count()).toBe(0);
    });
  });

  test('paint a mask with the canvas partly below the fold: pixels land where painted', async () => {
    await recorder.step('edit-mask', async () => {
      const original = makeOriginalPng();
      await page.setInputFiles(byTestId('upload-input'), {
        name: 'pattern.png',
        mimeType: 'image/png',
        buffer: original,
      });
      await page.locator('.image-info').getByText('pattern.png').waitFor();
      await page.selectOption(byTestId('edit-operation'), 'inpaint');
      const canvas = page.locator(byTestId('mask-canvas'));
      // The canvas partly below the fold: at most its top quarter on screen.
      await canvas.evaluate((element: unknown) => {
        const view = globalThis as unknown as {
          innerHeight: number;
          scrollTo(x: number, y: number): void;
          scrollBy(x: number, y: number): void;
        };
        view.scrollTo(0, 0);
        const rect = (element as Box).getBoundingClientRect();
        const target = view.innerHeight - (rect.bottom - rect.top) / 4;
        if (rect.top > target) view.scrollBy(0, rect.top - target);
      });
      const box = await canvas.boundingBox();
      if (!box) throw new Error('the mask canvas has no size');
      expect(box.y + box.height).toBeGreaterThan(viewport.height);
      expect(box.y).toBeLessThan(viewport.height);
      const brushDiameter = Number(await page.inputValue(byTestId('brush-size')));
      const scale = ORIGINAL.width / box.width;
      const y = box.y + Math.min(box.height * 0.12, (viewport.height - box.y) / 2);
      const stroke = {
        from: { x: box.x + box.width * 0.3, y },
        to: { x: box.x + box.width * 0.7, y },
      };
      await page.mouse.move(stroke.from.x, stroke.from.y);
      await page.mouse.down();
      await page.mouse.move(stroke.to.x, stroke.to.y, { steps: 12 });
      await page.mouse.up();
      await recorder.screenshot('edit-mask-painted');

      const editPrompt = `a red balloon ${randomUUID().slice(0, 6)}`;
      await page.fill(byTestId('edit-prompt'), editPrompt);
      const posted = page.waitForRequest(
        (request) => request.method() === 'POST' && request.url().endsWith('/jobs'),
      );
      await page.click(byTestId('edit-submit'));
      const body = (await posted).postDataJSON() as { mask?: string; type: string };
      expect(body.type).toBe('edit');
      const mask = PNG.sync.read(Buffer.from(body.mask ?? '', 'base64'));
      expect({ width: mask.width, height: mask.height }).toEqual(ORIGINAL);

      const segment = {
        x1: (stroke.from.x - box.x) * scale,
        x2: (stroke.to.x - box.x) * scale,
        y: (stroke.from.y - box.y) * scale,
      };
      const radius = (brushDiameter / 2) * scale;
      const distanceToStroke = (x: number, py: number): number => {
        const nearestX = Math.min(Math.max(x, segment.x1), segment.x2);
        return Math.hypot(x - nearestX, py - segment.y);
      };
      // The mask itself: painted exactly around the stroke, nothing elsewhere.
      let strayPainted = 0;
      let onStroke = 0;
      let onStrokePainted = 0;
      for (let py = 0; py < ORIGINAL.height; py += 1) {
        for (let x = 0; x < ORIGINAL.width; x += 1) {
          const painted = mask.data[(py * ORIGINAL.width + x) * 4]! > 127;
          const distance = distanceToStroke(x + 0.5, py + 0.5);
          if (distance > radius + 2 && painted) strayPainted += 1;
          if (distance < radius - 2) {
            onStroke += 1;
            if (painted) onStrokePainted += 1;
          }
        }
      }
      expect(onStroke).toBeGreaterThan(500);
      expect(strayPainted).toBe(0);
      expect(onStrokePainted).toBe(onStroke);

      const result = page.locator(byTestId('edit-result-image'));
      await result.waitFor({ state: 'visible' });
      expect(await topIsInView(page.locator(`${byTestId('edit-results')} h2`))).toBe(true);
      await loadedSize(result);
      await recorder.screenshot('edit-compare', page.locator('.compare'));

      // The picture the model returned: changed under the stroke, untouched far from it.
      const edited = await fetchPng(await sourceOf(result));
      const before = PNG.sync.read(original);
      expect({ width: edited.width, height: edited.height }).toEqual(ORIGINAL);
      const differs = (x: number, py: number): boolean => {
        const offset = (py * ORIGINAL.width + x) * 4;
        return [0, 1, 2].some((c) => edited.data[offset + c] !== before.data[offset + c]);
      };
      const farAway = radius + STABILITY_GROW_MASK + 12;
      const counts = { far: 0, farChanged: 0, inside: 0, insideChanged: 0 };
      for (let py = 0; py < ORIGINAL.height; py += 1) {
        for (let x = 0; x < ORIGINAL.width; x += 1) {
          const distance = distanceToStroke(x + 0.5, py + 0.5);
          if (distance > farAway) {
            counts.far += 1;
            if (differs(x, py)) counts.farChanged += 1;
          } else if (distance < radius / 2) {
            counts.inside += 1;
            if (differs(x, py)) counts.insideChanged += 1;
          }
        }
      }
      expect(counts.farChanged).toBe(0);
      expect(counts.insideChanged / counts.inside).toBeGreaterThan(0.9);

      // The slider's labels match what it shows: the original on the left, the edit on the right.
      const labels = await page.locator('.compare-label').allTextContents();
      expect(labels).toEqual(['Before', 'After']);
      const clip = await result.evaluate(
        (element: unknown) => (element as { style: { clipPath: string } }).style.clipPath,
      );
      expect(clip).toBe('inset(0px 0px 0px 50%)');

      // "Use this result as the next input" reads the result back through CORS.
      await page.click(byTestId('use-as-input'));
      await page
        .locator('.image-info')
        .getByText(/^edit-/)
        .waitFor();
      expect(await page.locator('.message-error:visible').count()).toBe(0);
    });
  });

  test('remove-background hides the seed and count it ignores', async () => {
    await page.selectOption(byTestId('edit-operation'), 'remove-background');
    expect(await page.locator(byTestId('edit-seed')).isVisible()).toBe(false);
    expect(await page.locator(byTestId('edit-count')).isVisible()).toBe(false);
    await page.selectOption(byTestId('edit-operation'), 'inpaint');
    expect(await page.locator(byTestId('edit-seed')).isVisible()).toBe(true);
  });

  test('search-recolor from the form: the region in words, no mask, through /jobs', async () => {
    await recorder.step('edit-search-recolor', async () => {
      await page.selectOption(byTestId('edit-operation'), 'search-recolor');
      // No mask painting for an operation that takes none; a style preset but no strengths.
      expect(await page.locator(byTestId('mask-canvas')).isVisible()).toBe(false);
      expect(await page.locator(byTestId('edit-style')).isVisible()).toBe(true);
      expect(await page.locator(byTestId('edit-controlStrength')).isVisible()).toBe(false);
      const previous = await sourceOf(page.locator(byTestId('edit-result-image')).first());
      await page.fill(byTestId('edit-mask-prompt'), 'the checker squares');
      await page.fill(byTestId('edit-prompt'), 'bright teal');
      const posted = page.waitForRequest(
        (request) => request.method() === 'POST' && request.url().endsWith('/jobs'),
      );
      await page.click(byTestId('edit-submit'));
      const body = (await posted).postDataJSON() as Record<string, unknown>;
      expect(body).toMatchObject({
        type: 'edit',
        operation: 'search-recolor',
        maskPrompt: 'the checker squares',
        prompt: 'bright teal',
      });
      expect(body.mask).toBeUndefined();
      const result = page.locator(byTestId('edit-result-image')).first();
      await page.waitForFunction(
        ([selector, old]) =>
          (
            globalThis as unknown as {
              document: {
                querySelector(s: string): { getAttribute(name: string): string | null } | null;
              };
            }
          ).document
            .querySelector(selector!)
            ?.getAttribute('src') !== old,
        [byTestId('edit-result-image'), previous],
      );
      expect(await loadedSize(result)).toEqual(ORIGINAL);
      expect(await page.locator('.message-error:visible').count()).toBe(0);
      await page.selectOption(byTestId('edit-operation'), 'inpaint');
    });
  });

  test('re-run a generation from History with the same seed', async () => {
    await recorder.step('history-rerun', async () => {
      await page.click(byTestId('nav-history'));
      await expectH1(page, 'History');
      const item = page.locator(`${byTestId('history-item')}[data-kind="generation"]`).first();
      await item.waitFor({ state: 'visible' });
      expect(await item.locator('.card-prompt').textContent()).toBe(prompt);
      const rerun = item.locator(byTestId('history-rerun'));
      expect(await rerun.isEnabled()).toBe(true);

      const posted = page.waitForRequest(
        (request) => request.method() === 'POST' && request.url().endsWith('/jobs'),
      );
      await rerun.click();
      const body = (await posted).postDataJSON() as Record<string, unknown>;
      expect(body).toMatchObject({
        prompt,
        model: NOVA,
        aspectRatio: '16:9',
        seed: firstSeed,
        count: 2,
      });
      await page
        .locator(`${byTestId('results-grid')} ${byTestId('result-seed')}`)
        .first()
        .waitFor();
      expect(await page.locator(byTestId('result-seed')).first().textContent()).toBe(
        `Seed ${firstSeed}`,
      );
    });
  });

  test('a throttled generation keeps the earlier results, explains itself, and Retry works', async () => {
    await recorder.step('retry-failed', async () => {
      const failing = `${prompt} [[throttle]]`;
      await page.fill(byTestId('generate-prompt'), failing);
      await page.click(byTestId('generate-submit'));
      const message = page.locator(`${byTestId('generate-results')} .message-error`);
      await message.waitFor({ state: 'visible', timeout: 45_000 });
      const text = (await message.textContent()) ?? '';
      expect(text).toMatch(/busy/i);
      expect(text).not.toMatch(/THROTTLED|Exception|UPSTREAM/);
      expect(await page.locator(byTestId('generate-retry')).isVisible()).toBe(true);
      // The earlier results are still there.
      expect(await page.locator(byTestId('result-image')).count()).toBeGreaterThan(0);
      await recorder.screenshot('generate-error');

      await page.click(byTestId('nav-history'));
      const failed = page.locator(`${byTestId('history-item')}[data-status="failed"]`).first();
      await failed.waitFor({ state: 'visible' });
      expect(await failed.locator('.badge').first().textContent()).toBe('Generation failed');
      expect(await failed.locator(byTestId('history-error')).textContent()).not.toMatch(
        /THROTTLED/,
      );
      // Filtering by status and searching by prompt text find it.
      await page.selectOption(byTestId('history-status'), 'failed');
      await page.fill(byTestId('history-search'), 'throttle lighthouse');
      expect(await page.locator(`${byTestId('history-item')}:visible`).count()).toBe(1);
      await recorder.screenshot('history-filtered');

      // Bedrock has calmed down: the retried request reaches it without the fault trigger.
      let retried: { prompt?: string } = {};
      await page.route(
        (url) => url.pathname.endsWith('/jobs'),
        async (route) => {
          retried = route.request().postDataJSON() as { prompt: string };
          const response = await route.fetch({ postData: JSON.stringify({ ...retried, prompt }) });
          return route.fulfill({ response });
        },
        { times: 1 },
      );
      await failed.locator(byTestId('history-retry')).click();
      const progress = page.locator(`${byTestId('generate-results')} ${byTestId('progress')}`);
      await progress.waitFor({ state: 'visible' });
      await progress.waitFor({ state: 'detached' });
      expect(retried.prompt).toBe(failing);
      expect(await page.locator('.run-output .meta').first().textContent()).toContain(failing);
      expect(
        await page.locator(`${byTestId('generate-results')} .message-error:visible`).count(),
      ).toBe(0);
    });
  });

  test('a reload mid-job keeps the form and picks the running job up again', async () => {
    await recorder.step('reload-mid-job', async () => {
      const slow = `${prompt} [[slow:4000]]`;
      await page.click(byTestId('nav-generate'));
      await page.fill(byTestId('generate-prompt'), slow);
      await page.selectOption(byTestId('generate-count'), '1');
      await page.click(byTestId('generate-submit'));
      // Reload once the app has noted the accepted job (what it resumes from).
      // Polled through page.evaluate: waitForFunction evaluates its predicate with eval() inside the
      // page, which the app's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
      for (let waited = 0; ; waited += 100) {
        const noted = await page.evaluate(
          "sessionStorage.getItem('imagegen.draft.generate-job') !== null",
        );
        if (noted === true) break;
        if (waited >= 30_000) throw new Error('the app never noted the accepted job');
        await page.waitForTimeout(100);
      }
      await page.reload();
      await page.waitForSelector(byTestId('sign-out'));
      expect(await page.inputValue(byTestId('generate-prompt'))).toBe(slow);
      expect(await page.inputValue(byTestId('generate-model'))).toBe(NOVA);
      await page.getByText('picked up after the reload').waitFor();
      await recorder.screenshot('resumed-job');
      await page.locator(byTestId('result-seed')).first().waitFor({ timeout: 45_000 });
      expect(await page.locator('.run-output .meta').first().textContent()).toContain(slow);
    });
  });

  test('sign out returns to the sign-in form and forgets the session and drafts', async () => {
    await recorder.step('sign-out', async () => {
      await page.click(byTestId('sign-out'));
      await page.waitForSelector(byTestId('signin-form'));
      expect(await storedKeys(page)).not.toContain(SESSION_STORAGE_KEY);
      const drafts = await page.evaluate('Object.keys(sessionStorage)');
      expect(drafts).toEqual([]);
      await page.reload();
      await page.waitForSelector(byTestId('signin-form'));
    });
  });

  test('the journey ran under the Content-Security-Policy Amplify sends, without a violation', async () => {
    // npm run dev serves the SPA with the headers Terraform gives Amplify Hosting
    // (shared/web/browser-policy.json), filled with the local API, S3 and Cognito origins.
    const { urls } = JSON.parse(await readFile(path.join(stack.dataDir, 'stack.json'), 'utf8')) as {
      urls: { gateway: string; s3: string; cognito: string };
    };
    const response = await fetch(stack.webUrl);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(
      `connect-src 'self' ${new URL(urls.gateway).origin} ${new URL(urls.s3).origin} ${new URL(urls.cognito).origin};`,
    );
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    // Chromium reports every load, fetch or script the policy blocks as a console error naming it.
    expect(recorder.messages.filter((message) => /Content Security Policy/i.test(message))).toEqual(
      [],
    );
  });
});
