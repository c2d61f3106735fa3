/**
 * The provider-neutral contract of the model-adapter library. Handlers and services speak only
 * these types; each model family's adapter turns them into the exact Bedrock body and back.
 * Everything here is pure data: no AWS SDK, no I/O.
 */
import type { InferenceProfilePrefix } from './known-models.js';

/** The families whose request and response schemas differ. */
export type ModelFamily =
  /** SDXL 1.0 era: text_prompts / cfg_scale / steps -> artifacts[].base64 (seed 000's body). */
  | 'stability-legacy'
  /** Stable Image Core/Ultra v1:1, SD3.5 Large: prompt / aspect_ratio -> images, seeds, finish_reasons. */
  | 'stability-current'
  /** Stability AI Image Services (inpaint, outpaint, erase, search-replace, remove-background). */
  | 'stability-edit'
  /** Amazon Nova Canvas and Titan Image Generator v2: taskType envelope -> images, error. */
  | 'amazon-image';

/** The edits that change a region of the picture (painted, described, or added margins). */
export type RegionEditOperation =
  'inpaint' | 'outpaint' | 'erase' | 'remove-background' | 'search-replace';

/**
 * Operations that make a new picture from the input image as a whole (shared/models/operations.ts):
 * the other Stability Image Services, image-to-image, and Titan's variation and colour guidance.
 */
export type ImageGuidedOperation =
  | 'search-recolor'
  | 'control-sketch'
  | 'control-structure'
  | 'style-guide'
  | 'style-transfer'
  | 'creative-upscale'
  | 'conservative-upscale'
  | 'fast-upscale'
  | 'image-to-image'
  | 'image-variation'
  | 'color-guided';

export type EditOperation = RegionEditOperation | ImageGuidedOperation;

export const REGION_EDIT_OPERATIONS: readonly RegionEditOperation[] = [
  'inpaint',
  'outpaint',
  'erase',
  'remove-background',
  'search-replace',
];

export const IMAGE_GUIDED_OPERATIONS: readonly ImageGuidedOperation[] = [
  'search-recolor',
  'control-sketch',
  'control-structure',
  'style-guide',
  'style-transfer',
  'creative-upscale',
  'conservative-upscale',
  'fast-upscale',
  'image-to-image',
  'image-variation',
  'color-guided',
];

export const EDIT_OPERATIONS: readonly EditOperation[] = [
  ...REGION_EDIT_OPERATIONS,
  ...IMAGE_GUIDED_OPERATIONS,
];

/** Where a model stands in Bedrock's lifecycle, as far as public sources tell (see README). */
export type Lifecycle = 'active' | 'legacy' | 'end-of-life' | 'unconfirmed';

export type ImageMimeType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface ModelInfo {
  /** Base model id, without any cross-region inference-profile prefix. */
  id: string;
  family: ModelFamily;
  displayName: string;
  lifecycle: Lifecycle;
  /** One sentence with the date and source of the lifecycle fact. */
  lifecycleNote: string;
  textToImage: boolean;
  operations: readonly EditOperation[];
  /**
   * Geographies of the system-defined cross-Region inference profiles AWS documents for this
   * model (`us` → `us.<id>`); absent or empty when none is documented. Error hints name only these.
   */
  inferenceProfiles?: readonly InferenceProfilePrefix[];
}

/** A text-to-image request, before any model's rules are applied. */
export interface GenerateParams {
  prompt: string;
  negativePrompt?: string;
  width?: number;
  height?: number;
  /** "16:9" and friends; models that take sizes get the closest documented size. */
  aspectRatio?: string;
  seed?: number;
  count?: number;
  cfgScale?: number;
  steps?: number;
  style?: string;
  quality?: 'standard' | 'premium';
}

/** An input image whose type and size were read from its bytes (shared/images/probe). */
export interface SourceImage {
  bytes: Uint8Array;
  mimeType: ImageMimeType;
  width: number;
  height: number;
}

export interface OutpaintMargins {
  left: number;
  right: number;
  up: number;
  down: number;
}

/** How Nova Canvas / Titan outpainting treats the edge of the kept region. */
export type OutPaintingMode = 'DEFAULT' | 'PRECISE';

/**
 * An edit request. `mask` and `maskPrompt` mark one region, with one meaning per operation (the
 * same for both, and for the web app):
 * - inpaint, erase: the region to change (everything else is kept);
 * - search-replace: `maskPrompt` names what to find and change;
 * - outpaint with a mask or maskPrompt (Nova/Titan): the region to KEEP; everything outside it is
 *   regenerated. Stability outpaint takes margins instead and keeps the whole picture.
 */
export interface EditParams {
  operation: EditOperation;
  image: SourceImage;
  /** PNG bytes, painted (white, opaque) = the region above; adapters convert it per model. */
  mask?: Uint8Array;
  /** The region in words instead of a painted mask (Nova/Titan maskPrompt, Stability search_prompt). */
  maskPrompt?: string;
  prompt?: string;
  negativePrompt?: string;
  seed?: number;
  count?: number;
  cfgScale?: number;
  quality?: 'standard' | 'premium';
  style?: string;
  /** Outpaint only: pixels to add on each side (Stability outpaint). */
  outpaint?: OutpaintMargins;
  /** Stability inpaint/erase/search-replace: grow and blur the mask edge by 0–20 px (default 5). */
  growMask?: number;
  /**
   * Stability outpaint: 0.1–1.0, how freely the added area is invented (default 0.5); creative
   * and conservative upscale: 0.1–0.5.
   */
  creativity?: number;
  /**
   * Nova/Titan outpaint: DEFAULT (the model's default) may also touch the kept region's edge for a
   * smooth blend; PRECISE keeps the kept region exactly.
   */
  outPaintingMode?: OutPaintingMode;
  // The fields below belong to the image-guided operations (see shared/models/operations.ts).
  /** image-to-image (SD3.5 Large, Ultra): 0 keeps the input, 1 ignores it. */
  strength?: number;
  /** control-sketch, control-structure: 0–1, how closely the output follows the input (0.7). */
  controlStrength?: number;
  /** style-guide: 0–1, how closely the output's style follows the input (0.5). */
  fidelity?: number;
  /** style-guide: output aspect ratio, one of Stability's nine (default 1:1). */
  aspectRatio?: string;
  /** style-transfer: the picture whose style is applied to `image`. */
  styleImage?: SourceImage;
  /** style-transfer: 0–1, how strongly the style is applied (default 1). */
  styleStrength?: number;
  /** style-transfer: 0–1, how closely the composition of `image` is kept (default 0.9). */
  compositionFidelity?: number;
  /** style-transfer: 0.1–1, how much `image` may change (default 0.9). */
  changeStrength?: number;
  /** image-variation (Titan): 0.2–1, how similar the output is to the input (default 0.7). */
  similarityStrength?: number;
  /** color-guided (Titan): 1–10 colours as "#RRGGBB"; the input image is the reference. */
  colors?: readonly string[];
}

/** One InvokeModel call: models that return one image per call get one invocation per image. */
export interface Invocation {
  /** The id to send, as requested (inference-profile prefix kept). */
  modelId: string;
  body: Record<string, unknown>;
  /** How many images this call asks for; lets parseResponse count the ones a filter dropped. */
  expectedImages?: number;
  /** The seed this call sends, reported for its images when the answer carries none (Nova, Titan). */
  seed?: number;
}

export interface ModelImage {
  bytes: Uint8Array;
  mimeType: ImageMimeType;
  seed?: number;
}

export interface ModelOutput {
  images: ModelImage[];
  /** Images the model's content filter dropped (the rest are returned). */
  filteredCount: number;
}

/** What each model family implements. Builders throw AppError('INVALID_PARAMETER', …) naming the limit. */
export interface ModelAdapter {
  readonly family: ModelFamily;
  buildTextToImage(modelId: string, params: GenerateParams): Invocation[];
  buildEdit(modelId: string, params: EditParams): Invocation[];
  /**
   * Parses one InvokeModel response body (already JSON-decoded). Throws CONTENT_FILTERED or
   * UPSTREAM_ERROR. Pass the invocation's `expectedImages` so partial filtering is counted exactly.
   */
  parseResponse(modelId: string, body: unknown, expectedImages?: number): ModelOutput;
}
