/** The ModelInvoker port on Bedrock Runtime InvokeModel. */
import { Buffer } from 'node:buffer';

import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

import type { InvocationResult, ModelInvoker } from '../core/ports.js';
import { AppError } from '../errors.js';
import { classifyBedrockError, collectOutputs, withDecodedBase64 } from '../models/index.js';
import type { Invocation, ModelAdapter, ModelOutput } from '../models/types.js';
import type { BytePool } from './byte-pool.js';
import {
  parseJsonDecodingBase64,
  stringifyWithBase64,
  type ByteAllocator,
  type ParsedWithBase64,
} from './json-bytes.js';

/** Named in MODEL_UNAVAILABLE messages so operators know which setting picks the model. */
export const MODEL_SETTING_HINT =
  'ALLOWED_MODELS / DEFAULT_MODEL / EDIT_MODELS (Terraform: allowed_models, default_model, edit_models)';

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const abort = () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

export interface BedrockInvokerOptions {
  /** Deadline for all invocations of one request, SDK retries included. */
  timeoutMs: number;
  /**
   * Where answers are read into and images decoded into, reused across requests (byte-pool.ts
   * says why). Response bodies from this pool (the clients' pooledStreamCollector) are given back
   * once parsed; the images once the caller calls the result's `release`.
   */
  bytes?: BytePool;
}

/** Buffers taken from the pool for one request: the decoded images, given back on release. */
class TakenBytes implements ByteAllocator {
  private readonly buffers: Buffer[] = [];
  constructor(private readonly pool: BytePool | undefined) {}
  take(bytes: number): Buffer {
    if (!this.pool) return Buffer.allocUnsafe(bytes);
    const buffer = this.pool.take(bytes);
    this.buffers.push(buffer);
    return buffer.subarray(0, bytes);
  }
  give(buffer: Buffer): void {
    // Forget it too: giving it again in giveAll, after someone else took it, would hand one
    // buffer to two owners.
    const index = this.buffers.findIndex((taken) => taken.buffer === buffer.buffer);
    if (index < 0) return;
    this.buffers.splice(index, 1);
    this.pool?.give(buffer);
  }
  giveAll(): void {
    for (const buffer of this.buffers.splice(0)) this.pool?.give(buffer);
  }
}

/** Buffers for one use, given back by the caller (request bodies). */
function poolAllocator(pool: BytePool): ByteAllocator {
  return {
    take: (bytes) => pool.take(bytes).subarray(0, bytes),
    give: (buffer) => pool.give(buffer),
  };
}

export class BedrockInvoker implements ModelInvoker {
  /**
   * @param clientFor The client for a model id: models are served in different Regions, so the
   * composition root routes each id to its Region's client (shared/models/model-regions.ts).
   */
  constructor(
    private readonly clientFor: (modelId: string) => BedrockRuntimeClient,
    private readonly options: BedrockInvokerOptions,
  ) {}

  /**
   * Sends every invocation at once. A content-filtered invocation counts as filtered images; any
   * other failure aborts the rest and becomes the answer. The overall deadline (abort signal)
   * keeps SDK retries from outliving API Gateway's 29 s.
   */
  async invoke(
    adapter: ModelAdapter,
    invocations: Invocation[],
    signal?: AbortSignal,
  ): Promise<InvocationResult> {
    const startedMs = performance.now();
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const siblings = new AbortController();
    const abortSignal = AbortSignal.any([deadline, siblings.signal, ...(signal ? [signal] : [])]);

    const pool = this.options.bytes;
    const taken = new TakenBytes(pool);
    const parts = await Promise.all(
      invocations.map((invocation) =>
        this.invokeOne(adapter, invocation, abortSignal, pool, taken).catch((error: unknown) => {
          // Once one invocation failed, the others were aborted because of it: report the cause.
          if (siblings.signal.aborted) return siblings.signal.reason as AppError;
          const appError = deadline.aborted
            ? new AppError(
                'MODEL_TIMEOUT',
                `${invocation.modelId} did not answer within ${this.options.timeoutMs} ms; try fewer images or a smaller size.`,
                { cause: error },
              )
            : classifyBedrockError(error, invocation.modelId, MODEL_SETTING_HINT);
          if (appError.code !== 'CONTENT_FILTERED') siblings.abort(appError);
          return appError;
        }),
      ),
    );
    let output: ModelOutput;
    try {
      output = collectOutputs(parts);
    } catch (error) {
      // Nothing of this answer is handed out: its images can be reused at once.
      taken.giveAll();
      throw error;
    }
    return {
      output,
      modelMs: Math.round(performance.now() - startedMs),
      release: () => taken.giveAll(),
    };
  }

  private async invokeOne(
    adapter: ModelAdapter,
    invocation: Invocation,
    abortSignal: AbortSignal,
    pool: BytePool | undefined,
    taken: TakenBytes,
  ): Promise<ModelOutput> {
    // An edit's images go into the request bytes as they are (json-bytes.ts says why).
    const body = pool ? stringifyWithBase64(invocation.body, poolAllocator(pool)) : undefined;
    const response = await Promise.race([
      this.clientFor(invocation.modelId).send(
        new InvokeModelCommand({
          modelId: invocation.modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body: body ?? JSON.stringify(invocation.body),
        }),
        { abortSignal },
      ),
      // The SDK checks the signal between attempts and while a request is in flight, but not
      // during retry back-off; the race makes the deadline exact whatever the SDK is doing.
      rejectOnAbort(abortSignal),
    ]);
    // Answered, so every attempt has sent its last byte. (After a failure an attempt may still
    // be writing: those bytes are left to the garbage collector.)
    if (body instanceof Uint8Array) pool?.give(body);
    let parsed: ParsedWithBase64;
    try {
      // The images come back decoded already, straight into the buffers that are uploaded.
      parsed = parseJsonDecodingBase64(response.body, { allocate: taken });
    } catch (error) {
      throw new AppError('UPSTREAM_ERROR', `${invocation.modelId} answered with invalid JSON.`, {
        cause: error,
      });
    } finally {
      // Parsed into strings and decoded images: nothing reads the body any more.
      pool?.give(response.body);
    }
    const output = withDecodedBase64(parsed.decoded, () =>
      adapter.parseResponse(invocation.modelId, parsed.value),
    );
    const sentSeed = invocation.seed;
    if (sentSeed === undefined) return output;
    // Nova and Titan do not say which seed they used: it is the one this call sent.
    return {
      ...output,
      images: output.images.map((image) =>
        image.seed === undefined ? { ...image, seed: sentSeed } : image,
      ),
    };
  }
}
