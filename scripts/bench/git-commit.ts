/** The commit the figures were taken at, for the bench's reports. */
import { execFileSync } from 'node:child_process';

import { REPO_ROOT } from '../build.js';

/** The short hash of HEAD, or undefined outside a git checkout. */
export function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}
