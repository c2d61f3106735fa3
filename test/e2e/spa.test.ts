/**
 * Issue 5: the SPA end to end in a real browser against the whole local stack — first sign-in
 * with a temporary password, generate, edit with a painted mask, reload, history, sign out.
 * Screenshots of every step land in test-results/e2e/.
 */
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Locator, Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/build.js';
import { cognitoClient } from '../integration/cognito-user.js';
import { startTestStack, type TestStack } from '../integration/stack-fixture.js';
import { launchChromium, PageRecorder } from './browser.js';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'e2e');
const TEMPORARY_PASSWORD = 'Temp-Passw0rd!';
const CHOSEN_PASSWORD = 'Chosen-Passw0rd!';
const SESSION_STORAGE_KEY = 'imagegen.session.v1';
/** Stability inpaint grows the mask by this many pixels unless told otherwise (local-bedrock README). */
const STABILITY_GROW_MASK = 5;
const ORIGINAL = { width: 512, height: 384 };

let stack: TestStack;
let browser: Browser;
let page: Page;
let recorder: PageRecorder;
const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
let generatedPrompt = '';
let editPrompt = '';
/** Path of the POST the SPA generated through (`…/generate` is open, `…/jobs` is Cognito). */
let generateRequest = '';

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

/** The part of HTMLImageElement used here (the root tsconfig has no DOM library). */
interface DecodableImage {
  decode(): Promise<void>;
  naturalWidth: number;
  naturalHeight: number;
}

/** Waits until the browser has decoded the image; rejects if it could not load it. */
async function loadedSize(image: Locator): Promise<{ width: number; height: number }> {
  await image.scrollIntoViewIfNeeded();
  return image.evaluate(async (element: unknown) => {
    const img = element as DecodableImage;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  });
}

async function sourceOf(image: Locator): Promise<string> {
  const source = await image.getAttribute('src');
  if (!source) throw new Error('the image has no src');
  return source;
}

/** Names of the page's localStorage entries, read through the context (no DOM types needed). */
async function storedKeys(): Promise<string[]> {
  const { origins } = await page.context().storageState();
  return origins.flatMap((origin) => origin.localStorage.map((entry) => entry.name));
}

function byTestId(id: string): string {
  return `[data-testid="${id}"]`;
}

beforeAll(async () => {
  // Only this run's pictures: a stale FAILED shot from an earlier run would mislead.
  await rm(SCREENSHOTS, { recursive: true, force: true });
  browser = await launchChromium();
  stack = await startTestStack({ webRoot: path.join(REPO_ROOT, 'web', 'dist') });
  // Only what an administrator does: the user signs in with the temporary password themselves.
  const cognito = cognitoClient(stack);
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: stack.config.userPoolId,
      Username: email,
      TemporaryPassword: TEMPORARY_PASSWORD,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  cognito.destroy();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  // Generous: a cold Lambda on a busy 2-core machine can take seconds; jest's 60 s bounds a step.
  page.setDefaultTimeout(30_000);
  recorder = new PageRecorder(page, SCREENSHOTS);
});

afterAll(async () => {
  await recorder?.writeTimings();
  await browser?.close();
  await stack?.destroy();
});

test('first sign-in with the temporary password asks for a new one, then signs in', async () => {
  await recorder.step('sign-in', async () => {
    await page.goto(stack.urls.gateway + '/');
    await page.fill(byTestId('signin-email'), email);
    await page.fill(byTestId('signin-password'), TEMPORARY_PASSWORD);
    await recorder.screenshot('sign-in-form');
    await page.click(byTestId('signin-submit'));
    await page.waitForSelector(byTestId('new-password'));
    await page.fill(byTestId('new-password'), CHOSEN_PASSWORD);
    await page.fill(byTestId('new-password-confirm'), CHOSEN_PASSWORD);
    await recorder.screenshot('new-password-form');
    await page.click(byTestId('new-password-submit'));
    await page.waitForSelector(byTestId('user-email'));
    expect(await page.textContent(byTestId('user-email'))).toBe(email);
    // On a desktop-wide window the whole address fits in the header (no ellipsis).
    const clipped = await page.locator(byTestId('user-email')).evaluate((element: unknown) => {
      const box = element as { scrollWidth: number; clientWidth: number };
      return box.scrollWidth > box.clientWidth;
    });
    expect(clipped).toBe(false);
  });
});

test('generate shows progress, then an image whose URL loads', async () => {
  await recorder.step('generate', async () => {
    generatedPrompt = `a lighthouse at dusk ${randomUUID().slice(0, 6)}`;
    await page.click(byTestId('nav-generate'));
    await page.fill(byTestId('generate-prompt'), generatedPrompt);
    // The local model answers in milliseconds; hold the request until the progress UI that real
    // 5–30 s generations show has been seen. Which route the SPA used decides what history shows.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const generateRoute = /\/(generate|jobs)(\?|$)/;
    await page.route(generateRoute, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      generateRequest = new URL(route.request().url()).pathname;
      await held;
      return route.fallback();
    });
    await page.click(byTestId('generate-submit'));
    await page.locator(byTestId('progress')).waitFor({ state: 'visible' });
    await recorder.screenshot('generate-progress');
    release();

    const image = page.locator(byTestId('result-image')).first();
    await image.waitFor({ state: 'visible' });
    const shown = await loadedSize(image);
    await page.unroute(generateRoute);
    const png = await fetchPng(await sourceOf(image));
    expect({ width: png.width, height: png.height }).toEqual(shown);
    expect(await page.locator(byTestId('progress')).count()).toBe(0);
  });
});

test('edit: upload, paint a stroke, inpaint; only the painted area changes', async () => {
  await recorder.step('edit', async () => {
    const original = makeOriginalPng();
    await page.click(byTestId('nav-edit'));
    await page.setInputFiles(byTestId('upload-input'), {
      name: 'pattern.png',
      mimeType: 'image/png',
      buffer: original,
    });
    const canvas = page.locator(byTestId('mask-canvas'));
    await canvas.waitFor({ state: 'visible' });
    await page.selectOption(byTestId('edit-operation'), 'inpaint');

    // A horizontal stroke through the middle, in screen pixels, converted to image pixels to know
    // which pixels the edit may touch.
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the mask canvas has no size');
    const brushDiameter = Number(await page.inputValue(byTestId('brush-size')));
    const scale = ORIGINAL.width / box.width;
    const stroke = {
      from: { x: box.x + box.width * 0.3, y: box.y + box.height * 0.5 },
      to: { x: box.x + box.width * 0.7, y: box.y + box.height * 0.5 },
    };
    await page.mouse.move(stroke.from.x, stroke.from.y);
    await page.mouse.down();
    await page.mouse.move(stroke.to.x, stroke.to.y, { steps: 12 });
    await page.mouse.up();
    await recorder.screenshot('edit-mask-painted');

    editPrompt = `a red balloon ${randomUUID().slice(0, 6)}`;
    await page.fill(byTestId('edit-prompt'), editPrompt);
    await page.click(byTestId('edit-submit'));
    const result = page.locator(byTestId('edit-result-image'));
    await result.waitFor({ state: 'visible' });
    await loadedSize(result);
    await recorder.screenshot('edit-compare', page.locator('.compare'));

    const edited = await fetchPng(await sourceOf(result));
    const before = PNG.sync.read(original);
    expect({ width: edited.width, height: edited.height }).toEqual(ORIGINAL);

    const segment = {
      x1: (stroke.from.x - box.x) * scale,
      x2: (stroke.to.x - box.x) * scale,
      y: (stroke.from.y - box.y) * scale,
    };
    const radius = (brushDiameter / 2) * scale;
    const distanceToStroke = (x: number, y: number): number => {
      const nearestX = Math.min(Math.max(x, segment.x1), segment.x2);
      return Math.hypot(x - nearestX, y - segment.y);
    };
    const differs = (x: number, y: number): boolean => {
      const offset = (y * ORIGINAL.width + x) * 4;
      return [0, 1, 2].some(
        (channel) => edited.data[offset + channel] !== before.data[offset + channel],
      );
    };
    // "Far": beyond the brush, Stability's mask growth and a margin for the brush's edge pixels.
    const farAway = radius + STABILITY_GROW_MASK + 12;
    const counts = { far: 0, farChanged: 0, inside: 0, insideChanged: 0 };
    for (let y = 0; y < ORIGINAL.height; y += 1) {
      for (let x = 0; x < ORIGINAL.width; x += 1) {
        const distance = distanceToStroke(x + 0.5, y + 0.5);
        if (distance > farAway) {
          counts.far += 1;
          if (differs(x, y)) counts.farChanged += 1;
        } else if (distance < radius / 2) {
          counts.inside += 1;
          if (differs(x, y)) counts.insideChanged += 1;
        }
      }
    }
    expect(counts.far).toBeGreaterThan(ORIGINAL.width * ORIGINAL.height * 0.5);
    expect(counts.farChanged).toBe(0);
    expect(counts.inside).toBeGreaterThan(500);
    expect(counts.insideChanged / counts.inside).toBeGreaterThan(0.9);
  });
});

test('a reload keeps the user signed in', async () => {
  await recorder.step('reload', async () => {
    await page.reload();
    await page.waitForSelector(byTestId('user-email'));
    expect(await page.textContent(byTestId('user-email'))).toBe(email);
    expect(await page.locator(byTestId('signin-form')).count()).toBe(0);
    expect(await storedKeys()).toContain(SESSION_STORAGE_KEY);
  });
});

test('history lists the edit, and the generation when it was made as the user', async () => {
  await recorder.step('history', async () => {
    await page.click(byTestId('nav-history'));
    const items = page.locator(byTestId('history-item'));
    await items.first().waitFor({ state: 'visible' });
    // Let the whole first page render before reading it.
    await page.locator('.history-status [data-testid="progress"]').waitFor({ state: 'detached' });
    const cards: { badge: string; prompt: string; images: number }[] = [];
    for (const item of await items.all()) {
      cards.push({
        badge: (await item.locator('.card-head .badge').first().textContent()) ?? '',
        prompt: (await item.locator('.card-prompt').allTextContents()).join(''),
        images: await item.locator(byTestId('result-image')).count(),
      });
    }
    expect(cards).toContainEqual({ badge: 'Edit · inpaint', prompt: editPrompt, images: 1 });

    // POST /generate is an open route locally (public_security = []): API Gateway passes no
    // claims without an authorizer, so that record has no owner and is in nobody's history.
    // Through the Cognito route POST /jobs it belongs to the user and must be listed.
    expect(generateRequest).toMatch(/\/(generate|jobs)$/);
    const madeAsTheUser = generateRequest.endsWith('/jobs');
    const listed = cards.some(
      (card) => card.badge === 'Generated' && card.prompt === generatedPrompt && card.images === 1,
    );
    expect(listed).toBe(madeAsTheUser);
  });
});

test('sign out returns to the sign-in form and forgets the session', async () => {
  await recorder.step('sign-out', async () => {
    await page.click(byTestId('sign-out'));
    await page.waitForSelector(byTestId('signin-form'));
    expect(await storedKeys()).not.toContain(SESSION_STORAGE_KEY);
    await page.reload();
    await page.waitForSelector(byTestId('signin-form'));
  });
});
