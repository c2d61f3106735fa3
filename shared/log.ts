/**
 * Logging and metrics, configured once per container: structured JSON logs (Powertools Logger)
 * and CloudWatch EMF metrics (Powertools Metrics). Service name and namespace come from
 * POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE, set per function by Terraform.
 *
 * What is never logged: image bytes or base64, tokens and headers, whole events. Prompts only
 * when LOG_PROMPTS=true, and then cut to 200 characters.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';

import type { RequestFacts } from './core/ports.js';
import type { ErrorCode } from './errors.js';

export const logger = new Logger();
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ImageGen',
});

/** Longest prompt excerpt written to the logs when LOG_PROMPTS=true. */
export const MAX_LOGGED_PROMPT_CHARS = 200;

/** The prompt as it may appear in a log line: absent unless allowed, and truncated. */
export function promptForLog(prompt: string | undefined, isAllowed: boolean): string | undefined {
  if (!isAllowed || prompt === undefined) return undefined;
  return prompt.length > MAX_LOGGED_PROMPT_CHARS
    ? `${prompt.slice(0, MAX_LOGGED_PROMPT_CHARS)}…`
    : prompt;
}

/** The request's one log line: what the HTTP layer measured, plus the facts the service annotated. */
export interface RequestSummary extends RequestFacts {
  route: string;
  requestId?: string;
  /** `OK`, or the AppError code the request ended with. */
  outcome: 'OK' | ErrorCode;
  status: number;
  totalMs: number;
}

/**
 * Writes the one log line per request and its metrics: `Requests`, `Errors` (dimension `code`),
 * `ModelLatency` (dimension `model`) and `BedrockThrottles`, then flushes the EMF blob.
 */
export function recordRequest(summary: RequestSummary): void {
  const fields = Object.fromEntries(
    Object.entries(summary).filter(([, value]) => value !== undefined),
  );
  if (summary.status >= 500) logger.error('request failed', fields);
  else if (summary.status >= 400) logger.warn('request rejected', fields);
  else logger.info('request done', fields);

  metrics.addMetric('Requests', MetricUnit.Count, 1);
  if (summary.outcome !== 'OK') {
    metrics
      .singleMetric()
      .addDimension('code', summary.outcome)
      .addMetric('Errors', MetricUnit.Count, 1);
  }
  if (summary.outcome === 'THROTTLED') metrics.addMetric('BedrockThrottles', MetricUnit.Count, 1);
  if (summary.model !== undefined && summary.modelMs !== undefined) {
    metrics
      .singleMetric()
      .addDimension('model', summary.model)
      .addMetric('ModelLatency', MetricUnit.Milliseconds, summary.modelMs);
  }
  metrics.publishStoredMetrics();
}
