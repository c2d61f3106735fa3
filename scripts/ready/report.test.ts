import type { ModelReport } from './models.js';
import { failureCount, renderReport, type ReadinessReport } from './report.js';

const ok = (detail: string) => ({ verdict: 'ok' as const, detail });

function model(id: string, overrides: Partial<ModelReport> = {}): ModelReport {
  return {
    modelId: id,
    region: 'us-west-2',
    roles: ['allowed'],
    served: ok('served in us-west-2'),
    access: ok('entitled'),
    lifecycle: ok('Active'),
    ...overrides,
  };
}

const notSubscribed = {
  verdict: 'fail' as const,
  detail: 'not subscribed (no Marketplace agreement)',
  action: 'run without --no-subscribe',
};

describe('readiness report', () => {
  const report: ReadinessReport = {
    target: 'the deployed stack',
    region: 'us-west-2',
    models: [
      model('a', { access: notSubscribed }),
      model('b', { access: notSubscribed }),
      model('c', { lifecycle: { verdict: 'warn', detail: 'Legacy', action: 'plan the move' } }),
      model('d'),
    ],
    smoke: [
      { name: 'POST /generate', ok: true, detail: 'PNG' },
      { name: 'edit', ok: false, detail: '502 UPSTREAM_ERROR: boom' },
    ],
  };

  it('counts every ✗ (warnings do not fail)', () => {
    expect(failureCount(report)).toBe(3);
    expect(failureCount({ ...report, models: [model('d')], smoke: [] })).toBe(0);
  });

  it('renders one row per model, one "what to do" line per problem, and the smoke steps', () => {
    const text = renderReport(report);
    const lines = text.split('\n');
    expect(lines.find((line) => line.includes(' a ') || line.startsWith('✗  a'))).toMatch(
      /^✗ +a +allowed +✓ served in us-west-2 +✗ not subscribed/,
    );
    expect(lines.find((line) => line.startsWith('⚠  c'))).toMatch(/⚠ Legacy$/);
    expect(text).toContain(
      '  ✗ a, b: not subscribed (no Marketplace agreement) → run without --no-subscribe',
    );
    expect(text).toContain('  ⚠ c: Legacy → plan the move');
    expect(text).toMatch(/✗ +edit +502 UPSTREAM_ERROR: boom/);
    expect(lines.at(-1)).toBe('Not ready: 3 check(s) failed (✗ above).');
  });

  it('says ready when nothing failed', () => {
    expect(
      renderReport({ ...report, models: [model('d')], smoke: [] })
        .split('\n')
        .at(-1),
    ).toBe('Ready: every check passed.');
  });
});
