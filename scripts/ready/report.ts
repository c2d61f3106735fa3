/** The readiness report as text: the model table, what to do for each ✗, the smoke steps. */
import type { Check, ModelReport, Verdict } from './models.js';
import type { StepResult } from './smoke.js';

const MARK: Record<Verdict, string> = { ok: '✓', warn: '⚠', fail: '✗' };

export function worst(checks: readonly Check[]): Verdict {
  if (checks.some((check) => check.verdict === 'fail')) return 'fail';
  if (checks.some((check) => check.verdict === 'warn')) return 'warn';
  return 'ok';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export interface ReadinessReport {
  target: string;
  region: string;
  models: ModelReport[];
  /** Models the target allows but that were deliberately not checked, with why. */
  notChecked?: { modelIds: string[]; reason: string };
  smoke: StepResult[];
}

/** Number of ✗ in the report: the command's exit status is non-zero when this is. */
export function failureCount(report: ReadinessReport): number {
  return (
    report.models.filter((model) => worst([model.served, model.access, model.lifecycle]) === 'fail')
      .length + report.smoke.filter((step) => !step.ok).length
  );
}

export function renderReport(report: ReadinessReport): string {
  const lines: string[] = [`Readiness of ${report.target} (Bedrock in ${report.region})`, ''];
  const cell = (check: Check): string => `${MARK[check.verdict]} ${check.detail}`;
  lines.push(
    table([
      ['', 'Model', 'Used as', 'Served', 'Subscribed / entitled', 'Lifecycle'],
      ...report.models.map((model) => [
        MARK[worst([model.served, model.access, model.lifecycle])],
        model.modelId,
        model.roles.join(', '),
        cell(model.served),
        cell(model.access),
        cell(model.lifecycle),
      ]),
    ]),
  );
  if (report.notChecked?.modelIds.length) {
    lines.push(
      '',
      `Not checked: ${report.notChecked.modelIds.join(', ')} — ${report.notChecked.reason}`,
    );
  }
  // One line per problem, naming every model that has it.
  const todo = new Map<
    string,
    { verdict: Verdict; detail: string; action: string; models: string[] }
  >();
  for (const model of report.models) {
    for (const check of [model.served, model.access, model.lifecycle]) {
      if (check.verdict === 'ok' || !check.action) continue;
      const key = `${check.verdict}|${check.detail}|${check.action}`;
      const entry = todo.get(key) ?? { ...check, action: check.action, models: [] };
      entry.models.push(model.modelId);
      todo.set(key, entry);
    }
  }
  if (todo.size) {
    lines.push('', 'What to do:');
    for (const entry of todo.values()) {
      lines.push(
        `  ${MARK[entry.verdict]} ${entry.models.join(', ')}: ${entry.detail} → ${entry.action}`,
      );
    }
  }
  if (report.smoke.length) {
    lines.push('', 'Smoke test', '');
    lines.push(table(report.smoke.map((step) => [step.ok ? '✓' : '✗', step.name, step.detail])));
  }
  const failures = failureCount(report);
  lines.push(
    '',
    failures === 0
      ? 'Ready: every check passed.'
      : `Not ready: ${failures} check(s) failed (✗ above).`,
  );
  return lines.join('\n');
}
