import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

/**
 * The browser test starts where a new user starts: function bundles built (`npm run build`, the
 * first half of `npm run dev`) and NO web/dist, so the suite proves that `npm run dev` builds and
 * serves the SPA by itself. A child process, because jest's globalSetup does not get the test
 * transform's module mapping.
 */
export default function globalSetup(): void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build.ts'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  rmSync(path.join(root, 'web', 'dist'), { recursive: true, force: true });
}
