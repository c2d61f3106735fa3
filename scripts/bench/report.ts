/**
 * The bench's results: their shape (also what `dist/bench.json` holds), the issue's targets, and
 * the plain-text table `npm run bench` prints. Targets are informational: a miss prints ✗ and
 * the bench still exits 0.
 */
import type { ConcurrentRun } from './load.js';
import type { Summary } from './stats.js';

/** Issue 6's targets. KB means 1024 bytes, as `npm run build` prints them. */
export const TARGETS = {
  overheadP50Ms: 10,
  zipBytes: 250 * 1024,
  /** The Lambda memory size the peak RSS must fit. */
  peakRssMb: 256,
} as const;

export interface BundleSize {
  name: string;
  bundleBytes: number;
  zipBytes: number;
}

export interface ColdStart {
  name: string;
  /** From starting the bundle's import to having the handler (module init included). */
  importMs: Summary;
  /** From spawning the Node process to having the handler. */
  processMs: Summary;
}

/**
 * Where one request's time goes, from the function's own `request done` log line (p50s etc. of
 * per-request differences; each column is summarised separately, so they need not add up).
 */
export interface OverheadBreakdown {
  /** Requests whose log line was found. */
  matched: number;
  /** Client total − handler time: HTTP, the gateway (auth, VTL), the Lambda runtime hand-off. */
  outsideHandlerMs: Summary;
  /** Handler time − its Bedrock call: validation, DynamoDB, S3, pre-signing, mask conversion. */
  handlerBesidesModelCallMs: Summary;
  /** The handler's Bedrock call − the stand-in's median: SDK, signing, HTTP/2, decoding. */
  modelCallBeyondStandInMs: Summary;
}

export interface OverheadCase {
  name: string;
  detail: string;
  /** Wall time of each request as the client saw it. */
  totalMs: Summary;
  /** The stand-in's own time for the same body, from direct InvokeModel calls. */
  standInMs: Summary;
  /** Those direct calls timed from the client (stand-in + SDK + HTTP/2). */
  standInRoundTripMs: Summary;
  /** Each total minus the stand-in's median. */
  overheadMs: Summary;
  breakdown?: OverheadBreakdown;
}

export interface PeakRss {
  name: string;
  detail: string;
  /** The handler's answer: an HTTP status, or the job worker's outcome. */
  outcome: string;
  maxRssMb: number;
  /** Peak RSS once the bundle was imported, before the request. */
  afterImportMaxRssMb: number;
  durationMs: number;
}

export interface CostGuard {
  request: string;
  firstMs: number;
  repeatMs: number;
  repeatCached: boolean;
  modelCallsBefore: number;
  modelCallsAfterFirst: number;
  modelCallsAfterRepeat: number;
}

export interface Throughput {
  request: string;
  runs: ConcurrentRun[];
}

export interface BenchReport {
  meta: {
    date: string;
    command: string;
    quick: boolean;
    node: string;
    platform: string;
    cpu: string;
    cpuCount: number;
    /** 1, 5 and 15 minute load averages when the bench started; figures are noisy above cpuCount. */
    loadAverage: number[];
    commit?: string;
    /** How the stand-in's time was found, in words (printed with the table). */
    modelTimeMethod: string;
    durationSeconds: number;
    /** Wall time of each step of the bench itself. */
    phaseSeconds: Record<string, number>;
  };
  bundles: BundleSize[];
  coldStart: { samples: number; functions: ColdStart[] };
  overhead: { samples: number; standInSamples: number; cases: OverheadCase[] };
  peakRss: PeakRss[];
  costGuard: CostGuard;
  throughput: Throughput;
}

const PASS = '✓';
const FAIL = '✗';
const UNKNOWN = '?';

function mark(isMet: boolean): string {
  return isMet ? PASS : FAIL;
}

export function meetsZipTarget(bundle: BundleSize): boolean {
  return bundle.zipBytes <= TARGETS.zipBytes;
}

export function meetsOverheadTarget(overhead: OverheadCase): boolean {
  return overhead.overheadMs.p50 <= TARGETS.overheadP50Ms;
}

/**
 * ✓/✗ for the overhead, or ? when its median is negative: the stand-in's own time varied more
 * than the overhead, so this run cannot tell (rerun on a quieter machine).
 */
function overheadMark(overhead: OverheadCase): string {
  return overhead.overheadMs.p50 < 0 ? UNKNOWN : mark(meetsOverheadTarget(overhead));
}

export function meetsRssTarget(rss: PeakRss): boolean {
  return rss.maxRssMb <= TARGETS.peakRssMb;
}

/** The model was called for the first request and not again for its repeat. */
export function costGuardHolds(guard: CostGuard): boolean {
  return (
    guard.repeatCached &&
    guard.modelCallsAfterFirst > guard.modelCallsBefore &&
    guard.modelCallsAfterRepeat === guard.modelCallsAfterFirst
  );
}

/** Cells are padded to the widest in their column; numbers (all but the first column) align right. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mb = (value: number): string => `${value.toFixed(0)} MB`;

export function renderReport(report: BenchReport): string {
  const { meta } = report;
  const sections: string[] = [];
  sections.push(
    [
      `bench  ${meta.date}  ${meta.quick ? 'QUICK run (fewer samples)' : 'full run'}  ${meta.durationSeconds.toFixed(0)} s`,
      `time: ${Object.entries(meta.phaseSeconds)
        .map(([phase, seconds]) => `${phase} ${seconds.toFixed(0)} s`)
        .join(', ')}`,
      `node ${meta.node}  ${meta.platform}  ${meta.cpuCount} × ${meta.cpu}  load ${meta.loadAverage.map((load) => load.toFixed(2)).join(' ')}${meta.commit ? `  commit ${meta.commit}` : ''}`,
    ].join('\n'),
  );

  sections.push(
    `Bundles (target: zip ≤ ${kb(TARGETS.zipBytes)})\n` +
      formatTable(
        ['function', 'bundle', 'zip', ''],
        report.bundles.map((bundle) => [
          bundle.name,
          kb(bundle.bundleBytes),
          kb(bundle.zipBytes),
          mark(meetsZipTarget(bundle)),
        ]),
      ),
  );

  sections.push(
    `Cold start: fresh Node process imports the bundle until the handler is ready (median of ${report.coldStart.samples})\n` +
      formatTable(
        ['function', 'import', 'process', 'import p95'],
        report.coldStart.functions.map((cold) => [
          cold.name,
          ms(cold.importMs.p50),
          ms(cold.processMs.p50),
          ms(cold.importMs.p95),
        ]),
      ),
  );

  sections.push(
    `Warm overhead per request = total − stand-in median (n = ${report.overhead.samples}; target: p50 ≤ ${TARGETS.overheadP50Ms} ms)\n` +
      formatTable(
        ['request', 'p50', 'p95', 'max', 'total p50', 'stand-in p50', 'stand-in p95', ''],
        report.overhead.cases.map((overhead) => [
          `${overhead.name} (${overhead.detail})`,
          ms(overhead.overheadMs.p50),
          ms(overhead.overheadMs.p95),
          ms(overhead.overheadMs.max),
          ms(overhead.totalMs.p50),
          ms(overhead.standInMs.p50),
          ms(overhead.standInMs.p95),
          overheadMark(overhead),
        ]),
      ) +
      `\nStand-in time: ${meta.modelTimeMethod}`,
  );

  const brokenDown = report.overhead.cases.filter((overhead) => overhead.breakdown);
  if (brokenDown.length > 0) {
    sections.push(
      "Where the overhead goes (p50 of each part, from the function's own `request done` log line)\n" +
        formatTable(
          [
            'request',
            'outside handler',
            'handler − model call',
            'model call − stand-in',
            'matched',
          ],
          brokenDown.map((overhead) => {
            const parts = overhead.breakdown as OverheadBreakdown;
            return [
              overhead.name,
              ms(parts.outsideHandlerMs.p50),
              ms(parts.handlerBesidesModelCallMs.p50),
              ms(parts.modelCallBeyondStandInMs.p50),
              String(parts.matched),
            ];
          }),
        ) +
        '\noutside handler = client total − handler time (HTTP, gateway auth/VTL, Lambda hand-off);' +
        '\nhandler − model call = validation, DynamoDB, S3, pre-signing, mask conversion;' +
        '\nmodel call − stand-in = SDK signing, HTTP/2, JSON and base64 decoding of the answer.',
    );
  }

  sections.push(
    `Peak RSS of one request, bundle in its own Node process (target: ≤ ${TARGETS.peakRssMb} MB Lambda)\n` +
      formatTable(
        ['request', 'peak RSS', 'after import', 'answer', 'handler time', ''],
        report.peakRss.map((rss) => [
          `${rss.name} (${rss.detail})`,
          mb(rss.maxRssMb),
          mb(rss.afterImportMaxRssMb),
          rss.outcome,
          ms(rss.durationMs),
          mark(meetsRssTarget(rss)),
        ]),
      ),
  );

  const guard = report.costGuard;
  sections.push(
    `Cost guard: a seeded request repeated (${guard.request})\n` +
      formatTable(
        ['', 'latency', 'model calls', ''],
        [
          [
            'first',
            ms(guard.firstMs),
            `+${guard.modelCallsAfterFirst - guard.modelCallsBefore}`,
            '',
          ],
          [
            `repeat${guard.repeatCached ? ' (cached: true)' : ''}`,
            ms(guard.repeatMs),
            `+${guard.modelCallsAfterRepeat - guard.modelCallsAfterFirst}`,
            mark(costGuardHolds(guard)),
          ],
        ],
      ),
  );

  sections.push(
    `Throughput of the local gateway: ${report.throughput.request}\n` +
      formatTable(
        ['clients', 'requests', 'failed', 'req/s', 'p50', 'p95', 'max'],
        report.throughput.runs.map((run) => [
          String(run.clients),
          String(run.requests),
          String(run.failures),
          run.requestsPerSecond.toFixed(1),
          run.latencyMs ? ms(run.latencyMs.p50) : '-',
          run.latencyMs ? ms(run.latencyMs.p95) : '-',
          run.latencyMs ? ms(run.latencyMs.max) : '-',
        ]),
      ),
  );

  return sections.join('\n\n') + '\n';
}
