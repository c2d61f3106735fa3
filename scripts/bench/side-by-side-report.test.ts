import {
  describeLimits,
  figuresOf,
  limitsOf,
  renderSideBySide,
  verdictOf,
  type Figures,
  type RouteFigures,
  type SideBySideReport,
  type TimingRun,
} from './side-by-side-report.js';

const run = (
  coldMs: number,
  maxRssMb: number,
  warmMs: number[] = [],
  warmCpuMs?: number,
): TimingRun => ({
  importMs: coldMs / 2,
  firstMs: coldMs / 2,
  coldMs,
  warmMs,
  ...(warmCpuMs === undefined ? {} : { warmCpuMs }),
  maxRssMb,
});

const figures = (coldMs: number, warmP50Ms: number, peakRssMb = 100): Figures => ({
  coldMs,
  warmP50Ms,
  warmP95Ms: warmP50Ms * 2,
  warmCpuMs: warmP50Ms / 2,
  peakRssMb,
  coldSamplesMs: [coldMs],
  warmRoundsP50Ms: [warmP50Ms],
});

const route = (ours: Figures, seed: RouteFigures['seed']): RouteFigures => ({
  route: 'POST /generate',
  detail: 'default model',
  ours,
  seedName: 'seed 000',
  seed,
  floor: figures(20, 3, 60),
});

describe('figuresOf', () => {
  it('takes the median cold start and peak RSS, and the best warm round', () => {
    const cold = [run(300, 90), run(100, 70), run(200, 80)];
    const warm = [run(0, 0, [10, 12, 14, 16, 50], 6), run(0, 0, [8, 9, 11, 30, 40], 7)];
    expect(figuresOf(cold, warm)).toEqual({
      coldMs: 200,
      warmP50Ms: 11,
      warmP95Ms: 40,
      warmCpuMs: 6,
      peakRssMb: 80,
      coldSamplesMs: [300, 100, 200],
      warmRoundsP50Ms: [14, 11],
    });
  });

  it('leaves the CPU time unknown (NaN) when a run did not report it', () => {
    expect(figuresOf([run(1, 1)], [run(0, 0, [1])]).warmCpuMs).toBeNaN();
  });

  it('refuses to summarise nothing', () => {
    expect(() => figuresOf([], [run(0, 0, [1])])).toThrow('no runs');
  });
});

describe('verdictOf', () => {
  it('meets the warm goal only at ≤ 0.33 × the seed and ≤ 10 ms', () => {
    expect(verdictOf(route(figures(50, 9), figures(400, 30)))).toMatchObject({
      warmRatio: 0.3,
      warmMet: true,
      coldRatio: 0.125,
      coldMet: true,
    });
    // A third of a slow seed is still over 10 ms.
    expect(verdictOf(route(figures(50, 12), figures(400, 40)))?.warmMet).toBe(false);
    expect(verdictOf(route(figures(50, 5), figures(400, 10)))?.warmMet).toBe(false);
  });

  it('misses the cold goal above 0.25 × the seed', () => {
    const verdict = verdictOf(route(figures(101, 1), figures(400, 30)));
    expect(verdict?.coldMet).toBe(false);
    expect(verdict?.coldRatio).toBeCloseTo(0.2525);
  });

  it('has nothing to say without a seed', () => {
    expect(verdictOf(route(figures(50, 9), { unavailable: 'no seed handler' }))).toBeUndefined();
  });
});

describe('limitsOf', () => {
  it('asks for the lower of 10 ms and 0.33 × the seed, and 0.25 × the seed cold', () => {
    expect(limitsOf(route(figures(100, 20), figures(400, 60)))).toMatchObject({
      warmGoalMs: 10,
      coldGoalMs: 100,
    });
    expect(limitsOf(route(figures(100, 20), figures(400, 15)))?.warmGoalMs).toBeCloseTo(4.95);
  });

  it('says whether the floor meets the warm goal and the SDK-only baseline the cold one', () => {
    const slowFloor = { ...route(figures(100, 20), figures(400, 60)), floor: figures(50, 12) };
    expect(limitsOf(slowFloor)).toMatchObject({ floorMeetsWarmGoal: false });
    expect(limitsOf(slowFloor)?.sdkOnlyMeetsColdGoal).toBeUndefined();
    const withSdk = { ...slowFloor, floor: figures(50, 9.9), sdkOnly: figures(101, 30) };
    expect(limitsOf(withSdk)).toMatchObject({
      floorMeetsWarmGoal: true,
      sdkOnlyMeetsColdGoal: false,
    });
    expect(limitsOf({ ...withSdk, sdkOnly: figures(99, 30) })?.sdkOnlyMeetsColdGoal).toBe(true);
  });

  it('has nothing to say without a seed', () => {
    expect(limitsOf(route(figures(50, 9), { unavailable: 'no seed handler' }))).toBeUndefined();
    expect(describeLimits(route(figures(50, 9), { unavailable: 'x' }))).toBeUndefined();
  });

  it('names what puts a goal out of reach, with its figure', () => {
    const text = describeLimits({
      ...route(figures(100, 20), figures(400, 60)),
      floor: figures(50, 29.7),
      sdkOnly: figures(311.2, 78),
    });
    expect(text).toBe(
      'POST /generate: warm goal ≤ 10.0 ms, out of reach here: the raw-client floor alone takes 29.7 ms; cold goal ≤ 100.0 ms, out of reach with the AWS SDK clients: the SDK-only baseline alone takes 311.2 ms.',
    );
  });
});

describe('renderSideBySide', () => {
  const report: SideBySideReport = {
    meta: {
      date: '2026-12-04T12:00:00.000Z',
      node: 'v20.0.0',
      cpuCount: 2,
      loadAverage: [1, 0.5, 0.25],
      coldRounds: 5,
      warmRounds: 2,
      warmCalls: 100,
      method: 'raw client',
    },
    routes: [
      route(
        {
          ...figures(230, 44.14, 120),
          coldSamplesMs: [260, 210, 230],
          warmRoundsP50Ms: [47.5, 44.14],
        },
        figures(300, 30, 80),
      ),
      {
        ...route(figures(700, 150), { unavailable: 'no seed handler' }),
        route: 'POST /edits',
        seedName: 'seed',
      },
    ],
    extraRss: [{ route: 'POST /generate', detail: '4 × 1024²', peakRssMb: 140.4, samples: 3 }],
  };
  const text = renderSideBySide(report);
  const withShared = renderSideBySide({
    ...report,
    sharedStandIns: {
      ...route(figures(330, 40), figures(500, 60)),
      detail: 'fakes.mjs',
      floor: figures(100, 30),
      sdkOnly: figures(310, 78),
    },
  });

  it('prints ours, the seed and the floor per route, with the ratios and marks', () => {
    expect(text).toContain(
      '| POST /generate (default model) | ours | 230.0 ms (210–260) | 44.1 ms (47.5, 44.1) | 88.3 ms | 22.1 ms | 120 MB |',
    );
    expect(text).toContain('|  | seed 000 | 300.0 ms | 30.0 ms | 60.0 ms | 15.0 ms | 80 MB |');
    expect(text).toContain('|  | floor | 20.0 ms | 3.0 ms | 6.0 ms | 1.5 ms | 60 MB |');
    expect(text).toContain('|  | ours ÷ seed | ×0.77 ✗ | ×1.47 ✗ | ×1.47 | ×1.47 | ×1.50 |');
  });

  it('leaves the SDK-only row out where it was not measured', () => {
    expect(text).not.toContain('| SDK only |');
    expect(text).not.toContain('../shared/perf');
  });

  it('prints the measurements against ../shared/perf’s stand-ins with the SDK-only baseline', () => {
    const shared = withShared.slice(withShared.indexOf('../shared/perf'));
    expect(shared).toContain('| POST /generate (fakes.mjs) | ours | 330.0 ms | 40.0 ms |');
    expect(shared).toContain('|  | SDK only | 310.0 ms | 78.0 ms | 156.0 ms | 39.0 ms | 100 MB |');
    expect(shared).toContain('the raw-client floor alone takes 30.0 ms');
    expect(shared).toContain('the SDK-only baseline alone takes 310.0 ms');
    expect(
      renderSideBySide({ ...report, sharedStandIns: { unavailable: 'no fakes.mjs' } }),
    ).toContain('not measured: no fakes.mjs');
  });

  it('says why a route has no seed column', () => {
    expect(text).toContain('|  | seed | no seed handler |  |  |  |  |');
    expect(text).toContain('|  | ours ÷ seed | no seed handler | no seed handler |  |  |  |');
  });

  it('states the method, the extra peak RSS and the goals', () => {
    expect(text).toContain(
      'median (range) of 5; warm = best of 2 rounds of 100 calls (each round’s p50)',
    );
    expect(text).toContain(
      'Peak RSS, POST /generate (4 × 1024²), ours: 140 MB (median of 3 fresh processes)',
    );
    expect(text).toContain('cold ≤ ×0.25; warm p50 ≤ ×0.33 and ≤ 10 ms');
    expect(text).toContain('Floor: raw client');
  });
});
