import { unzipSync } from 'fflate';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFunctions, deterministicZip, listFunctions } from './build.js';

describe('build', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'build-test-'));
    await mkdir(path.join(work, 'functions', 'hello'), { recursive: true });
    await mkdir(path.join(work, 'functions', 'not-a-function'), { recursive: true });
    await writeFile(
      path.join(work, 'functions', 'hello', 'handler.ts'),
      "import * as z from 'zod';\nexport const handler = async (event: unknown) => ({ ok: z.object({ name: z.string() }).parse(event).name });\n",
    );
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('lists only folders that have a handler.ts', async () => {
    expect(await listFunctions(path.join(work, 'functions'))).toEqual(['hello']);
  });

  it('produces byte-identical zips for identical sources', async () => {
    const functionsDir = path.join(work, 'functions');
    const [first] = await buildFunctions({ functionsDir, outDir: path.join(work, 'out1') });
    const [second] = await buildFunctions({ functionsDir, outDir: path.join(work, 'out2') });
    const a = await readFile(first!.zipPath);
    const b = await readFile(second!.zipPath);
    expect(a.equals(b)).toBe(true);
    expect(Object.keys(unzipSync(a))).toEqual(['index.mjs']);
  });

  it('bundles a runnable ESM handler with its dependencies inside', async () => {
    const [built] = await buildFunctions({
      functionsDir: path.join(work, 'functions'),
      outDir: path.join(work, 'out3'),
    });
    const code = await readFile(built!.bundlePath, 'utf8');
    expect(code).not.toMatch(/from\s*["']zod["']/);
    const module = (await import(pathToFileURL(built!.bundlePath).href)) as {
      handler: (e: unknown) => Promise<unknown>;
    };
    await expect(module.handler({ name: 'x' })).resolves.toEqual({ ok: 'x' });
  });

  it('changes the zip when the content changes', () => {
    const one = deterministicZip('index.mjs', new TextEncoder().encode('a'));
    const two = deterministicZip('index.mjs', new TextEncoder().encode('b'));
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(false);
  });
});
