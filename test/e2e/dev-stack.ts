import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../scripts/build.js';

const TSX = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface DevStack {
  /** The web-app URL the banner printed. */
  webUrl: string;
  /** Everything `npm run dev` printed up to the banner's last line. */
  banner: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * What a new user runs: `scripts/dev.ts` (the second half of `npm run dev`; the first half, the
 * function build, is the suite's global setup) on free ports with its own state folder. Resolves
 * once the banner is printed, with the web-app URL read from it.
 */
export async function startDevStack(timeoutMs = 90_000): Promise<DevStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'imagegen-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    LOCAL_PORT_S3: '0',
    LOCAL_PORT_DYNAMODB: '0',
    LOCAL_PORT_COGNITO: '0',
    LOCAL_PORT_BEDROCK: '0',
    LOCAL_PORT_LAMBDA: '0',
    LOCAL_DATA_DIR: dataDir,
    LOG_REQUESTS: 'false',
  };
  const child: ChildProcess = spawn(process.execPath, [TSX, 'scripts/dev.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm run dev printed no banner in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run dev exited with ${code} before it was up:\n${output}`));
    });
  });
  // Keep draining the pipes (function logs) so the child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  const webUrl = /^\s*Web app\s+(http\S+)/m.exec(banner)?.[1];
  if (!webUrl) {
    child.kill('SIGTERM');
    throw new Error(`The banner has no web-app URL:\n${banner}`);
  }
  return {
    webUrl,
    banner,
    dataDir,
    env,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `npm run user -- create <email>`, as the README tells a new user; the temporary password. */
export async function createUser(stack: DevStack, email: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [TSX, 'scripts/user.ts', 'create', email],
    { cwd: REPO_ROOT, env: stack.env },
  );
  const created = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { temporaryPassword?: string };
  if (!created.temporaryPassword) throw new Error(`user create printed no password: ${stdout}`);
  return created.temporaryPassword;
}
