/**
 * `npm run bench -- --side-by-side` (and the first part of `npm run bench`): every route that moves
 * images, our built bundle against the seed's own handler and a raw-client floor, in one run,
 * interleaved, against instant stand-ins (instant-fakes.ts), as ../shared/perf/side-by-side does
 * for POST /generate (issue 15). Prints a table and writes dist/bench-side-by-side.json.
 *
 * Ours: `npm run build`, then each dist/functions/<name>.zip extracted whole into a temp folder
 * (the zip is what ships) and its index.mjs imported in fresh Node processes with the environment
 * Terraform gives the function (shared/deployment/functions.json). Seeds: seed 000's handler for
 * POST /generate and seed 002's for GET /generate (../shared/perf/seed_handlers.py, boto3);
 * seed 003 gives no code, so /edits and the job worker have no seed column.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { unzipSync } from 'fflate';

import { DEFAULT_EDIT_MODELS, DEFAULT_TEXT_TO_IMAGE_MODEL } from '../../shared/models/index.js';
import { REPO_ROOT, buildFunctions } from '../build.js';
import {
  loadFunctionDefinitions,
  resolveFunction,
  type DeploymentSettings,
} from '../local/function-definitions.js';
import { FLOOR_CHILD, HANDLER_TIMING_CHILD, SEED_CHILD, runChild } from './children.js';
import { proxyEvent } from './events.js';
import { gitCommit } from './git-commit.js';
import { busyPng, centreMaskPng, photoLikePng } from './images.js';
import { startInstantFakes, type InstantFakes } from './instant-fakes.js';
import {
  GOALS,
  figuresOf,
  renderSideBySide,
  verdictOf,
  type ExtraRss,
  type RouteFigures,
  type Side,
  type SideBySideReport,
  type TimingRun,
  type Unavailable,
} from './side-by-side-report.js';
import { median } from './stats.js';

export const PERF_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'perf');
/** Bench baselines, built like functions/<name>/handler.ts (see baselines/sdk-only/handler.ts). */
const BASELINES_DIR = fileURLToPath(new URL('./baselines', import.meta.url));
const REGION = 'us-west-2';
const NOVA = 'amazon.nova-canvas-v1:0';
const SDXL = 'stability.stable-diffusion-xl-v1';
const INPAINT = DEFAULT_EDIT_MODELS.inpaint;
const SIZE = { width: 1280, height: 720 } as const;
const USER_SUB = '6f1c2a4e-0b7d-4d38-9c55-3b1e8f0a9d21';
const JOB_ID = 'bench-job';
/** The prompts ../shared/perf/seed_bench.py sends. */
const POST_PROMPT = 'A futuristic city skyline at sunset';
const GET_PROMPT = 'image of a cat';

const FLOOR_METHOD =
  'the same HTTP exchanges by a raw client (node:http2 with one persistent session and 16 MiB windows for Bedrock, node:http keep-alive for S3 and DynamoDB; no SDK, no signing but the pre-signed URL, no validation), floor-child.mjs';

export interface SideBySideOptions {
  coldRounds: number;
  warmRounds: number;
  warmCalls: number;
  /** Where `npm run build` leaves the zips. */
  functionsDir: string;
  build: boolean;
  out: string;
  log: (message: string) => void;
}

export const DEFAULT_SIDE_BY_SIDE: Omit<SideBySideOptions, 'log'> = {
  coldRounds: 5,
  warmRounds: 2,
  warmCalls: 100,
  functionsDir: path.join(REPO_ROOT, 'dist', 'functions'),
  build: true,
  out: path.join(REPO_ROOT, 'dist', 'bench-side-by-side.json'),
};

/** Extracts every file of a function's zip (splitting may add chunks beside index.mjs). */
async function extractZip(zipPath: string, into: string): Promise<string> {
  const files = unzipSync(new Uint8Array(await readFile(zipPath)));
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith('/')) continue;
    const target = path.resolve(into, name);
    if (!target.startsWith(into + path.sep)) throw new Error(`${zipPath} holds ${name}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
  const entry = ['index.mjs', 'index.js'].map((name) => path.join(into, name)).find(existsSync);
  if (!entry) throw new Error(`${zipPath} holds no index.mjs`);
  return entry;
}

interface Python {
  path: string;
  version: string;
}

function pythonWithBoto3(candidate: string): Python | undefined {
  const probe = spawnSync(
    candidate,
    ['-c', 'import sys, boto3; print(sys.executable, boto3.__version__)'],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) return undefined;
  const [executable, version] = probe.stdout.trim().split(' ');
  return executable ? { path: executable, version: `boto3 ${version ?? '?'}` } : undefined;
}

/**
 * A Python with boto3 for the seeds' handlers, found as ../shared/perf/side-by-side finds one:
 * the system python3, else a venv at ${TMPDIR:-/tmp}/side-by-side-venv, made from a boto3 wheel
 * on this machine if there is one.
 */
function findPython(log: (message: string) => void): Python | undefined {
  const venv = path.join(process.env.TMPDIR || '/tmp', 'side-by-side-venv');
  const venvPython = path.join(venv, 'bin', 'python');
  const found = pythonWithBoto3('python3') ?? pythonWithBoto3(venvPython);
  if (found) return found;
  const wheel = spawnSync(
    'find',
    ['/', '-maxdepth', '5', '-name', 'boto3-*.whl', '-not', '-path', '/proc/*'],
    { encoding: 'utf8' },
  )
    .stdout?.split('\n')
    .find((line) => line !== '');
  if (!wheel) return undefined;
  log(`making ${venv} from ${wheel}`);
  spawnSync('python3', ['-m', 'venv', venv]);
  spawnSync(path.join(venv, 'bin', 'pip'), [
    'install',
    '-q',
    '--no-index',
    '--find-links',
    path.dirname(wheel),
    'boto3',
  ]);
  return pythonWithBoto3(venvPython);
}

/** The environment a function gets (functions.json, as Terraform resolves it) plus the fakes'. */
function functionEnvironment(name: string, fakes: InstantFakes): Record<string, string> {
  const settings: DeploymentSettings = {
    bucket_name: 'bench-bucket',
    table_name: 'bench-table',
    allowed_models: [DEFAULT_TEXT_TO_IMAGE_MODEL, NOVA, INPAINT].join(','),
    default_model: DEFAULT_TEXT_TO_IMAGE_MODEL,
    edit_models: JSON.stringify(DEFAULT_EDIT_MODELS),
    bedrock_region: REGION,
    cors_origin: '*',
    job_worker_function_name: 'job-worker',
  };
  const resolved = resolveFunction(loadFunctionDefinitions(), name, settings);
  return {
    ...resolved.environment,
    ...awsEnvironment(fakes),
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fakes.urls.bedrockH2c,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(resolved.memoryMb),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Where a set of stand-ins listens: ours (instant-fakes.ts) or ../shared/perf/fakes.mjs. */
interface StandInUrls {
  urls: { s3: string; dynamodb: string; bedrockH2c: string; bedrockHttp1: string };
}

/** ../shared/perf/side-by-side's ENV line: fake credentials and the stand-ins' endpoints. */
function awsEnvironment(fakes: StandInUrls): Record<string, string> {
  return {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIAFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake',
    AWS_ENDPOINT_URL_S3: fakes.urls.s3,
    AWS_ENDPOINT_URL_DYNAMODB: fakes.urls.dynamodb,
    BUCKET_NAME: 'bench-bucket',
    TABLE_NAME: 'bench-table',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  };
}

interface RoutePlan {
  route: string;
  detail: string;
  fn: string;
  event: unknown;
  expect: string;
  seed: { name: string; handler: string; event: unknown; env: Record<string, string> } | string;
  floor: { flow: 'generate' | 'edit' | 'job-edit'; model: string };
  /** Whether the SDK-only baseline does this route's work (the generate routes). */
  sdkOnly: boolean;
}

type ChildOutput = TimingRun | { error: string };

function checked(output: ChildOutput, who: string): TimingRun {
  if ('error' in output) throw new Error(`${who}: ${output.error}`);
  return output;
}

interface SharedPerfFakes extends StandInUrls {
  close: () => void;
}

/**
 * Starts ../shared/perf/fakes.mjs on the busy 1280×720 PNG its side-by-side script makes (png.mjs)
 * and reads the ports it prints.
 */
async function startSharedPerfFakes(workDir: string): Promise<SharedPerfFakes> {
  const fakesScript = path.join(PERF_DIR, 'fakes.mjs');
  if (!existsSync(fakesScript)) throw new Error(`no ${fakesScript}`);
  const image = path.join(workDir, 'shared-perf.png');
  execFileSync(process.execPath, [
    path.join(PERF_DIR, 'png.mjs'),
    'make-busy',
    image,
    '1280',
    '720',
  ]);
  const child = spawn(process.execPath, [fakesScript, image], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const ports = await new Promise<Record<string, number>>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(
        () => reject(new Error('fakes.mjs printed no ports in 10 s')),
        10_000,
      );
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`fakes.mjs exited with ${code}`)));
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        const line = text.split('\n').find((candidate) => candidate.trim().endsWith('}'));
        if (line === undefined) return;
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, number>);
      });
    });
    const url = (name: string): string => {
      if (!Number.isInteger(ports[name])) throw new Error(`fakes.mjs printed no ${name} port`);
      return `http://127.0.0.1:${ports[name]}`;
    };
    return {
      urls: {
        s3: url('s3'),
        dynamodb: url('ddb'),
        bedrockH2c: url('bedrock2'),
        bedrockHttp1: url('bedrock1'),
      },
      close: () => child.kill(),
    };
  } catch (error) {
    child.kill();
    throw error;
  }
}

export async function runSideBySide(options: SideBySideOptions): Promise<SideBySideReport> {
  const { log } = options;
  if (options.build) {
    log('side-by-side: npm run build');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: ['ignore', 2, 2] });
  }
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'imagegen-side-by-side-'));
  let fakes: InstantFakes | undefined;
  try {
    // Extracted at once, so a later `npm run build` elsewhere cannot change them mid-run.
    const bundles: Record<string, string> = {};
    for (const name of ['generate', 'generate-query', 'edits', 'job-worker']) {
      const zip = path.join(options.functionsDir, `${name}.zip`);
      if (!existsSync(zip)) throw new Error(`No ${zip}: run npm run build first`);
      bundles[name] = await extractZip(zip, path.join(workDir, name));
    }

    const source = photoLikePng(SIZE.width, SIZE.height);
    const mask = centreMaskPng(SIZE.width, SIZE.height);
    const maskPath = path.join(workDir, 'mask.png');
    await writeFile(maskPath, mask);
    const editBody = {
      imageKey: `users/${USER_SUB}/uploads/source.png`,
      mask: Buffer.from(mask).toString('base64'),
      prompt: 'a red sailing boat',
      operation: 'inpaint',
    };
    const now = new Date().toISOString();
    fakes = await startInstantFakes({
      image: busyPng(SIZE.width, SIZE.height),
      imagesBySize: { '1024x1024': busyPng(1024, 1024) },
      s3Object: { bytes: source, contentType: 'image/png' },
      // The job the worker claims: an edit by the bench user, as POST /jobs stores it.
      dynamoItems: {
        [JOB_ID]: {
          id: JOB_ID,
          kind: 'job',
          ownerId: USER_SUB,
          jobType: 'edit',
          request: editBody,
          requestHash: 'bench',
          status: 'running',
          createdAt: now,
          updatedAt: now,
          attempts: 1,
        },
      },
    });
    const liveFakes = fakes;
    // Each answer's bytes built before anything is timed.
    liveFakes.precompute(DEFAULT_TEXT_TO_IMAGE_MODEL, { count: 1 });
    liveFakes.precompute(SDXL, { count: 1 });
    liveFakes.precompute(NOVA, { count: 1, ...SIZE });
    liveFakes.precompute(NOVA, { count: 4, width: 1024, height: 1024 });

    const python = findPython(log);
    const noBoto3 = 'n/a (no boto3)';
    const seedEnv = (extra: Record<string, string>) => ({
      ...awsEnvironment(liveFakes),
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: liveFakes.urls.bedrockHttp1,
      ...extra,
    });
    const plans: RoutePlan[] = [
      {
        route: 'POST /generate',
        detail: `default model, ${SIZE.width}×${SIZE.height} PNG`,
        fn: 'generate',
        event: await proxyEvent({
          method: 'POST',
          resource: '/generate',
          body: { prompt: POST_PROMPT },
        }),
        expect: '200',
        seed: python
          ? {
              name: 'seed 000',
              handler: 'seed000_handler',
              event: { body: JSON.stringify({ prompt: POST_PROMPT }) },
              env: seedEnv({ BEDROCK_MODEL_ID: SDXL }),
            }
          : noBoto3,
        floor: { flow: 'generate', model: DEFAULT_TEXT_TO_IMAGE_MODEL },
        sdkOnly: true,
      },
      {
        route: 'GET /generate',
        detail: `{"prompt"} event, ${SIZE.width}×${SIZE.height} PNG`,
        fn: 'generate-query',
        event: { prompt: GET_PROMPT },
        expect: 'image_url',
        seed: python
          ? {
              name: 'seed 002',
              handler: 'seed002_handler',
              event: { prompt: GET_PROMPT },
              env: seedEnv({}),
            }
          : noBoto3,
        floor: { flow: 'generate', model: DEFAULT_TEXT_TO_IMAGE_MODEL },
        sdkOnly: true,
      },
      {
        route: 'POST /edits',
        detail: `inpaint ${SIZE.width}×${SIZE.height}, mask`,
        fn: 'edits',
        event: await proxyEvent({
          method: 'POST',
          resource: '/edits',
          body: editBody,
          sub: USER_SUB,
        }),
        expect: '200',
        seed: 'no seed handler',
        floor: { flow: 'edit', model: INPAINT },
        sdkOnly: false,
      },
      {
        route: 'job worker',
        detail: `claim + inpaint ${SIZE.width}×${SIZE.height} job`,
        fn: 'job-worker',
        event: { jobId: JOB_ID },
        expect: 'succeeded',
        seed: 'no seed handler',
        floor: { flow: 'job-edit', model: INPAINT },
        sdkOnly: false,
      },
    ];

    const eventPaths = new Map<RoutePlan, string>();
    for (const plan of plans) {
      const eventPath = path.join(workDir, `event-${plan.fn}.json`);
      await writeFile(eventPath, JSON.stringify(plan.event));
      eventPaths.set(plan, eventPath);
    }
    const [sdkOnlyBuild] = await buildFunctions({
      functionsDir: BASELINES_DIR,
      outDir: path.join(workDir, 'baselines'),
      names: ['sdk-only'],
    });
    const sdkOnlyBundle = (sdkOnlyBuild as { bundlePath: string }).bundlePath;
    const timeBundle = async (
      bundle: string,
      plan: RoutePlan,
      calls: number,
      env: Record<string, string>,
      who: string,
    ): Promise<TimingRun> => {
      const { result } = await runChild<ChildOutput>(
        HANDLER_TIMING_CHILD,
        [bundle, eventPaths.get(plan) as string, plan.expect, String(calls)],
        env,
        180_000,
      );
      return checked(result, `${who} ${plan.route}`);
    };
    // A seed that cannot run (its Python, boto3) leaves its column empty; ours still counts.
    const seedFailures = new Map<RoutePlan, string>();
    const seed = async (plan: RoutePlan, calls: number): Promise<TimingRun | undefined> => {
      if (typeof plan.seed === 'string' || !python || seedFailures.has(plan)) return undefined;
      try {
        const { result } = await runChild<ChildOutput>(
          SEED_CHILD,
          [PERF_DIR, plan.seed.handler, JSON.stringify(plan.seed.event), String(calls)],
          plan.seed.env,
          180_000,
          python.path,
        );
        return checked(result, `${plan.seed.name} ${plan.route}`);
      } catch (error) {
        log(`side-by-side: ${plan.seed.name} failed, its column stays empty: ${String(error)}`);
        seedFailures.set(plan, `n/a (${plan.seed.name} failed, see the log)`);
        return undefined;
      }
    };
    const floor = async (
      plan: RoutePlan,
      calls: number,
      env: Record<string, string>,
    ): Promise<TimingRun> => {
      const { result } = await runChild<ChildOutput>(
        FLOOR_CHILD,
        [plan.floor.flow, plan.floor.model, String(calls), maskPath],
        env,
        180_000,
      );
      return checked(result, `floor ${plan.route}`);
    };

    type Runs = { ours: TimingRun[]; seed: TimingRun[]; sdkOnly: TimingRun[]; floor: TimingRun[] };
    /**
     * Cold rounds then warm rounds, interleaved ours/seed/SDK only/floor per route per round, so
     * a disturbance hits all sides alike. `envOf` gives ours, the SDK-only baseline and the floor
     * their environment; a seed's is in its plan.
     */
    const measure = async (
      label: string,
      targets: readonly RoutePlan[],
      envOf: (plan: RoutePlan) => Record<string, string>,
    ): Promise<RouteFigures[]> => {
      const empty = (): Map<RoutePlan, Runs> =>
        new Map(targets.map((plan) => [plan, { ours: [], seed: [], sdkOnly: [], floor: [] }]));
      const cold = empty();
      const warm = empty();
      const oneOfEach = async (plan: RoutePlan, runs: Runs, calls: number): Promise<void> => {
        const env = envOf(plan);
        runs.ours.push(await timeBundle(bundles[plan.fn] as string, plan, calls, env, 'ours'));
        const seedRun = await seed(plan, calls);
        if (seedRun) runs.seed.push(seedRun);
        if (plan.sdkOnly) {
          const sdkEnv = { ...env, MODEL_ID: plan.floor.model };
          runs.sdkOnly.push(await timeBundle(sdkOnlyBundle, plan, calls, sdkEnv, 'SDK only'));
        }
        runs.floor.push(await floor(plan, calls, env));
      };
      for (let round = 1; round <= options.coldRounds; round++) {
        log(`side-by-side${label}: cold round ${round}/${options.coldRounds}`);
        for (const plan of targets) await oneOfEach(plan, cold.get(plan) as Runs, 0);
      }
      for (let round = 1; round <= options.warmRounds; round++) {
        for (const plan of targets) {
          log(
            `side-by-side${label}: warm round ${round}/${options.warmRounds}, ${plan.route}, ${options.warmCalls} calls each`,
          );
          await oneOfEach(plan, warm.get(plan) as Runs, options.warmCalls);
        }
      }
      return targets.map((plan) => {
        const coldRuns = cold.get(plan) as Runs;
        const warmRuns = warm.get(plan) as Runs;
        const failure = seedFailures.get(plan);
        const seedSide: Side =
          typeof plan.seed === 'string'
            ? { unavailable: plan.seed }
            : failure
              ? { unavailable: failure }
              : figuresOf(coldRuns.seed, warmRuns.seed);
        return {
          route: plan.route,
          detail: plan.detail,
          ours: figuresOf(coldRuns.ours, warmRuns.ours),
          seedName: typeof plan.seed === 'string' ? 'seed' : plan.seed.name,
          seed: seedSide,
          ...(plan.sdkOnly ? { sdkOnly: figuresOf(coldRuns.sdkOnly, warmRuns.sdkOnly) } : {}),
          floor: figuresOf(coldRuns.floor, warmRuns.floor),
        };
      });
    };

    const routes = await measure('', plans, (plan) => functionEnvironment(plan.fn, liveFakes));

    // POST /generate once more, as ../shared/perf/side-by-side runs it: its stand-ins, its image,
    // its environment (not functions.json's), with the SDK-only baseline and the floor beside.
    let sharedStandIns: RouteFigures | Unavailable;
    const post = plans[0] as RoutePlan;
    let sharedFakes: SharedPerfFakes | undefined;
    try {
      sharedFakes = await startSharedPerfFakes(workDir);
      const shared = sharedFakes;
      const env = {
        ...awsEnvironment(shared),
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: shared.urls.bedrockH2c,
        AWS_LAMBDA_FUNCTION_NAME: post.fn,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
      const sharedPlan: RoutePlan = {
        ...post,
        detail: `${post.detail}, ../shared/perf/fakes.mjs`,
        seed:
          typeof post.seed === 'string'
            ? post.seed
            : {
                ...post.seed,
                env: {
                  ...awsEnvironment(shared),
                  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: shared.urls.bedrockHttp1,
                  BEDROCK_MODEL_ID: SDXL,
                },
              },
      };
      eventPaths.set(sharedPlan, eventPaths.get(post) as string);
      const [figures] = await measure(' (../shared/perf stand-ins)', [sharedPlan], () => env);
      sharedStandIns = figures as RouteFigures;
    } catch (error) {
      log(`side-by-side: not measured against ../shared/perf's stand-ins: ${String(error)}`);
      sharedStandIns = { unavailable: String(error) };
    } finally {
      sharedFakes?.close();
    }

    log('side-by-side: peak RSS of POST /generate, 4 × 1024²');
    const fourImagesPath = path.join(workDir, 'event-generate-4.json');
    await writeFile(
      fourImagesPath,
      JSON.stringify(
        await proxyEvent({
          method: 'POST',
          resource: '/generate',
          body: { prompt: POST_PROMPT, model: NOVA, width: 1024, height: 1024, count: 4 },
        }),
      ),
    );
    const fourImageRss: number[] = [];
    for (let sample = 0; sample < 3; sample++) {
      const { result } = await runChild<ChildOutput>(
        HANDLER_TIMING_CHILD,
        [bundles.generate as string, fourImagesPath, '200', '0'],
        functionEnvironment('generate', liveFakes),
      );
      fourImageRss.push(checked(result, 'ours POST /generate 4 × 1024²').maxRssMb);
    }
    const extraRss: ExtraRss[] = [
      {
        route: 'POST /generate',
        detail: 'Nova Canvas, 4 × 1024×1024 in one call',
        peakRssMb: median(fourImageRss),
        samples: fourImageRss.length,
      },
    ];

    const commit = gitCommit();
    const report: SideBySideReport = {
      meta: {
        date: new Date().toISOString(),
        node: process.version,
        ...(python ? { python: `${python.path} (${python.version})` } : {}),
        cpuCount: os.cpus().length,
        loadAverage: os.loadavg(),
        coldRounds: options.coldRounds,
        warmRounds: options.warmRounds,
        warmCalls: options.warmCalls,
        ...(commit ? { commit } : {}),
        method: FLOOR_METHOD,
      },
      routes,
      extraRss,
      sharedStandIns,
    };
    await mkdir(path.dirname(options.out), { recursive: true });
    // Two decimals keep the ratios and goals (0.33) exact enough; more is noise.
    const twoDecimals = (_key: string, value: unknown): unknown =>
      typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;
    // The ratios and goal marks too, for whoever reads the file instead of the table.
    const verdicts = Object.fromEntries(
      routes.map((route) => [route.route, verdictOf(route) ?? null]),
    );
    await writeFile(
      options.out,
      JSON.stringify({ ...report, verdicts, goals: GOALS }, twoDecimals, 2) + '\n',
    );
    return report;
  } finally {
    await fakes?.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The command-line options both entry points take for this part. */
export const SIDE_BY_SIDE_ARGS = {
  'cold-rounds': { type: 'string' },
  'warm-calls': { type: 'string' },
} as const;

/** A `--quick` run's sample counts: a smoke run, too few for the figures. */
export const QUICK_SIDE_BY_SIDE = { coldRounds: 3, warmCalls: 30 } as const;

function wholeNumberArg(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a whole number of at least 1, got "${text}"`);
  }
  return value;
}

/** Sample counts from `--cold-rounds` and `--warm-calls`, else the defaults (fewer for `--quick`). */
export function sampleCounts(
  values: { 'cold-rounds'?: string | undefined; 'warm-calls'?: string | undefined },
  quick = false,
): { coldRounds: number; warmCalls: number } {
  const defaults = quick ? QUICK_SIDE_BY_SIDE : DEFAULT_SIDE_BY_SIDE;
  return {
    coldRounds: wholeNumberArg('cold-rounds', values['cold-rounds'], defaults.coldRounds),
    warmCalls: wholeNumberArg('warm-calls', values['warm-calls'], defaults.warmCalls),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { ...SIDE_BY_SIDE_ARGS, quick: { type: 'boolean', default: false } },
  });
  const report = await runSideBySide({
    ...DEFAULT_SIDE_BY_SIDE,
    ...sampleCounts(values, values.quick),
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  });
  process.stdout.write(renderSideBySide(report));
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), DEFAULT_SIDE_BY_SIDE.out)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
