// One cold-start sample, in a fresh Node process: import a function bundle (which builds its
// runtime at module init, as on Lambda) and report when its handler is ready.
// Plain .mjs run by `node`, so no TypeScript loader is part of what is measured.
//   node cold-start-child.mjs <bundle.mjs>
// Prints one line: BENCH_RESULT {"importStartMs":…,"importEndMs":…} (ms since process start).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const bundlePath = process.argv[2];
if (!bundlePath) throw new Error('usage: node cold-start-child.mjs <bundle.mjs>');

const importStartMs = performance.now();
const bundle = await import(pathToFileURL(bundlePath).href);
const importEndMs = performance.now();
if (typeof bundle.handler !== 'function') throw new Error(`${bundlePath} exports no handler`);

process.stdout.write(`BENCH_RESULT ${JSON.stringify({ importStartMs, importEndMs })}\n`);
process.exit(0);
