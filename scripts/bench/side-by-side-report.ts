/**
 * The side-by-side figures (issue 15): our built bundles against the seeds' own handlers and a
 * raw-client floor, per route, with the ratios and the issue's goals marked ✓/✗ (information only).
 */
import { median, percentile } from './stats.js';

/** Issue 15: warm p50 ≤ 0.33 × the seed's and ≤ 10 ms; cold ≤ 0.25 × the seed's. */
export const GOALS = { warmRatio: 0.33, warmMaxMs: 10, coldRatio: 0.25 } as const;

/** One timing run of a handler in a fresh process (see handler-timing-child.mjs). */
export interface TimingRun {
  importMs: number;
  firstMs: number;
  coldMs: number;
  warmMs: number[];
  /** CPU time (user + system, all threads) per warm call; absent without warm calls. */
  warmCpuMs?: number | null;
  maxRssMb: number;
}

/** One side's figures for a route. */
export interface Figures {
  /** Median over the cold runs of import + first call. */
  coldMs: number;
  /** Best (lowest) p50 and p95 over the warm rounds. */
  warmP50Ms: number;
  warmP95Ms: number;
  /** Least CPU time per warm call over the rounds: steadier than wall time on a busy machine. */
  warmCpuMs: number;
  /** Median peak RSS of one request in a fresh process (the cold runs). */
  peakRssMb: number;
  coldSamplesMs: number[];
  warmRoundsP50Ms: number[];
}

/** A side that was not measured, and why ("no seed handler", "n/a (no boto3)"). */
export interface Unavailable {
  unavailable: string;
}

export type Side = Figures | Unavailable;

export interface RouteFigures {
  route: string;
  detail: string;
  ours: Figures;
  seedName: string;
  seed: Side;
  floor: Figures;
  /** The same calls by a handler that is nothing but the AWS SDK clients (baselines/sdk-only). */
  sdkOnly?: Figures;
}

export interface ExtraRss {
  route: string;
  detail: string;
  peakRssMb: number;
  samples: number;
}

export interface SideBySideReport {
  meta: {
    date: string;
    node: string;
    python?: string;
    cpuCount: number;
    loadAverage: number[];
    coldRounds: number;
    warmRounds: number;
    warmCalls: number;
    commit?: string;
    method: string;
  };
  routes: RouteFigures[];
  extraRss: ExtraRss[];
  /**
   * POST /generate once more against ../shared/perf's own stand-ins (fakes.mjs), with the
   * environment its side-by-side script gives: the figures issue 15 quotes, with a floor.
   */
  sharedStandIns?: RouteFigures | Unavailable;
}

/** How the SDK-only baseline is made (the table's footnote). */
export const SDK_ONLY_METHOD =
  'the same calls written the plainest way with the AWS SDK clients as they come (scripts/bench/baselines/sdk-only/handler.ts), built as npm run build builds the functions; no validation, no error handling';

export function isFigures(side: Side): side is Figures {
  return !('unavailable' in side);
}

/** Figures from the cold runs and the warm runs of one side of a route. */
export function figuresOf(coldRuns: readonly TimingRun[], warmRuns: readonly TimingRun[]): Figures {
  if (coldRuns.length === 0 || warmRuns.length === 0) throw new Error('no runs to summarise');
  const p50s = warmRuns.map((run) => percentile(run.warmMs, 0.5));
  const p95s = warmRuns.map((run) => percentile(run.warmMs, 0.95));
  const cpus = warmRuns.map((run) => run.warmCpuMs ?? Number.NaN);
  return {
    coldMs: median(coldRuns.map((run) => run.coldMs)),
    warmP50Ms: Math.min(...p50s),
    warmP95Ms: Math.min(...p95s),
    warmCpuMs: Math.min(...cpus),
    peakRssMb: median(coldRuns.map((run) => run.maxRssMb)),
    coldSamplesMs: coldRuns.map((run) => run.coldMs),
    warmRoundsP50Ms: p50s,
  };
}

export interface Verdict {
  coldRatio: number;
  coldMet: boolean;
  warmRatio: number;
  warmMet: boolean;
  warmP95Ratio: number;
  cpuRatio: number;
  rssRatio: number;
}

/** Ours ÷ seed for a route, with the goals; undefined when there is no seed to compare with. */
export function verdictOf(route: RouteFigures): Verdict | undefined {
  if (!isFigures(route.seed)) return undefined;
  const { ours, seed } = route;
  const coldRatio = ours.coldMs / seed.coldMs;
  const warmRatio = ours.warmP50Ms / seed.warmP50Ms;
  return {
    coldRatio,
    coldMet: coldRatio <= GOALS.coldRatio,
    warmRatio,
    warmMet: warmRatio <= GOALS.warmRatio && ours.warmP50Ms <= GOALS.warmMaxMs,
    warmP95Ratio: ours.warmP95Ms / seed.warmP95Ms,
    cpuRatio: ours.warmCpuMs / seed.warmCpuMs,
    rssRatio: ours.peakRssMb / seed.peakRssMb,
  };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mb = (value: number): string => `${value.toFixed(0)} MB`;
const ratio = (value: number): string => `×${value.toFixed(2)}`;
const mark = (met: boolean): string => (met ? '✓' : '✗');

/**
 * What the goals ask of a route in milliseconds, and whether anything could meet them there: the
 * raw-client floor for the warm goal (no client of these stand-ins does less), the SDK-only
 * baseline for the cold goal (no handler built on the SDK clients starts with less).
 */
export interface Limits {
  warmGoalMs: number;
  floorMeetsWarmGoal: boolean;
  coldGoalMs: number;
  sdkOnlyMeetsColdGoal?: boolean;
}

export function limitsOf(route: RouteFigures): Limits | undefined {
  if (!isFigures(route.seed)) return undefined;
  const warmGoalMs = Math.min(GOALS.warmMaxMs, GOALS.warmRatio * route.seed.warmP50Ms);
  const coldGoalMs = GOALS.coldRatio * route.seed.coldMs;
  return {
    warmGoalMs,
    floorMeetsWarmGoal: route.floor.warmP50Ms <= warmGoalMs,
    coldGoalMs,
    ...(route.sdkOnly ? { sdkOnlyMeetsColdGoal: route.sdkOnly.coldMs <= coldGoalMs } : {}),
  };
}

/** One sentence per goal: what it asks here and whether the floor or the SDK alone allows it. */
export function describeLimits(route: RouteFigures): string | undefined {
  const limits = limitsOf(route);
  if (!limits) return undefined;
  const warm = limits.floorMeetsWarmGoal
    ? `the raw-client floor (${ms(route.floor.warmP50Ms)}) meets it`
    : `out of reach here: the raw-client floor alone takes ${ms(route.floor.warmP50Ms)}`;
  const sdkOnly = route.sdkOnly;
  const cold =
    sdkOnly === undefined
      ? 'no SDK-only baseline measured'
      : limits.sdkOnlyMeetsColdGoal
        ? `the SDK-only baseline (${ms(sdkOnly.coldMs)}) meets it`
        : `out of reach with the AWS SDK clients: the SDK-only baseline alone takes ${ms(sdkOnly.coldMs)}`;
  return `${route.route}: warm goal ≤ ${ms(limits.warmGoalMs)}, ${warm}; cold goal ≤ ${ms(limits.coldGoalMs)}, ${cold}.`;
}

/** The spread behind a figure: the range of the cold samples, or each warm round's p50. */
function spread(values: readonly number[], asRange: boolean): string {
  if (values.length < 2) return '';
  if (!asRange) return ` (${values.map((value) => value.toFixed(1)).join(', ')})`;
  return ` (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
}

function sideCells(side: Side): string[] {
  if (!isFigures(side)) return [side.unavailable, '', '', '', ''];
  return [
    `${ms(side.coldMs)}${spread(side.coldSamplesMs, true)}`,
    `${ms(side.warmP50Ms)}${spread(side.warmRoundsP50Ms, false)}`,
    ms(side.warmP95Ms),
    Number.isFinite(side.warmCpuMs) ? ms(side.warmCpuMs) : '–',
    mb(side.peakRssMb),
  ];
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const HEADER = [
  row(['route', 'side', 'cold', 'warm p50', 'warm p95', 'CPU / warm call', 'peak RSS']),
  row(['---', '---', '---:', '---:', '---:', '---:', '---:']),
];

/** A route's rows: ours, the seed, the SDK-only baseline when measured, the floor, the ratios. */
function routeRows(route: RouteFigures): string[] {
  const lines = [
    row([`${route.route} (${route.detail})`, 'ours', ...sideCells(route.ours)]),
    row(['', route.seedName, ...sideCells(route.seed)]),
  ];
  if (route.sdkOnly) lines.push(row(['', 'SDK only', ...sideCells(route.sdkOnly)]));
  lines.push(row(['', 'floor', ...sideCells(route.floor)]));
  const verdict = verdictOf(route);
  if (verdict) {
    lines.push(
      row([
        '',
        'ours ÷ seed',
        `${ratio(verdict.coldRatio)} ${mark(verdict.coldMet)}`,
        `${ratio(verdict.warmRatio)} ${mark(verdict.warmMet)}`,
        ratio(verdict.warmP95Ratio),
        ratio(verdict.cpuRatio),
        ratio(verdict.rssRatio),
      ]),
    );
  } else {
    const reason = isFigures(route.seed) ? '' : route.seed.unavailable;
    lines.push(row(['', 'ours ÷ seed', reason, reason, '', '', '']));
  }
  return lines;
}

export function renderSideBySide(report: SideBySideReport): string {
  const { meta } = report;
  const lines = [
    `Side by side: our built bundles vs the seeds' own handlers, an SDK-only baseline and a raw-client floor, against instant stand-ins (${meta.cpuCount} CPUs, load ${meta.loadAverage.map((load) => load.toFixed(2)).join(' ')})`,
    `cold = fresh process, import + first call, median (range) of ${meta.coldRounds}; warm = best of ${meta.warmRounds} rounds of ${meta.warmCalls} calls (each round’s p50); CPU = user + system time per warm call, best round; peak RSS = one request in a fresh process (median); runs interleaved ours/seed/SDK only/floor`,
    '',
    ...HEADER,
  ];
  for (const route of report.routes) lines.push(...routeRows(route));
  lines.push('');
  for (const extra of report.extraRss) {
    lines.push(
      `Peak RSS, ${extra.route} (${extra.detail}), ours: ${mb(extra.peakRssMb)} (median of ${extra.samples} fresh processes)`,
    );
  }
  lines.push(
    `Goals (issue 15, information only): cold ≤ ${ratio(GOALS.coldRatio)}; warm p50 ≤ ${ratio(GOALS.warmRatio)} and ≤ ${GOALS.warmMaxMs} ms.`,
  );
  for (const route of report.routes) {
    const limits = describeLimits(route);
    if (limits) lines.push(`- ${limits}`);
  }
  const shared = report.sharedStandIns;
  if (shared) {
    lines.push(
      '',
      "Against ../shared/perf's own stand-ins (fakes.mjs) and environment, as its side-by-side script runs:",
    );
    if ('unavailable' in shared) {
      lines.push(`not measured: ${shared.unavailable}`);
    } else {
      lines.push('', ...HEADER, ...routeRows(shared));
      const limits = describeLimits(shared);
      if (limits) lines.push(`- ${limits}`);
    }
  }
  lines.push(`SDK only: ${SDK_ONLY_METHOD}`, `Floor: ${meta.method}`);
  return `${lines.join('\n')}\n`;
}
