/** Runs the bench's child harnesses (plain .mjs) in fresh Node processes and reads their result. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const RESULT_PREFIX = 'BENCH_RESULT ';

export const COLD_START_CHILD = fileURLToPath(new URL('./cold-start-child.mjs', import.meta.url));
export const INVOKE_ONCE_CHILD = fileURLToPath(new URL('./invoke-once-child.mjs', import.meta.url));
export const HANDLER_TIMING_CHILD = fileURLToPath(
  new URL('./handler-timing-child.mjs', import.meta.url),
);
export const FLOOR_CHILD = fileURLToPath(new URL('./floor-child.mjs', import.meta.url));
export const SEED_CHILD = fileURLToPath(new URL('./seed-child.py', import.meta.url));

export interface ChildResult<Result> {
  result: Result;
  /** From spawn() returning to the result line arriving: process start-up included. */
  spawnToResultMs: number;
}

/**
 * Starts `node <script> ...args` (or `<interpreter> <script> ...args`) with exactly `env`
 * (nothing of this process leaks in, as on Lambda) and resolves with the JSON of its
 * `BENCH_RESULT` line once the process has exited.
 */
export function runChild<Result>(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
  interpreter = process.execPath,
): Promise<ChildResult<Result>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(interpreter, [script, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let resultAtMs: number | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (resultAtMs === undefined && stdout.includes(RESULT_PREFIX)) {
        resultAtMs = performance.now();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line || resultAtMs === undefined) {
        reject(
          new Error(
            `${script} ${args.join(' ')} exited with ${code}: ${(stderr || stdout).slice(-2000)}`,
          ),
        );
        return;
      }
      resolve({
        result: JSON.parse(line.slice(RESULT_PREFIX.length)) as Result,
        spawnToResultMs: resultAtMs - started,
      });
    });
  });
}
