import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Integration tests run the real bundles, so build them once before any test file starts a stack.
 * A child process, because jest's globalSetup does not get the test transform's module mapping.
 */
export default function globalSetup(): void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build.ts'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}
