/**
 * The local Bedrock stand-in's own time per request, measured outside the functions: the same
 * InvokeModel bodies the functions send, sent straight to the stand-in, reading the
 * `x-local-model-ms` header it sets (time from having the body to having the answer). The bench
 * interleaves these samples with the requests it times, so both see the same machine load.
 */
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { performance } from 'node:perf_hooks';

import type { Invocation } from '../../shared/models/types.js';
import { LOCAL_CREDENTIALS } from '../local/stack.js';
import { summarize, type Summary } from './stats.js';

export const MODEL_TIME_HEADER = 'x-local-model-ms';

export interface StandInTime {
  /** What the stand-in reports it spent (header), summed over the request's invocations. */
  standInMs: Summary;
  /** The same calls timed from this process: stand-in time plus SDK, HTTP/2 and JSON. */
  roundTripMs: Summary;
}

/** One request's worth of direct calls. */
export interface StandInSample {
  standInMs: number;
  roundTripMs: number;
}

export interface StandInTimer {
  /** Sends `invocations` (one request's worth) one after another and times them. */
  sample(invocations: readonly Invocation[]): Promise<StandInSample>;
  close(): void;
}

export function summarizeStandIn(samples: readonly StandInSample[]): StandInTime {
  return {
    standInMs: summarize(samples.map((sample) => sample.standInMs)),
    roundTripMs: summarize(samples.map((sample) => sample.roundTripMs)),
  };
}

export function createStandInTimer(options: { endpoint: string; region: string }): StandInTimer {
  const client = new BedrockRuntimeClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  let lastHeaderMs: number | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const { headers } = result.response as { headers?: Record<string, string> };
      const value = headers?.[MODEL_TIME_HEADER];
      lastHeaderMs = value === undefined ? undefined : Number(value);
      return result;
    },
    { step: 'deserialize', name: 'benchReadModelTime' },
  );

  const invokeOnce = async (invocation: Invocation): Promise<number> => {
    lastHeaderMs = undefined;
    await client.send(
      new InvokeModelCommand({
        modelId: invocation.modelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify(invocation.body),
      }),
    );
    if (lastHeaderMs === undefined || Number.isNaN(lastHeaderMs)) {
      throw new Error(`The Bedrock stand-in sent no ${MODEL_TIME_HEADER} header`);
    }
    return lastHeaderMs;
  };

  return {
    async sample(invocations) {
      let standInMs = 0;
      const started = performance.now();
      for (const invocation of invocations) standInMs += await invokeOnce(invocation);
      return { standInMs, roundTripMs: performance.now() - started };
    },
    close: () => client.destroy(),
  };
}

/** Per-request overhead: each total minus the stand-in's median time for the same body. */
export function subtractModelTime(totalsMs: readonly number[], standIn: StandInTime): number[] {
  const modelMs = standIn.standInMs.p50;
  return totalsMs.map((total) => total - modelMs);
}
