/**
 * `npm run ready -- --target local` against a whole local stack, as a user runs it: the command
 * itself in a child process, reading the stack from its data folder. A fresh stack is ready (after
 * the command subscribes the Marketplace models it needs); a stack whose default model Bedrock
 * retired is not, and the command says what to do and exits 1.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

import { startTestStack, type TestStack } from './stack-fixture.js';

const root = path.resolve(import.meta.dirname, '..', '..');

function ready(
  stack: TestStack,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/ready.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, LOCAL_DATA_DIR: stack.dataDir, NO_COLOR: '1' },
        timeout: 240_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The line of the model table or smoke test that names `name`. */
function lineOf(output: string, name: string): string {
  return output.split('\n').find((line) => line.includes(name)) ?? `(no line with ${name})`;
}

describe('npm run ready -- --target local', () => {
  describe('on a fresh local stack', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack();
    });
    afterAll(async () => {
      await stack?.destroy();
    });

    it('subscribes the Stability models, passes every smoke step and exits 0', async () => {
      const { code, stdout, stderr } = await ready(stack, '--target', 'local');
      expect({ code, stderr: code === 0 ? '' : stderr, stdout: code === 0 ? '' : stdout }).toEqual({
        code: 0,
        stderr: '',
        stdout: '',
      });
      expect(lineOf(stdout, 'stability.stable-image-core-v1:1 ')).toMatch(
        /^✓ .*default.*✓ served in us-west-2.*✓ subscribed now.*✓ Active/,
      );
      expect(lineOf(stdout, 'us.stability.stable-image-inpaint-v1:0')).toMatch(
        /^✓ .*edit:inpaint.*✓ profile in us-west-2 → us-east-1, us-east-2, us-west-2/,
      );
      expect(lineOf(stdout, 'amazon.titan-image-generator-v2:0')).toMatch(/✓ entitled/);
      expect(stdout).toContain(
        'Not checked: stability.stable-diffusion-xl-v1, amazon.nova-canvas-v1:0',
      );
      for (const step of [
        'POST /generate',
        'GET /generate?prompt=',
        'user created',
        'first sign-in',
        'upload',
        'edit',
        'history',
        'delete',
        'job',
      ]) {
        expect(lineOf(stdout, step)).toMatch(/^✓ /);
      }
      expect(stdout).toContain('Ready: every check passed.');
    }, 240_000);

    it('finds the agreements in place on a second run, and checks only models without --skip-smoke', async () => {
      const { code, stdout } = await ready(stack, '--target', 'local', '--skip-smoke');
      expect(code).toBe(0);
      expect(lineOf(stdout, 'stability.stable-image-core-v1:1 ')).toMatch(/✓ entitled/);
      expect(stdout).not.toContain('POST /generate');
    }, 120_000);
  });

  describe('on a stack whose default model Bedrock retired', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack({ retiredModels: ['stability.stable-image-core-v1:1'] });
    });
    afterAll(async () => {
      await stack?.destroy();
    });

    it('marks the model and POST /generate ✗, says what to do and exits 1', async () => {
      const { code, stdout } = await ready(stack, '--target', 'local', '--no-subscribe');
      expect(code).toBe(1);
      expect(lineOf(stdout, 'stability.stable-image-core-v1:1 ')).toMatch(
        /^✗ .*✓ served in us-west-2.*✗ not available to this account in us-west-2.*✗ past end of life since \d{4}-\d{2}-\d{2} \(Bedrock\)/,
      );
      expect(stdout).toMatch(
        /✗ stability\.stable-image-core-v1:1: past end of life [^\n]* → remove it from allowed_models/,
      );
      expect(stdout).toMatch(
        /✗ [^\n]*stability\.stable-image-ultra-v1:1[^\n]*: not subscribed [^\n]* → run without --no-subscribe/,
      );
      expect(lineOf(stdout, 'POST /generate')).toMatch(
        /^✗ +POST \/generate +503 MODEL_UNAVAILABLE/,
      );
      // Steps that do not use the retired model still pass.
      expect(lineOf(stdout, 'first sign-in')).toMatch(/^✓ /);
      expect(stdout).toMatch(/Not ready: \d+ check\(s\) failed/);
    }, 240_000);
  });
});
