/**
 * `npm run bench [-- --quick | --side-by-side]`: first the side-by-side table (side-by-side.ts:
 * every route that moves images, our built bundles against the seeds' own handlers and a raw-client
 * floor on instant stand-ins, goals of issue 15; `dist/bench-side-by-side.json`), then what this
 * project adds on top of the model, measured against the local stack. Prints a table (targets from
 * issue 6 marked ✓/✗, informational only) and writes `dist/bench.json`. `--side-by-side` runs
 * only the first part. Exits non-zero only when the bench itself fails.
 *
 * Local-stack steps: build the bundles (sizes) → start the stack on free ports → cold starts in fresh Node
 * processes → the stand-in's own time for each request body → warm requests through the gateway
 * → peak RSS of single requests in fresh processes → the cost guard → throughput.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { Invocation } from '../../shared/models/types.js';
import { adapterFor, probeImage } from '../../shared/models/index.js';
import { buildFunctions, REPO_ROOT, type BuiltFunction } from '../build.js';
import { startStack, type Stack } from '../local/stack.js';
import {
  createSignedInUser,
  expectStatus,
  getNoRedirect,
  postJson,
  uploadPng,
  type ApiResponse,
  type BenchUser,
} from './api-client.js';
import { COLD_START_CHILD, INVOKE_ONCE_CHILD, runChild } from './children.js';
import { proxyEvent } from './events.js';
import { gitCommit } from './git-commit.js';
import { captureFunctionLogs, type FunctionLogCapture } from './function-logs.js';
import { centreMaskPng, photoLikePng } from './images.js';
import { startLambdaInbox } from './lambda-inbox.js';
import { runConcurrently, timeSequentially, type SequentialRun } from './load.js';
import {
  createStandInTimer,
  subtractModelTime,
  summarizeStandIn,
  type StandInSample,
  type StandInTimer,
} from './model-time.js';
import {
  renderReport,
  type BenchReport,
  type ColdStart,
  type CostGuard,
  type OverheadBreakdown,
  type OverheadCase,
  type PeakRss,
  type Throughput,
} from './report.js';
import {
  DEFAULT_SIDE_BY_SIDE,
  SIDE_BY_SIDE_ARGS,
  runSideBySide,
  sampleCounts,
} from './side-by-side.js';
import { renderSideBySide } from './side-by-side-report.js';
import { summarize } from './stats.js';

/** Sample counts: the minimums for a full run, a few for --quick. */
const PLANS = {
  full: {
    coldStartSamples: 10,
    warmUpRequests: 5,
    warmRequests: 200,
    standInSamples: 40,
    throughputWarmUpPerClient: 6,
    throughput: [
      { clients: 8, requests: 200 },
      { clients: 32, requests: 400 },
    ],
  },
  quick: {
    coldStartSamples: 3,
    warmUpRequests: 5,
    warmRequests: 30,
    standInSamples: 10,
    throughputWarmUpPerClient: 4,
    throughput: [
      { clients: 8, requests: 64 },
      { clients: 32, requests: 128 },
    ],
  },
} as const;
type Plan = (typeof PLANS)[keyof typeof PLANS];

const NOVA = 'amazon.nova-canvas-v1:0';
/** The default inpaint model (shared/models DEFAULT_EDIT_MODELS), which takes 2048² inputs. */
const INPAINT = 'us.stability.stable-image-inpaint-v1:0';
const HD = { width: 1280, height: 720 } as const;
/**
 * The warm edit's size. 768×432 (16:9) keeps the full run within about three minutes on two cores:
 * the stand-in renders and the function converts the mask in JavaScript, both in proportion to
 * the pixels, so 200 edits at 1280×720 alone take over two minutes. `--edit-size 1280x720` measures
 * that size.
 */
const DEFAULT_EDIT_SIZE = '768x432';
/** Stability's edit services take up to 9.4 MP; Nova Canvas refuses 2048×2048 (4.19 MP, exclusive). */
const LARGE_EDIT_SIDE = 2048;

const MODEL_TIME_METHOD =
  'median of direct InvokeModel calls with the same bodies to the stand-in (BedrockRuntimeClient against stack.urls.bedrock), reading its x-local-model-ms header, interleaved with the timed requests; the overhead p95/max therefore also hold the stand-in’s own jitter (see stand-in p95).';

function parseSize(text: string): { width: number; height: number } {
  const match = /^(\d{2,4})x(\d{2,4})$/.exec(text);
  if (!match) throw new Error(`--edit-size must look like 768x432, got "${text}"`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Where the bench's own time goes, so the run stays within its budget (about three minutes). */
function createPhaseClock() {
  const seconds: Record<string, number> = {};
  let current: { name: string; startedMs: number } | undefined;
  const stop = (): void => {
    if (current) seconds[current.name] = (performance.now() - current.startedMs) / 1000;
    current = undefined;
  };
  return {
    start(name: string, detail = ''): void {
      stop();
      progress(`${name}${detail}`);
      current = { name, startedMs: performance.now() };
    },
    finish(): Record<string, number> {
      stop();
      return seconds;
    },
  };
}

/** The environment a function gets on the stack, for running its bundle in a child process. */
function functionEnv(stack: Stack, name: string): Record<string, string> {
  return {
    ...(stack.functionEnvironments[name] ?? stack.functionEnv),
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  };
}

function bundleOf(bundles: readonly BuiltFunction[], name: string): BuiltFunction {
  const found = bundles.find((bundle) => bundle.name === name);
  if (!found) throw new Error(`No bundle for ${name}; is functions/${name}/handler.ts there?`);
  return found;
}

async function measureColdStarts(
  stack: Stack,
  bundles: readonly BuiltFunction[],
  samples: number,
): Promise<ColdStart[]> {
  const importMs = new Map<string, number[]>();
  const processMs = new Map<string, number[]>();
  // Round-robin, so a disturbance on the machine spreads over all functions instead of one.
  for (let sample = 0; sample < samples; sample++) {
    for (const bundle of bundles) {
      const { result, spawnToResultMs } = await runChild<{
        importStartMs: number;
        importEndMs: number;
      }>(COLD_START_CHILD, [bundle.bundlePath], functionEnv(stack, bundle.name));
      importMs.set(bundle.name, [
        ...(importMs.get(bundle.name) ?? []),
        result.importEndMs - result.importStartMs,
      ]);
      processMs.set(bundle.name, [...(processMs.get(bundle.name) ?? []), spawnToResultMs]);
    }
  }
  return bundles.map((bundle) => ({
    name: bundle.name,
    importMs: summarize(importMs.get(bundle.name) ?? []),
    processMs: summarize(processMs.get(bundle.name) ?? []),
  }));
}

interface ImageAnswer {
  id: string;
  image_url: string;
  images: unknown[];
  cached?: boolean;
}

/** The request id API Gateway answered with (x-amzn-requestid), to find the function's log. */
function requestIdOf(response: ApiResponse): string {
  return response.headers.get('x-amzn-requestid') ?? '';
}

/** Splits each request's time using the function's own log line for it (see OverheadBreakdown). */
async function breakDown(
  logs: FunctionLogCapture,
  run: SequentialRun<string>,
  standInMedianMs: number,
): Promise<OverheadBreakdown | undefined> {
  // Log lines travel from the worker on its stdout stream, which may trail the HTTP answer.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const outsideHandler: number[] = [];
  const handlerBesidesModel: number[] = [];
  const modelCallBeyondStandIn: number[] = [];
  run.results.forEach((requestId, index) => {
    const log = logs.find(requestId);
    const total = run.durationsMs[index];
    if (!log || log.modelMs === undefined || total === undefined) return;
    outsideHandler.push(total - log.totalMs);
    handlerBesidesModel.push(log.totalMs - log.modelMs);
    modelCallBeyondStandIn.push(log.modelMs - standInMedianMs);
  });
  if (outsideHandler.length === 0) return undefined;
  return {
    matched: outsideHandler.length,
    outsideHandlerMs: summarize(outsideHandler),
    handlerBesidesModelCallMs: summarize(handlerBesidesModel),
    modelCallBeyondStandInMs: summarize(modelCallBeyondStandIn),
  };
}

async function measureOverhead(
  name: string,
  detail: string,
  invocations: readonly Invocation[],
  request: () => Promise<string>,
  context: { timer: StandInTimer; logs: FunctionLogCapture; plan: Plan },
): Promise<OverheadCase> {
  const { timer, logs, plan } = context;
  const every = Math.max(1, Math.floor(plan.warmRequests / plan.standInSamples));
  progress(
    `${name}: ${plan.warmUpRequests} warm-up + ${plan.warmRequests} timed requests, a direct stand-in call after every ${every}`,
  );
  // Unmeasured: the worker's cold start and JIT, and the direct client's HTTP/2 session.
  await timeSequentially(plan.warmUpRequests, request);
  await timer.sample(invocations);
  const samples: StandInSample[] = [];
  const run = await timeSequentially(plan.warmRequests, request, async (index) => {
    if (index % every === every - 1) samples.push(await timer.sample(invocations));
  });
  const standIn = summarizeStandIn(samples);
  const breakdown = await breakDown(logs, run, standIn.standInMs.p50);
  return {
    name,
    detail,
    totalMs: summarize(run.durationsMs),
    standInMs: standIn.standInMs,
    standInRoundTripMs: standIn.roundTripMs,
    overheadMs: summarize(subtractModelTime(run.durationsMs, standIn)),
    ...(breakdown ? { breakdown } : {}),
  };
}

interface ChildInvocation {
  outcome: string;
  body?: string;
  durationMs: number;
  afterImportMaxRssMb: number;
  maxRssMb: number;
}

/** Runs one function's bundle once in a fresh Node process with the stack's environment. */
async function invokeInChild(
  stack: Stack,
  bundles: readonly BuiltFunction[],
  workDir: string,
  invocation: { fn: string; event: unknown; env?: Record<string, string>; expect: string },
): Promise<ChildInvocation> {
  const eventPath = path.join(workDir, `event-${invocation.fn}-${Date.now()}.json`);
  await writeFile(eventPath, JSON.stringify(invocation.event));
  const { result } = await runChild<ChildInvocation>(
    INVOKE_ONCE_CHILD,
    [bundleOf(bundles, invocation.fn).bundlePath, eventPath],
    { ...functionEnv(stack, invocation.fn), ...invocation.env },
  );
  if (result.outcome !== invocation.expect) {
    throw new Error(
      `${invocation.fn} answered ${result.outcome} (expected ${invocation.expect}): ${result.body ?? ''}`,
    );
  }
  return result;
}

function peakRssRow(name: string, detail: string, result: ChildInvocation): PeakRss {
  return {
    name,
    detail,
    outcome: result.outcome,
    maxRssMb: result.maxRssMb,
    afterImportMaxRssMb: result.afterImportMaxRssMb,
    durationMs: result.durationMs,
  };
}

/**
 * A 2048² edit is refused on POST /edits (USE_JOBS: its estimated time is over the synchronous
 * deadline), so it is measured where it runs: the jobs function creates the job (its dispatch
 * goes to a recording inbox instead of the stack), then the job worker runs it in its own process.
 */
async function measureLargeEditRss(
  stack: Stack,
  bundles: readonly BuiltFunction[],
  workDir: string,
  user: BenchUser,
  editBody: Record<string, unknown>,
): Promise<PeakRss> {
  const inbox = await startLambdaInbox();
  try {
    await invokeInChild(stack, bundles, workDir, {
      fn: 'jobs',
      event: await proxyEvent({
        method: 'POST',
        resource: '/jobs',
        sub: user.sub,
        email: user.email,
        body: { type: 'edit', ...editBody },
      }),
      env: { AWS_ENDPOINT_URL_LAMBDA: inbox.url },
      expect: '202',
    });
    const dispatched = inbox.invocations[0];
    if (!dispatched) throw new Error('POST /jobs dispatched no job worker invocation');
    const worker = await invokeInChild(stack, bundles, workDir, {
      fn: 'job-worker',
      event: dispatched.payload,
      expect: 'succeeded',
    });
    return peakRssRow(
      'job worker (POST /jobs edit)',
      `inpaint ${LARGE_EDIT_SIDE}², Stability`,
      worker,
    );
  } finally {
    await inbox.close();
  }
}

async function measureCostGuard(stack: Stack): Promise<CostGuard> {
  const stats = stack.bedrockStats;
  if (!stats) throw new Error('The cost guard needs the local Bedrock stand-in');
  // A prompt no earlier run used, so the first request really is the first.
  const body = { prompt: `cost guard ${Date.now()}`, model: NOVA, ...HD, seed: 42 };
  const send = async (): Promise<{ ms: number; answer: ImageAnswer }> => {
    const started = performance.now();
    const response = await postJson<ImageAnswer>(`${stack.invokeUrl}/generate`, body);
    const ms = performance.now() - started;
    expectStatus(response, 200, 'POST /generate (seeded)');
    return { ms, answer: response.body };
  };
  const modelCallsBefore = stats().invocations;
  const first = await send();
  const modelCallsAfterFirst = stats().invocations;
  const repeat = await send();
  const modelCallsAfterRepeat = stats().invocations;
  return {
    request: `POST /generate ${NOVA} ${HD.width}×${HD.height} seed 42`,
    firstMs: first.ms,
    repeatMs: repeat.ms,
    repeatCached: repeat.answer.cached === true && repeat.answer.id === first.answer.id,
    modelCallsBefore,
    modelCallsAfterFirst,
    modelCallsAfterRepeat,
  };
}

async function measureThroughput(stack: Stack, plan: Plan): Promise<Throughput> {
  // A seeded repeat is answered from DynamoDB and S3 without the model, so the stand-in's image
  // rendering (on this process's event loop) does not decide the figure; the gateway, the
  // Lambda runtime, DynamoDB and pre-signing do.
  const body = { prompt: `throughput ${Date.now()}`, model: NOVA, ...HD, seed: 7 };
  const request = async (): Promise<void> => {
    const response = await postJson<ImageAnswer>(`${stack.invokeUrl}/generate`, body);
    expectStatus(response, 200, 'POST /generate (cached)');
    if (response.body.cached !== true) throw new Error('expected a cached answer');
  };
  const seeded = await postJson(`${stack.invokeUrl}/generate`, body);
  expectStatus(seeded, 200, 'POST /generate (seed the cache)');
  const runs = [];
  for (const { clients, requests } of plan.throughput) {
    // Unmeasured rounds at full concurrency first: they start a Lambda worker per client (cold
    // starts) and give each worker's JIT a few requests; V8 warms up per worker, not per process.
    await runConcurrently({
      clients,
      requests: clients * plan.throughputWarmUpPerClient,
      request,
    });
    progress(`throughput: ${clients} clients × ${requests} requests`);
    runs.push(await runConcurrently({ clients, requests, request }));
  }
  return {
    request: `POST /generate seeded repeat (cache hit, no model call; gateway + Lambda runtime + DynamoDB + pre-signing), 127.0.0.1`,
    runs,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'side-by-side': { type: 'boolean', default: false },
      ...SIDE_BY_SIDE_ARGS,
      'edit-size': { type: 'string', default: DEFAULT_EDIT_SIZE },
      out: { type: 'string', default: path.join(REPO_ROOT, 'dist', 'bench.json') },
    },
  });
  const plan = values.quick ? PLANS.quick : PLANS.full;
  const editSize = parseSize(values['edit-size']);

  const sideBySide = await runSideBySide({
    ...DEFAULT_SIDE_BY_SIDE,
    ...sampleCounts(values, values.quick),
    log: progress,
  });
  process.stdout.write(renderSideBySide(sideBySide));
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), DEFAULT_SIDE_BY_SIDE.out)}\n\n`);
  if (values['side-by-side']) return;
  const startedAt = performance.now();
  const loadAverage = os.loadavg();

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'imagegen-bench-'));
  // Its own build in its own folder: a `npm run build` elsewhere (tests, dev) replaces
  // dist/functions while the bench would be loading it.
  const bundlesDir = path.join(workDir, 'functions');
  const logs = captureFunctionLogs();
  const phases = createPhaseClock();
  let stack: Stack | undefined;
  let timer: StandInTimer | undefined;
  try {
    phases.start('build');
    const bundles = await buildFunctions({ outDir: bundlesDir });
    phases.start('stack start');
    stack = await startStack({
      dataDir: path.join(workDir, 'state'),
      bundlesDir,
      ports: {
        gateway: 0,
        s3: 0,
        dynamodb: 0,
        cognito: 0,
        bedrock: 0,
        lambda: 0,
        bedrockControl: 0,
      },
      log: false,
      // The models the bench calls; the default list holds only the one "active" model.
      functionEnv: {
        ALLOWED_MODELS: ['stability.stable-image-core-v1:1', NOVA, INPAINT].join(','),
      },
    });
    const liveStack = stack;

    phases.start('cold starts', ` (${plan.coldStartSamples} per function)`);
    const coldStart = await measureColdStarts(liveStack, bundles, plan.coldStartSamples);

    phases.start('sign-in and uploads');
    const user: BenchUser = await createSignedInUser(liveStack);
    const editImage = photoLikePng(editSize.width, editSize.height);
    const editMask = centreMaskPng(editSize.width, editSize.height);
    const editKey = await uploadPng(liveStack.invokeUrl, user, editImage);
    const largeImage = photoLikePng(LARGE_EDIT_SIDE, LARGE_EDIT_SIDE);
    const largeMask = centreMaskPng(LARGE_EDIT_SIDE, LARGE_EDIT_SIDE);
    const largeKey = await uploadPng(liveStack.invokeUrl, user, largeImage);

    timer = createStandInTimer({
      endpoint: liveStack.urls.bedrock,
      region: liveStack.config.region,
    });
    const prompt = 'a lighthouse at dusk, oil painting';
    const generateParams = { prompt, ...HD };
    const generateInvocations = adapterFor(NOVA).buildTextToImage(NOVA, generateParams);
    const editBody = {
      imageKey: editKey,
      mask: Buffer.from(editMask).toString('base64'),
      prompt: 'a red sailing boat',
      operation: 'inpaint',
    } as const;
    const editInvocations = adapterFor(INPAINT).buildEdit(INPAINT, {
      operation: 'inpaint',
      image: { bytes: editImage, ...probeImage(editImage) },
      mask: editMask,
      prompt: editBody.prompt,
    });
    const query = new URLSearchParams({
      prompt,
      model: NOVA,
      width: String(HD.width),
      height: String(HD.height),
    });

    phases.start('warm overhead');
    const measuring = { timer, logs, plan };
    const overhead: OverheadCase[] = [];
    overhead.push(
      await measureOverhead(
        'POST /generate',
        `Nova ${HD.width}×${HD.height} PNG`,
        generateInvocations,
        async () => {
          const response = await postJson(`${liveStack.invokeUrl}/generate`, {
            ...generateParams,
            model: NOVA,
          });
          expectStatus(response, 200, 'POST /generate');
          return requestIdOf(response);
        },
        measuring,
      ),
    );
    overhead.push(
      await measureOverhead(
        'GET /generate',
        `Nova ${HD.width}×${HD.height} PNG, 302`,
        generateInvocations,
        async () => {
          const response = await getNoRedirect(
            `${liveStack.invokeUrl}/generate?${query.toString()}`,
          );
          expectStatus(response, 302, 'GET /generate');
          return requestIdOf(response);
        },
        measuring,
      ),
    );
    overhead.push(
      await measureOverhead(
        'POST /edits',
        `inpaint ${editSize.width}×${editSize.height}, Stability`,
        editInvocations,
        async () => {
          const response = await postJson(`${liveStack.invokeUrl}/edits`, editBody, user.idToken);
          expectStatus(response, 200, 'POST /edits');
          return requestIdOf(response);
        },
        measuring,
      ),
    );

    phases.start('peak RSS', ' (one request per fresh process)');
    const fourImages = await invokeInChild(liveStack, bundles, workDir, {
      fn: 'generate',
      event: await proxyEvent({
        method: 'POST',
        resource: '/generate',
        body: { prompt, model: NOVA, width: 1024, height: 1024, count: 4 },
      }),
      expect: '200',
    });
    const peakRss: PeakRss[] = [
      peakRssRow('POST /generate', 'Nova 4 × 1024²', fourImages),
      await measureLargeEditRss(liveStack, bundles, workDir, user, {
        imageKey: largeKey,
        mask: Buffer.from(largeMask).toString('base64'),
        prompt: 'a red sailing boat',
        operation: 'inpaint',
      }),
    ];

    phases.start('cost guard');
    const costGuard = await measureCostGuard(liveStack);

    phases.start('throughput');
    const throughput = await measureThroughput(liveStack, plan);

    const report: BenchReport = {
      meta: {
        date: new Date().toISOString(),
        command: [
          'npm run bench',
          ...(values.quick || values['edit-size'] !== DEFAULT_EDIT_SIZE ? [' --'] : []),
          values.quick ? ' --quick' : '',
          values['edit-size'] === DEFAULT_EDIT_SIZE ? '' : ` --edit-size ${values['edit-size']}`,
        ].join(''),
        quick: values.quick,
        node: process.version,
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
        cpuCount: os.cpus().length,
        loadAverage,
        ...(gitCommit() ? { commit: gitCommit() } : {}),
        modelTimeMethod: MODEL_TIME_METHOD,
        durationSeconds: (performance.now() - startedAt) / 1000,
        phaseSeconds: phases.finish(),
      },
      bundles: bundles.map(({ name, bundleBytes, zipBytes }) => ({ name, bundleBytes, zipBytes })),
      coldStart: { samples: plan.coldStartSamples, functions: coldStart },
      overhead: {
        samples: plan.warmRequests,
        standInSamples: plan.standInSamples,
        cases: overhead,
      },
      peakRss,
      costGuard,
      throughput,
    };

    timer.close();
    timer = undefined;
    await stack.close();
    stack = undefined;
    logs.restore();

    await mkdir(path.dirname(values.out), { recursive: true });
    // One decimal is more than the run-to-run noise; more digits only make the file harder to read.
    const oneDecimal = (_key: string, value: unknown): unknown =>
      typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10) / 10 : value;
    await writeFile(values.out, JSON.stringify(report, oneDecimal, 2) + '\n');
    process.stdout.write(renderReport(report));
    process.stdout.write(`\nWrote ${path.relative(process.cwd(), values.out)}\n`);
  } finally {
    logs.restore();
    timer?.close();
    await stack?.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
