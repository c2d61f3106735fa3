import {
  TARGETS,
  costGuardHolds,
  formatTable,
  renderReport,
  type BenchReport,
  type CostGuard,
} from './report.js';
import { summarize } from './stats.js';

const flat = (value: number) => summarize([value]);

function sampleReport(): BenchReport {
  return {
    meta: {
      date: '2026-01-01T00:00:00.000Z',
      command: 'npm run bench',
      quick: false,
      node: 'v20.0.0',
      platform: 'linux',
      cpu: 'Test CPU',
      cpuCount: 2,
      loadAverage: [0.5, 0.4, 0.3],
      modelTimeMethod: 'direct calls',
      durationSeconds: 100,
      phaseSeconds: { build: 9, 'cold starts': 14 },
    },
    bundles: [
      { name: 'small', bundleBytes: 600 * 1024, zipBytes: TARGETS.zipBytes },
      { name: 'large', bundleBytes: 1200 * 1024, zipBytes: TARGETS.zipBytes + 1 },
    ],
    coldStart: {
      samples: 10,
      functions: [{ name: 'small', importMs: flat(150), processMs: flat(190) }],
    },
    overhead: {
      samples: 200,
      standInSamples: 30,
      cases: [
        {
          name: 'POST /fast',
          detail: 'meets',
          totalMs: flat(70),
          standInMs: flat(62),
          standInRoundTripMs: flat(66),
          overheadMs: flat(TARGETS.overheadP50Ms),
        },
        {
          name: 'POST /noisy',
          detail: 'stand-in varied more than the overhead',
          totalMs: flat(70),
          standInMs: flat(75),
          standInRoundTripMs: flat(80),
          overheadMs: flat(-5),
        },
        {
          name: 'POST /slow',
          detail: 'misses',
          totalMs: flat(300),
          standInMs: flat(100),
          standInRoundTripMs: flat(110),
          overheadMs: flat(200),
          breakdown: {
            matched: 200,
            outsideHandlerMs: flat(4),
            handlerBesidesModelCallMs: flat(150),
            modelCallBeyondStandInMs: flat(46),
          },
        },
      ],
    },
    peakRss: [
      {
        name: 'POST /fits',
        detail: 'd',
        outcome: '200',
        maxRssMb: 100,
        afterImportMaxRssMb: 60,
        durationMs: 10,
      },
      {
        name: 'POST /huge',
        detail: 'd',
        outcome: '200',
        maxRssMb: TARGETS.peakRssMb + 1,
        afterImportMaxRssMb: 60,
        durationMs: 10,
      },
    ],
    costGuard: {
      request: 'seeded',
      firstMs: 100,
      repeatMs: 10,
      repeatCached: true,
      modelCallsBefore: 3,
      modelCallsAfterFirst: 4,
      modelCallsAfterRepeat: 4,
    },
    throughput: {
      request: 'cached',
      runs: [
        {
          clients: 8,
          requests: 100,
          failures: 0,
          elapsedMs: 1000,
          requestsPerSecond: 100,
          latencyMs: flat(80),
        },
      ],
    },
  };
}

/** The table row that starts with `label`. */
function rowOf(text: string, label: string): string {
  const row = text.split('\n').find((line) => line.startsWith(label));
  if (row === undefined) throw new Error(`no row ${label} in\n${text}`);
  return row;
}

describe('formatTable', () => {
  it('pads the first column left-aligned and the others right-aligned', () => {
    const table = formatTable(
      ['name', 'size'],
      [
        ['a', '1 KB'],
        ['longer', '100 KB'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'name      size',
      '──────  ──────',
      'a         1 KB',
      'longer  100 KB',
    ]);
  });
});

describe('costGuardHolds', () => {
  const guard: CostGuard = sampleReport().costGuard;

  it('holds when the repeat was cached and the model was called only for the first', () => {
    expect(costGuardHolds(guard)).toBe(true);
  });

  it('fails when the repeat called the model again', () => {
    expect(costGuardHolds({ ...guard, modelCallsAfterRepeat: 5 })).toBe(false);
  });

  it('fails when the repeat was not marked cached', () => {
    expect(costGuardHolds({ ...guard, repeatCached: false })).toBe(false);
  });

  it('fails when even the first request never reached the model', () => {
    expect(costGuardHolds({ ...guard, modelCallsAfterFirst: 3, modelCallsAfterRepeat: 3 })).toBe(
      false,
    );
  });
});

describe('renderReport', () => {
  const text = renderReport(sampleReport());

  it('marks each bundle against the zip target, the limit itself passing', () => {
    expect(rowOf(text, 'small')).toMatch(/✓$/);
    expect(rowOf(text, 'large')).toMatch(/✗$/);
  });

  it('marks overhead p50 against its target', () => {
    expect(rowOf(text, 'POST /fast (meets)')).toMatch(/✓$/);
    expect(rowOf(text, 'POST /slow (misses)')).toMatch(/✗$/);
  });

  it('marks a negative overhead median as unknown rather than met', () => {
    expect(rowOf(text, 'POST /noisy')).toMatch(/\?$/);
  });

  it('marks peak RSS against the Lambda size', () => {
    expect(rowOf(text, 'POST /fits')).toMatch(/✓$/);
    expect(rowOf(text, 'POST /huge')).toMatch(/✗$/);
  });

  it('shows the breakdown only for cases that have one', () => {
    const breakdown = text.slice(text.indexOf('Where the overhead goes'));
    expect(breakdown).toContain('POST /slow');
    expect(breakdown.split('\n\n')[0]).not.toContain('POST /fast');
  });

  it('shows that the repeat made no model call', () => {
    expect(rowOf(text, 'repeat (cached: true)')).toMatch(/\+0\s+✓$/);
  });

  it('says how the stand-in time was measured and the machine load', () => {
    expect(text).toContain('Stand-in time: direct calls');
    expect(text).toContain('load 0.50 0.40 0.30');
    expect(text).toContain('time: build 9 s, cold starts 14 s');
  });
});
