import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; playwright-core never downloads a browser of its own here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The background-networking flags matter on a closed network: without them Chromium's own
 * update/sync connections fail and it refuses the page's connections as well.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. The browser test needs Debian's package: ` +
        'run `apt-get install -y chromium` (or set CHROMIUM_PATH to another Chromium binary).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * What the page said (console, uncaught errors, failed requests) and numbered screenshots, so a
 * failing run can be understood from test-results/e2e/ alone.
 */
export class PageRecorder {
  readonly messages: string[] = [];
  /** Milliseconds each step took, in order (written next to the screenshots). */
  readonly timings: Record<string, number> = {};
  private shots = 0;

  constructor(
    readonly page: Page,
    readonly directory: string,
  ) {
    page.on('console', (message) => this.messages.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => this.messages.push(`[pageerror] ${error.message}`));
    page.on('requestfailed', (request) =>
      this.messages.push(
        `[requestfailed] ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? ''}`,
      ),
    );
  }

  /** The whole page, or one element of it. */
  async screenshot(name: string, element?: Locator): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    this.shots += 1;
    const file = path.join(this.directory, `${String(this.shots).padStart(2, '0')}-${name}.png`);
    // From the top: a shot taken while scrolled draws the sticky header over the content.
    await this.page.evaluate('window.scrollTo(0, 0)');
    if (element) await element.screenshot({ path: file });
    else await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** Runs one step; on failure saves a screenshot and prints the page's messages, then rethrows. */
  async step(name: string, body: () => Promise<void>): Promise<void> {
    const started = performance.now();
    try {
      await body();
      this.timings[name] = Math.round(performance.now() - started);
      await this.screenshot(name);
    } catch (error) {
      const shot = await this.screenshot(`${name}-FAILED`).catch(() => 'none');
      console.error(
        `Step "${name}" failed. Screenshot: ${shot}\nPage messages:\n` +
          (this.messages.length > 0 ? this.messages.join('\n') : '(none)'),
      );
      throw error;
    }
  }

  async writeTimings(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await writeFile(
      path.join(this.directory, 'timings.json'),
      JSON.stringify(this.timings, null, 2) + '\n',
    );
  }
}
