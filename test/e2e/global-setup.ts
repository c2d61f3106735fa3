import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The browser test needs the function bundles (the stack runs them) and the built SPA (the gateway
 * serves web/dist), so build both once before the test file starts. Child processes, because
 * jest's globalSetup does not get the test transform's module mapping.
 */
export default function globalSetup(): void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const run = (script: string, args: string[]) =>
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules', ...script.split('/')), ...args],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  run('tsx/dist/cli.mjs', ['scripts/build.ts']);
  run('vite/bin/vite.js', ['build', 'web', '--logLevel', 'error']);
}
