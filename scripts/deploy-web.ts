/**
 * `npm run deploy:web [-- --dry-run] [-- --skip-build]`: builds the SPA, adds the `config.js` that
 * Terraform renders, zips it, and publishes it to the Amplify Hosting app Terraform created, with
 * Amplify's deploy-without-Git flow: CreateDeployment → PUT the zip → StartDeployment → GetJob.
 * https://docs.aws.amazon.com/amplify/latest/userguide/manual-deploys.html
 * https://docs.aws.amazon.com/amplify/latest/APIReference/API_CreateDeployment.html
 */
import {
  AmplifyClient,
  CreateDeploymentCommand,
  GetJobCommand,
  StartDeploymentCommand,
  type JobStatus,
} from '@aws-sdk/client-amplify';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST_DIR = path.join(REPO_ROOT, 'web', 'dist');
const ZIP_PATH = path.join(REPO_ROOT, 'dist', 'web.zip');
/** A fixed timestamp for zip entries (the DOS epoch), so the same build gives the same zip. */
const ZIP_ENTRY_TIME = new Date('1980-01-01T00:00:00Z');
/** The SPA loads its settings from /config.js before the app starts (web/index.html). */
export const CONFIG_FILE = 'config.js';

/** Runs a program and resolves with its standard output. */
export type RunCommand = (file: string, args: string[]) => Promise<string>;

const execFileAsync = promisify(execFile);
const runCommand: RunCommand = async (file, args) => {
  const { stdout } = await execFileAsync(file, args, { cwd: REPO_ROOT, maxBuffer: 16 << 20 });
  return stdout;
};

/** Where and what to deploy, from the Terraform outputs. */
export interface DeployTarget {
  appId: string;
  branch: string;
  region: string;
  webUrl: string;
  configJs: string;
}

/**
 * Reads the outputs in one `terraform output -json` (the same values `-raw <name>` prints) and
 * checks the ones the deploy needs are there.
 */
export async function readTerraformOutputs(
  run: RunCommand = runCommand,
  terraformDir = 'terraform',
): Promise<DeployTarget> {
  let stdout: string;
  try {
    stdout = await run('terraform', [`-chdir=${terraformDir}`, 'output', '-json']);
  } catch (error) {
    throw new Error(
      `Could not read the Terraform outputs (${error instanceof Error ? error.message : String(error)}). ` +
        'Install Terraform and run `terraform -chdir=terraform apply` first.',
      { cause: error },
    );
  }
  const outputs = JSON.parse(stdout) as Record<string, { value?: unknown } | undefined>;
  if (Object.keys(outputs).length === 0) {
    throw new Error(
      'Terraform has no outputs (nothing applied in this state yet). Run `terraform -chdir=terraform apply` first.',
    );
  }
  const text = (name: string): string => {
    const value = outputs[name]?.value;
    if (typeof value !== 'string' || value === '') {
      throw new Error(
        `Terraform output "${name}" is missing. Run \`terraform -chdir=terraform apply\` with this repository's configuration first.`,
      );
    }
    return value;
  };
  const configJs = text('config_js');
  if (!configJs.includes('window.APP_CONFIG')) {
    throw new Error('Terraform output "config_js" does not set window.APP_CONFIG.');
  }
  return {
    appId: text('amplify_app_id'),
    branch: text('amplify_branch'),
    region: text('region'),
    webUrl: text('web_url'),
    configJs: configJs.endsWith('\n') ? configJs : `${configJs}\n`,
  };
}

/**
 * Every file of the built SPA by its path inside the zip (forward slashes, sorted), with
 * `config.js` replaced by the deployment's own: a developer's web/public/config.js pointing at
 * the local stack must never reach the hosted site.
 */
export async function collectSiteFiles(
  distDir: string,
  configJs: string,
): Promise<Map<string, Uint8Array>> {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html is missing: build the SPA first (npm run build:web).`);
  }
  const names: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(path.join(distDir, relative), { withFileTypes: true })) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(name);
      else if (entry.isFile()) names.push(name);
    }
  };
  await walk('');
  const files = new Map<string, Uint8Array>();
  for (const name of [...names, CONFIG_FILE].filter(unique).sort()) {
    files.set(
      name,
      name === CONFIG_FILE
        ? new TextEncoder().encode(configJs)
        : await readFile(path.join(distDir, ...name.split('/'))),
    );
  }
  return files;
}

function unique(value: string, index: number, all: string[]): boolean {
  return all.indexOf(value) === index;
}

/**
 * Zips the site with its files at the root (Amplify serves the zip's root as the site) in sorted
 * order with fixed metadata, so the same build gives byte-identical zips.
 */
export function zipSite(files: Map<string, Uint8Array>): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date; level: 9; os: number }]> = {};
  for (const name of [...files.keys()].sort()) {
    entries[name] = [files.get(name)!, { mtime: ZIP_ENTRY_TIME, level: 9, os: 3 }];
  }
  return zipSync(entries);
}

export interface DeployOptions {
  client: Pick<AmplifyClient, 'send'>;
  target: Pick<DeployTarget, 'appId' | 'branch'>;
  zip: Uint8Array;
  fetchImpl?: typeof fetch;
  log?: (line: string) => void;
  pollIntervalMs?: number;
  /** Give up waiting (the deployment may still finish; see the Amplify console). */
  timeoutMs?: number;
}

const FINAL_STATUSES: readonly JobStatus[] = ['SUCCEED', 'FAILED', 'CANCELLED'];

/** The four steps of a manual deployment; resolves with the job's final status. */
export async function deployToAmplify(
  options: DeployOptions,
): Promise<{ jobId: string; status: JobStatus }> {
  const { client, target, zip } = options;
  const fetchImpl = options.fetchImpl ?? fetch.bind(globalThis);
  const log = options.log ?? ((line: string) => console.log(line));
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const where = { appId: target.appId, branchName: target.branch };

  const created = await client.send(new CreateDeploymentCommand(where));
  const jobId = created.jobId;
  if (!jobId || !created.zipUploadUrl) {
    throw new Error('Amplify CreateDeployment returned no job id or upload URL.');
  }
  log(`Created deployment job ${jobId}; uploading ${formatBytes(zip.byteLength)}…`);

  const upload = await fetchImpl(created.zipUploadUrl, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/zip' },
    body: zip,
  });
  if (!upload.ok) {
    const detail = await upload.text().catch(() => '');
    throw new Error(`The zip upload was refused (${upload.status}): ${detail.slice(0, 300)}`);
  }

  await client.send(new StartDeploymentCommand({ ...where, jobId }));
  log('Started the deployment; waiting for Amplify…');

  const deadline = Date.now() + timeoutMs;
  let last: JobStatus | undefined;
  for (;;) {
    const { job } = await client.send(new GetJobCommand({ ...where, jobId }));
    const status = job?.summary?.status;
    if (status && status !== last) log(`  ${status}`);
    last = status;
    if (status && FINAL_STATUSES.includes(status)) {
      if (status !== 'SUCCEED') {
        for (const step of job?.steps ?? []) {
          if (step.status !== 'SUCCEED') {
            log(`  step ${step.stepName ?? '?'}: ${step.status ?? '?'} ${step.statusReason ?? ''}`);
            if (step.logUrl) log(`  log: ${step.logUrl}`);
          }
        }
      }
      return { jobId, status };
    }
    if (Date.now() > deadline) {
      throw new Error(`Job ${jobId} is still ${status ?? 'pending'}; see the Amplify console.`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${(bytes / 1024).toFixed(1)} KiB`
    : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

async function main(argv: string[]): Promise<void> {
  const dryRun = argv.includes('--dry-run');
  const skipBuild = argv.includes('--skip-build');
  const unknown = argv.filter((arg) => !['--dry-run', '--skip-build'].includes(arg));
  if (unknown.length > 0) throw new Error(`Unknown option(s): ${unknown.join(' ')}`);

  // Outputs first: no point building for a stack that is not there (a dry run goes on without).
  let target: DeployTarget | undefined;
  try {
    target = await readTerraformOutputs();
  } catch (error) {
    if (!dryRun) throw error;
    console.log(`(dry run) ${error instanceof Error ? error.message : String(error)}`);
    console.log('(dry run) Using web/config.example.js as config.js.');
  }

  if (!skipBuild) {
    await runCommand(process.execPath, [
      path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      'web',
      '--logLevel',
      'warn',
    ]);
  }
  const configJs =
    target?.configJs ?? (await readFile(path.join(REPO_ROOT, 'web', 'config.example.js'), 'utf8'));
  const files = await collectSiteFiles(DIST_DIR, configJs);
  const zip = zipSite(files);
  await mkdir(path.dirname(ZIP_PATH), { recursive: true });
  await writeFile(ZIP_PATH, zip);
  console.log(
    `Zipped ${files.size} files (${formatBytes(zip.byteLength)}) to ${path.relative(REPO_ROOT, ZIP_PATH)}.`,
  );

  if (dryRun || !target) {
    console.log(
      target
        ? `(dry run) Would deploy to Amplify app ${target.appId}, branch ${target.branch}, in ${target.region}: CreateDeployment, PUT the zip, StartDeployment, then poll GetJob. Site: ${target.webUrl}`
        : '(dry run) Would deploy to the Amplify app and branch from the Terraform outputs.',
    );
    return;
  }

  const client = new AmplifyClient({ region: target.region });
  try {
    const { jobId, status } = await deployToAmplify({ client, target, zip });
    if (status !== 'SUCCEED') throw new Error(`Deployment job ${jobId} ended ${status}.`);
    console.log(`Deployed. The app is at ${target.webUrl}`);
  } finally {
    client.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
