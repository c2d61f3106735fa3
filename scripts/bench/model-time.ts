/**
 * The local Bedrock stand-in's own time per request, measured outside the functions: the same
 * InvokeModel bodies the functions send, sent straight to the stand-in, reading the
 * `x-local-model-ms` header it sets (time from having the body to having the answer).
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

export interface StandInTimer {
  /** Sends `invocations` (one request's worth) `samples` times, one call at a time. */
  measure(invocations: readonly Invocation[], samples: number): Promise<StandInTime>;
  close(): void;
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
    async measure(invocations, samples) {
      // One unmeasured call first: the HTTP/2 session and the stand-in's code paths warm up.
      for (const invocation of invocations) await invokeOnce(invocation);
      const standIn: number[] = [];
      const roundTrip: number[] = [];
      for (let sample = 0; sample < samples; sample++) {
        let headerTotal = 0;
        const started = performance.now();
        for (const invocation of invocations) headerTotal += await invokeOnce(invocation);
        roundTrip.push(performance.now() - started);
        standIn.push(headerTotal);
      }
      return { standInMs: summarize(standIn), roundTripMs: summarize(roundTrip) };
    },
    close: () => client.destroy(),
  };
}

/** Per-request overhead: each total minus the stand-in's median time for the same body. */
export function subtractModelTime(totalsMs: readonly number[], standIn: StandInTime): number[] {
  const modelMs = standIn.standInMs.p50;
  return totalsMs.map((total) => total - modelMs);
}
