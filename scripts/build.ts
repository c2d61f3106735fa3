/**
 * `npm run build`: bundles every `functions/<name>/handler.ts` with esbuild (tree-shaken, minified,
 * Node 22, AWS SDK v3 inside the bundle) into `dist/functions/<name>/index.mjs`, and zips each one into
 * `dist/functions/<name>.zip`. Zips are byte-identical for identical sources, so Terraform's
 * `source_code_hash` changes only when code does.
 */
import { build, type Metafile } from 'esbuild';
import { zipSync } from 'fflate';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A fixed timestamp for zip entries (the DOS epoch), so identical code gives identical zips. */
const ZIP_ENTRY_TIME = new Date('1980-01-01T00:00:00Z');

export interface BuiltFunction {
  name: string;
  bundlePath: string;
  zipPath: string;
  bundleBytes: number;
  zipBytes: number;
}

/** Names of the deployable functions: the folders of `functions/` that have a `handler.ts`. */
export async function listFunctions(
  functionsDir = path.join(REPO_ROOT, 'functions'),
): Promise<string[]> {
  const entries = await readdir(functionsDir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const handler = path.join(functionsDir, entry.name, 'handler.ts');
    if (
      await stat(handler).then(
        () => true,
        () => false,
      )
    )
      names.push(entry.name);
  }
  return names.sort();
}

/**
 * Zips one file as `index.mjs` with fixed metadata. fflate writes entries in the order given and
 * nothing machine-specific besides what we pass, which is what makes the output reproducible.
 */
export function deterministicZip(fileName: string, content: Uint8Array): Uint8Array {
  return zipSync({ [fileName]: [content, { mtime: ZIP_ENTRY_TIME, level: 9, os: 3 }] });
}

export async function buildFunctions(
  options: {
    outDir?: string;
    names?: string[];
    functionsDir?: string;
  } = {},
): Promise<BuiltFunction[]> {
  const functionsDir = options.functionsDir ?? path.join(REPO_ROOT, 'functions');
  const outDir = options.outDir ?? path.join(REPO_ROOT, 'dist', 'functions');
  const names = options.names ?? (await listFunctions(functionsDir));
  await mkdir(outDir, { recursive: true });

  const built: BuiltFunction[] = [];
  for (const name of names) {
    const bundleDir = path.join(outDir, name);
    await rm(bundleDir, { recursive: true, force: true });
    const bundlePath = path.join(bundleDir, 'index.mjs');
    await build({
      entryPoints: [path.join(functionsDir, name, 'handler.ts')],
      outfile: bundlePath,
      bundle: true,
      minify: true,
      treeShaking: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      // Some CommonJS dependencies call require() for Node built-ins; ESM bundles need it provided.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
      // Prefer packages' ESM entry points, which tree-shake far better than their CJS builds.
      mainFields: ['module', 'main'],
      // Lets fixtures outside the repo (tests) resolve the repo's packages; no effect on real builds.
      nodePaths: [path.join(REPO_ROOT, 'node_modules')],
      legalComments: 'none',
      logLevel: 'warning',
      metafile: false,
    });
    const code = await readFile(bundlePath);
    const zip = deterministicZip('index.mjs', code);
    const zipPath = path.join(outDir, `${name}.zip`);
    await writeFile(zipPath, zip);
    built.push({
      name,
      bundlePath,
      zipPath,
      bundleBytes: code.byteLength,
      zipBytes: zip.byteLength,
    });
  }
  return built;
}

export type { Metafile };

async function main(): Promise<void> {
  const started = Date.now();
  const built = await buildFunctions();
  for (const fn of built) {
    console.log(
      `${fn.name.padEnd(16)} ${(fn.bundleBytes / 1024).toFixed(0).padStart(6)} KB bundle  ${(fn.zipBytes / 1024).toFixed(0).padStart(5)} KB zip  ${path.relative(REPO_ROOT, fn.zipPath)}`,
    );
  }
  console.log(`built ${built.length} functions in ${Date.now() - started} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
