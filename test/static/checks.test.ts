/**
 * The repository-wide checks, run by `npm test` so one command proves everything: types, lint,
 * formatting, and the Terraform proofs (fmt, validate, `terraform test`, an offline plan and the
 * provider 6.x static check). Each runs as its own process; a failure shows that process's output.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);

function run(
  command: string,
  args: string[],
  timeoutMs: number,
): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { status: result.status, output };
}

function expectSuccess(result: { status: number | null; output: string }): void {
  // On failure jest prints the whole output next to the differing status.
  expect({ status: result.status, output: result.status === 0 ? '' : result.output }).toEqual({
    status: 0,
    output: '',
  });
}

describe('repository checks', () => {
  it('type-checks (tsc --noEmit, strict)', () => {
    expectSuccess(run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], 300_000));
    expectSuccess(run(bin('tsc'), ['--noEmit', '-p', 'web/tsconfig.json'], 300_000));
  }, 600_000);

  it('lints (eslint)', () => {
    expectSuccess(run(bin('eslint'), ['.', '--max-warnings=0'], 600_000));
  }, 600_000);

  it('is formatted (prettier --check)', () => {
    expectSuccess(run(bin('prettier'), ['--check', '.'], 300_000));
  }, 300_000);

  it('proves the Terraform offline (scripts/ci/terraform-check.sh)', () => {
    expectSuccess(run('bash', ['scripts/ci/terraform-check.sh'], 1_200_000));
  }, 1_200_000);
});
