import type { EditRequest, GenerateRequest, HistoryItem } from './api/types.js';

/** Turning a history record back into the request that made it (for "re-run"). */

const GENERATE_KEYS = [
  'negativePrompt',
  'width',
  'height',
  'aspectRatio',
  'count',
  'cfgScale',
  'steps',
  'style',
  'quality',
] as const;

/** Edit settings a record keeps besides the input, mask, model, operation and prompt. */
const EDIT_KEYS = [
  'maskPrompt',
  'negativePrompt',
  'outpaint',
  'count',
  // The image-guided operations' settings, so a re-run of style-transfer keeps its style image.
  'style',
  'creativity',
  'strength',
  'controlStrength',
  'fidelity',
  'aspectRatio',
  'styleImageKey',
  'styleStrength',
  'compositionFidelity',
  'changeStrength',
  'similarityStrength',
  'colors',
] as const;

/** The seed the first image used, else the one requested. */
export function firstSeed(item: HistoryItem): number | undefined {
  const fromImage = item.images.find((image) => typeof image.seed === 'number')?.seed;
  if (typeof fromImage === 'number') return fromImage;
  const fromParameters = item.parameters?.seed;
  return typeof fromParameters === 'number' ? fromParameters : undefined;
}

/** Rebuilds the generate request from a record, with the seed the first image actually used. */
export function generateRequestFrom(item: HistoryItem): GenerateRequest | null {
  const prompt =
    item.prompt || (typeof item.parameters?.prompt === 'string' ? item.parameters.prompt : '');
  if (!prompt) return null;
  const request: GenerateRequest = { prompt, model: item.model };
  const parameters = item.parameters ?? {};
  for (const key of GENERATE_KEYS) {
    const value = parameters[key];
    if (value !== undefined && value !== null) Object.assign(request, { [key]: value });
  }
  // The first image's seed with the same count repeats the whole set: Stability numbers the
  // images seed, seed+1, …, and Nova/Titan make all of them from the one seed.
  const seed = firstSeed(item);
  if (seed !== undefined) request.seed = seed;
  return request;
}

export function inputUrlOf(item: HistoryItem): string | undefined {
  return item.input?.url ?? item.inputUrl;
}

export function maskUrlOf(item: HistoryItem): string | undefined {
  return item.mask?.url ?? item.maskUrl;
}

/** Rebuilds an edit request when the record kept the input's key. */
export function editRequestFrom(item: HistoryItem): EditRequest | null {
  const parameters = item.parameters ?? {};
  const imageKey = item.input?.key ?? parameters.imageKey;
  if (typeof imageKey !== 'string' || !imageKey) return null;
  const request: EditRequest = { imageKey, model: item.model };
  if (item.operation) request.operation = item.operation;
  if (item.prompt) request.prompt = item.prompt;
  for (const key of EDIT_KEYS) {
    const value = parameters[key];
    if (value !== undefined && value !== null) Object.assign(request, { [key]: value });
  }
  const seed = firstSeed(item);
  if (seed !== undefined) request.seed = seed;
  return request;
}
