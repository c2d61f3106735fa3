/**
 * The stand-in against AWS's documented bodies (test/fixtures/aws-documented-examples.ts, each
 * citing its page): it accepts every documented request and answers in the documented response
 * shape; and for each documented limit, a documented body moved just inside the limit is accepted
 * while the same body just past it is refused. If the stand-in ever accepts a body that breaks a
 * documented limit, a test here fails.
 */
import { ValidationException } from '@aws-sdk/client-bedrock-runtime';

import {
  DOCUMENTED_EXAMPLES,
  IMAGE,
  MASK,
  OUTPUT,
  type DocumentedExample,
} from '../../../test/fixtures/aws-documented-examples.js';
import {
  invokeJson,
  makePngBase64,
  standInForSuite,
  testPattern,
  type Rgba,
} from './test-support.js';

const SIDE = 320;
const image = makePngBase64(SIDE, SIDE, testPattern);
const BLACK: Rgba = [0, 0, 0, 255];
const WHITE: Rgba = [255, 255, 255, 255];
/** Black in the middle, white around it: a valid mask in every model's convention. */
const mask = makePngBase64(SIDE, SIDE, (x, y) =>
  x >= 100 && x < 220 && y >= 80 && y < 200 ? BLACK : WHITE,
);
const solid = (): Rgba => [40, 90, 160, 255];

/** The documented body with its elided images replaced by real ones. */
function realBody(request: unknown): unknown {
  if (request === IMAGE) return image;
  if (request === MASK) return mask;
  if (Array.isArray(request)) return request.map(realBody);
  if (typeof request === 'object' && request !== null) {
    return Object.fromEntries(
      Object.entries(request).map(([key, value]) => [key, realBody(value)]),
    );
  }
  return request;
}

/** The shape of a JSON value: its keys and value types, recursively (arrays by their first item). */
function shapeOf(value: unknown): unknown {
  if (value === OUTPUT) return 'string';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, shapeOf(item)]),
    );
  }
  return typeof value;
}

function example(name: string): DocumentedExample {
  const found = DOCUMENTED_EXAMPLES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no documented example named ${name}`);
  return found;
}

/** `body` with the value at a dotted `path` replaced (undefined deletes it). */
function withValue(body: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

type Change = [path: string, value: unknown];
/** [documented example, limit, change just inside, change just past, message of the refusal]. */
type LimitCase = [string, string, Change[], Change[], RegExp];

const SDXL = 'SDXL 1.0 text to image (CLI example)';
const CORE = 'Stable Image Core request body';
const ULTRA = 'Stable Image Ultra Python example';
const SD35 = 'SD3.5 Large text to image';
const INPAINT = 'Stability Inpaint';
const OUTPAINT = 'Stability Outpaint';
const SEARCH_REPLACE = 'Stability Search and Replace';
const ERASE = 'Stability Erase Object';
const REMOVE_BACKGROUND = 'Stability Remove Background';
const NOVA = 'Nova Canvas text to image (code example)';
const NOVA_INPAINT = 'Nova Canvas INPAINTING';
const NOVA_OUTPAINT = 'Nova Canvas OUTPAINTING with maskPrompt';
const TITAN = 'Titan Image Generator text to image';
const TITAN_OUTPAINT = 'Titan Image Generator OUTPAINTING';

const LIMITS: LimitCase[] = [
  // SDXL 1.0 (model-parameters-diffusion-1-0-text-image.html)
  [SDXL, 'cfg_scale 0–35', [['cfg_scale', 35]], [['cfg_scale', 35.5]], /cfg_scale/],
  [SDXL, 'steps 10–50', [['steps', 10]], [['steps', 9]], /steps/],
  [SDXL, 'seed ≤ 4294967295', [['seed', 4294967295]], [['seed', 4294967296]], /seed/],
  [
    SDXL,
    'text ≤ 2000 characters',
    [['text_prompts', [{ text: 'b'.repeat(2000) }]]],
    [['text_prompts', [{ text: 'b'.repeat(2001) }]]],
    /text/,
  ],
  [
    SDXL,
    'one of the nine sizes',
    [
      ['width', 1152],
      ['height', 896],
    ],
    [
      ['width', 1024],
      ['height', 768],
    ],
    /supported size/,
  ],
  [SDXL, 'samples must be 1', [['samples', 1]], [['samples', 2]], /samples/],
  // Core, Ultra, SD3.5 (their model-parameters pages)
  [
    CORE,
    'prompt ≤ 10,000',
    [['prompt', 'p'.repeat(10000)]],
    [['prompt', 'p'.repeat(10001)]],
    /prompt/,
  ],
  [CORE, 'seed ≤ 4294967295', [['seed', 4294967295]], [['seed', 4294967296]], /seed/],
  [
    CORE,
    'aspect_ratio enum',
    [['aspect_ratio', '21:9']],
    [['aspect_ratio', '4:3']],
    /aspect_ratio/,
  ],
  [
    CORE,
    'output_format JPEG or PNG',
    [['output_format', 'jpeg']],
    [['output_format', 'webp']],
    /output_format/,
  ],
  [CORE, 'no cfg_scale or steps', [], [['steps', 30]], /extraneous key \[steps\]/],
  [ULTRA, 'seed ≤ 4294967295', [['seed', 4294967295]], [['seed', 4294967296]], /seed/],
  [SD35, 'seed ≤ 4294967294', [['seed', 4294967294]], [['seed', 4294967295]], /seed/],
  [
    SD35,
    'negative_prompt ≤ 10,000',
    [['negative_prompt', 'n'.repeat(10000)]],
    [['negative_prompt', 'n'.repeat(10001)]],
    /negative_prompt/,
  ],
  // Stability image services (stable-image-services.html, Stability's API reference per service)
  [INPAINT, 'grow_mask 0–20', [['grow_mask', 20]], [['grow_mask', 21]], /grow_mask/],
  [INPAINT, 'seed ≤ 4294967294', [['seed', 4294967294]], [['seed', 4294967295]], /seed/],
  [
    INPAINT,
    'style_preset enum',
    [['style_preset', 'anime']],
    [['style_preset', 'watercolor']],
    /style_preset/,
  ],
  [
    INPAINT,
    'image sides ≥ 64 px',
    [['image', makePngBase64(64, 64, testPattern)]],
    [['image', makePngBase64(63, 64, testPattern)]],
    /at least 64/,
  ],
  [
    OUTPAINT,
    'margins ≤ 2000 px',
    [
      ['right', 2000],
      ['left', 0],
      ['up', 0],
      ['down', 0],
    ],
    [
      ['right', 2001],
      ['left', 0],
      ['up', 0],
      ['down', 0],
    ],
    /right/,
  ],
  [OUTPAINT, 'creativity ≤ 1', [['creativity', 1]], [['creativity', 1.01]], /creativity/],
  [OUTPAINT, 'creativity ≥ 0.1', [['creativity', 0.1]], [['creativity', 0.09]], /creativity/],
  [
    OUTPAINT,
    'some margin',
    [],
    [
      ['left', 0],
      ['right', 0],
      ['up', 0],
      ['down', 0],
    ],
    /at least one of left, right, up, down/,
  ],
  [
    OUTPAINT,
    'image aspect ratio 1:2.5–2.5:1',
    [['image', makePngBase64(800, 320, testPattern)]],
    [['image', makePngBase64(816, 320, testPattern)]],
    /aspect ratio/,
  ],
  [
    SEARCH_REPLACE,
    'search_prompt required',
    [],
    [['search_prompt', undefined]],
    /required key \[search_prompt\]/,
  ],
  [ERASE, 'no prompt', [], [['prompt', 'x']], /extraneous key \[prompt\]/],
  [
    ERASE,
    'no aspect-ratio rule (only outpaint has one)',
    [
      ['image', makePngBase64(816, 320, testPattern)],
      ['mask', undefined],
    ],
    [
      ['image', makePngBase64(63, 320, testPattern)],
      ['mask', undefined],
    ],
    /at least 64/,
  ],
  [
    REMOVE_BACKGROUND,
    'image ≤ 4,194,304 pixels',
    [['image', makePngBase64(2048, 2048, solid)]],
    [['image', makePngBase64(2049, 2048, solid)]],
    /4194304/,
  ],
  [
    REMOVE_BACKGROUND,
    'output_format PNG or WebP',
    [['output_format', 'webp']],
    [['output_format', 'jpeg']],
    /output_format/,
  ],
  // Nova Canvas (image-gen-req-resp-structure.html, image-gen-access.html)
  [
    NOVA,
    'cfgScale ≤ 10',
    [['imageGenerationConfig.cfgScale', 10]],
    [['imageGenerationConfig.cfgScale', 10.1]],
    /cfgScale/,
  ],
  [
    NOVA,
    'cfgScale ≥ 1.1',
    [['imageGenerationConfig.cfgScale', 1.1]],
    [['imageGenerationConfig.cfgScale', 1]],
    /cfgScale/,
  ],
  [
    NOVA,
    'seed ≤ 2,147,483,646',
    [['imageGenerationConfig.seed', 2147483646]],
    [['imageGenerationConfig.seed', 2147483647]],
    /seed/,
  ],
  [
    NOVA,
    'numberOfImages 1–5',
    [['imageGenerationConfig.numberOfImages', 5]],
    [['imageGenerationConfig.numberOfImages', 6]],
    /numberOfImages/,
  ],
  [
    NOVA,
    'text 1–1024 characters',
    [['textToImageParams.text', 't'.repeat(1024)]],
    [['textToImageParams.text', 't'.repeat(1025)]],
    /text/,
  ],
  [
    NOVA,
    'negativeText not empty',
    [['textToImageParams.negativeText', 'blurry']],
    [['textToImageParams.negativeText', '']],
    /negativeText/,
  ],
  [
    NOVA,
    'quality enum',
    [['imageGenerationConfig.quality', 'premium']],
    [['imageGenerationConfig.quality', 'ultra']],
    /quality/,
  ],
  [
    NOVA,
    'sides divisible by 16',
    [['imageGenerationConfig.width', 528]],
    [['imageGenerationConfig.width', 520]],
    /divisible by 16/,
  ],
  [
    NOVA,
    'fewer than 4,194,304 pixels',
    [
      ['imageGenerationConfig.width', 2048],
      ['imageGenerationConfig.height', 2032],
    ],
    [
      ['imageGenerationConfig.width', 2048],
      ['imageGenerationConfig.height', 2048],
    ],
    /less than 4194304/,
  ],
  [
    NOVA,
    'style enum',
    [['textToImageParams.style', 'PHOTOREALISM']],
    [['textToImageParams.style', 'anime']],
    /style/,
  ],
  [
    NOVA_INPAINT,
    'input image follows the resolution rules',
    [
      ['inPaintingParams.image', makePngBase64(336, 320, testPattern)],
      ['inPaintingParams.maskImage', makePngBase64(336, 320, () => BLACK)],
    ],
    [
      ['inPaintingParams.image', makePngBase64(328, 320, testPattern)],
      ['inPaintingParams.maskImage', makePngBase64(328, 320, () => BLACK)],
    ],
    /unsupported input image size/,
  ],
  [
    NOVA_INPAINT,
    'input image without transparency',
    [['inPaintingParams.image', makePngBase64(SIDE, SIDE, () => [1, 2, 3, 255])]],
    [['inPaintingParams.image', makePngBase64(SIDE, SIDE, (x) => [1, 2, 3, x === 7 ? 254 : 255])]],
    /transparent or translucent/,
  ],
  [
    NOVA_INPAINT,
    'mask only pure black and white',
    [],
    [
      [
        'inPaintingParams.maskImage',
        makePngBase64(SIDE, SIDE, (x) => (x === 3 ? [128, 128, 128, 255] : WHITE)),
      ],
    ],
    /pure black/,
  ],
  [
    NOVA_INPAINT,
    'one of maskImage and maskPrompt',
    [],
    [['inPaintingParams.maskPrompt', 'door']],
    /exactly one/,
  ],
  [
    NOVA_INPAINT,
    'no size for edits',
    [],
    [['imageGenerationConfig.width', 320]],
    /extraneous key \[width\]/,
  ],
  [
    NOVA_OUTPAINT,
    'outPaintingMode DEFAULT or PRECISE',
    [['outPaintingParams.outPaintingMode', 'DEFAULT']],
    [['outPaintingParams.outPaintingMode', 'EXACT']],
    /outPaintingMode/,
  ],
  [
    NOVA_OUTPAINT,
    'text required',
    [],
    [['outPaintingParams.text', undefined]],
    /required key \[text\]/,
  ],
  // Titan Image Generator v2 (model-parameters-titan-image.html)
  [
    TITAN,
    'text ≤ 512 characters',
    [['textToImageParams.text', 't'.repeat(512)]],
    [['textToImageParams.text', 't'.repeat(513)]],
    /text/,
  ],
  [
    TITAN,
    'a size from the table',
    [
      ['imageGenerationConfig.width', 1152],
      ['imageGenerationConfig.height', 640],
    ],
    [
      ['imageGenerationConfig.width', 1000],
      ['imageGenerationConfig.height', 1000],
    ],
    /supported size/,
  ],
  [
    TITAN,
    'seed ≤ 2,147,483,646',
    [['imageGenerationConfig.seed', 2147483646]],
    [['imageGenerationConfig.seed', 2147483647]],
    /seed/,
  ],
  [
    TITAN,
    'no style',
    [],
    [['textToImageParams.style', 'PHOTOREALISM']],
    /extraneous key \[style\]/,
  ],
  [
    TITAN_OUTPAINT,
    'input image ≤ 1,408 px on the longer side',
    [
      ['outPaintingParams.image', makePngBase64(1408, 320, testPattern)],
      ['outPaintingParams.maskImage', makePngBase64(1408, 320, (x) => (x < 700 ? BLACK : WHITE))],
    ],
    [
      ['outPaintingParams.image', makePngBase64(1409, 320, testPattern)],
      ['outPaintingParams.maskImage', makePngBase64(1409, 320, (x) => (x < 700 ? BLACK : WHITE))],
    ],
    /1408/,
  ],
];

function applied(base: unknown, changes: Change[]): unknown {
  return changes.reduce((body, [path, value]) => withValue(body, path, value), base);
}

describe('the stand-in against AWS’s documented bodies', () => {
  const bedrock = standInForSuite();

  it.each(DOCUMENTED_EXAMPLES.map((documented) => [documented.name, documented] as const))(
    'accepts the documented request “%s” and answers in the documented shape',
    async (_name, documented) => {
      const answer = await invokeJson(
        bedrock.client,
        documented.modelId,
        realBody(documented.request),
      );
      expect(shapeOf(answer)).toEqual(shapeOf(documented.response));
    },
  );

  it.each(DOCUMENTED_EXAMPLES.map((documented) => [documented.name, documented] as const))(
    'refuses “%s” with a field the page does not document',
    async (_name, documented) => {
      const body = { ...(realBody(documented.request) as object), undocumentedField: 1 };
      const error = await invokeJson(bedrock.client, documented.modelId, body).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationException);
      expect((error as Error).message).toMatch(/extraneous key \[undocumentedField\]/);
    },
  );

  it.each(LIMITS)('%s: %s', async (name, _limit, inside, outside, refusal) => {
    const documented = example(name);
    const base = realBody(documented.request);
    await expect(
      invokeJson(bedrock.client, documented.modelId, applied(base, inside)),
    ).resolves.toBeDefined();
    const error = await invokeJson(
      bedrock.client,
      documented.modelId,
      applied(base, outside),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toMatch(refusal);
  });
});
