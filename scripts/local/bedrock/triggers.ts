/**
 * Fault triggers: tokens written into a prompt (any text field of the request body) that make the
 * stand-in answer the way Bedrock does when something goes wrong. See README.md.
 */
export interface Triggers {
  /** `[[throttle]]`: 429 ThrottlingException. */
  throttle: boolean;
  /** `[[timeout]]`: 408 ModelTimeoutException. */
  timeout: boolean;
  /** `[[slow:<ms>]]`: wait that long before answering (capped at 10 minutes). */
  slowMs: number;
  /** `[[error]]`: 500 InternalServerException. */
  error: boolean;
  /** `[[unavailable]]`: 503 ServiceUnavailableException. */
  unavailable: boolean;
  /** `[[filter]]`: the model's input content filter. */
  filterInput: boolean;
  /** `[[filter-output]]`: the model's output content filter blocks every image. */
  filterOutput: boolean;
  /** `[[filter-some]]`: the output filter blocks some images (Nova/Titan). */
  filterSome: boolean;
  /** `[[malformed]]`: 200 with a body that is not the model's response shape. */
  malformed: boolean;
  /** `[[eol]]`: the answer of a model past its end of life. */
  endOfLife: boolean;
  /** `[[denied]]`: AccessDeniedException, as when model access was not granted. */
  denied: boolean;
}

export const MAX_SLOW_MS = 600_000;

/**
 * Reads triggers from the raw request text. Base64 never contains `[`, so scanning the whole body
 * finds exactly the tokens written into text fields, whatever the model family.
 */
export function parseTriggers(rawBody: string): Triggers {
  const tokens = new Set<string>();
  let slowMs = 0;
  for (const match of rawBody.matchAll(/\[\[([a-z-]+)(?::(\d+))?\]\]/g)) {
    const [, name = '', value] = match;
    if (name === 'slow' && value !== undefined) slowMs = Math.min(MAX_SLOW_MS, Number(value));
    tokens.add(name);
  }
  return {
    throttle: tokens.has('throttle'),
    timeout: tokens.has('timeout'),
    slowMs,
    error: tokens.has('error'),
    unavailable: tokens.has('unavailable'),
    filterInput: tokens.has('filter'),
    filterOutput: tokens.has('filter-output'),
    filterSome: tokens.has('filter-some'),
    malformed: tokens.has('malformed'),
    endOfLife: tokens.has('eol'),
    denied: tokens.has('denied'),
  };
}
