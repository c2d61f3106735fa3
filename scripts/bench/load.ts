/** Drivers that time requests: one after another, or from N clients at once. */
import { performance } from 'node:perf_hooks';

import { summarize, type Summary } from './stats.js';

/** One request of a run; `index` counts from 0 across all clients. Throw to count a failure. */
export type TimedRequest<Result = unknown> = (index: number) => Promise<Result>;

export interface SequentialRun<Result> {
  /** Wall time of each request in ms, in the order sent. */
  durationsMs: number[];
  /** What each request returned, in the same order. */
  results: Result[];
}

/**
 * Runs `count` requests one after another, timing each; the first failure ends the run.
 * `afterEach` runs (untimed) after every request, e.g. to take a reference sample under the same
 * conditions as the requests.
 */
export async function timeSequentially<Result>(
  count: number,
  request: TimedRequest<Result>,
  afterEach?: (index: number) => Promise<void>,
): Promise<SequentialRun<Result>> {
  const durationsMs: number[] = [];
  const results: Result[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    results.push(await request(index));
    durationsMs.push(performance.now() - started);
    await afterEach?.(index);
  }
  return { durationsMs, results };
}

export interface ConcurrentRun {
  clients: number;
  requests: number;
  failures: number;
  /** The first failure's message, to say what went wrong without flooding the output. */
  firstError?: string;
  elapsedMs: number;
  /** Successful requests per second of wall time. */
  requestsPerSecond: number;
  /** Latency of the successful requests. */
  latencyMs?: Summary;
}

/**
 * `clients` loops share one counter and each sends its next request as soon as its last one
 * finished (a closed loop, like N users), until `requests` requests were sent in total.
 */
export async function runConcurrently(options: {
  clients: number;
  requests: number;
  request: TimedRequest;
}): Promise<ConcurrentRun> {
  const { clients, requests, request } = options;
  let next = 0;
  let failures = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];

  const client = async (): Promise<void> => {
    while (next < requests) {
      const index = next++;
      const started = performance.now();
      try {
        await request(index);
        latencies.push(performance.now() - started);
      } catch (error) {
        failures++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(clients, requests) }, client));
  const elapsedMs = performance.now() - started;
  return {
    clients,
    requests,
    failures,
    ...(firstError === undefined ? {} : { firstError }),
    elapsedMs,
    requestsPerSecond: (latencies.length * 1000) / elapsedMs,
    ...(latencies.length > 0 ? { latencyMs: summarize(latencies) } : {}),
  };
}
