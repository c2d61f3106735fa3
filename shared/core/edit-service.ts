/**
 * Image edits (inpaint, outpaint, erase, remove background, search and replace) of an image the
 * caller uploaded or generated earlier.
 */
import type { AppConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { assertGuidedFieldsFit } from '../models/operations.js';
import type {
  EditOperation,
  EditParams,
  OutPaintingMode,
  OutpaintMargins,
} from '../models/types.js';
import { editsPrefix, isOwnedKey } from './keys.js';
import { assertFitsDeadline } from './latency-estimate.js';
import { resolveEditModel } from './model-policy.js';
import { dropUndefined } from './objects.js';
import { runImageJob, type ImageResult, type PipelineDeps } from './image-pipeline.js';
import type {
  IdGenerator,
  ImageFacts,
  ImageProbe,
  ImageRecord,
  ModelCatalog,
  RequestContext,
} from './ports.js';
import { withDrawnSeed } from './seeds.js';

export interface EditInput {
  imageKey: string;
  /**
   * Base64 PNG, painted (white, opaque) = the operation's region: the part to change for inpaint
   * and erase, the part to keep for Nova/Titan outpaint (see EditParams).
   */
  mask?: string;
  maskPrompt?: string;
  prompt?: string;
  negativePrompt?: string;
  operation?: EditOperation;
  model?: string;
  seed?: number;
  count?: number;
  outpaint?: OutpaintMargins;
  outPaintingMode?: OutPaintingMode;
  style?: string;
  creativity?: number;
  strength?: number;
  controlStrength?: number;
  fidelity?: number;
  aspectRatio?: string;
  /** style-transfer: the upload whose style is applied to the image (same rules as imageKey). */
  styleImageKey?: string;
  styleStrength?: number;
  compositionFidelity?: number;
  changeStrength?: number;
  similarityStrength?: number;
  colors?: string[];
}

export interface EditDeps extends PipelineDeps {
  catalog: ModelCatalog;
  probe: ImageProbe;
  newId: IdGenerator;
  config: Pick<AppConfig, 'allowedModels' | 'editModels'>;
}

export interface EditService {
  edit(input: EditInput, context: RequestContext): Promise<ImageResult>;
  /**
   * The checks edit() makes before reading the image (signed in, model allowed and able to do
   * the operation, the key in the caller's folder); POST /jobs uses it to refuse bad jobs up front.
   */
  validate(input: EditInput, userId: string | undefined): void;
}

const DEFAULT_OPERATION: EditOperation = 'inpaint';

function notFound(path: 'imageKey' | 'styleImageKey' = 'imageKey'): AppError {
  return new AppError(
    'NOT_FOUND',
    'No image with that key; upload it through POST /uploads first.',
    {
      details: [{ path, message: 'not found' }],
    },
  );
}

function invalidMask(message: string): AppError {
  return new AppError('INVALID_MASK', message, { details: [{ path: 'mask', message }] });
}

/** Decodes and checks the client's mask: a PNG of exactly the image's size. */
function readMask(base64: string, image: ImageFacts, probe: ImageProbe): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  let facts: ImageFacts;
  try {
    facts = probe(bytes);
  } catch (error) {
    if (isAppError(error)) throw invalidMask('The mask is not a readable image; send a PNG.');
    throw error;
  }
  if (facts.mimeType !== 'image/png') throw invalidMask('The mask must be a PNG.');
  if (facts.width !== image.width || facts.height !== image.height) {
    throw invalidMask(
      `The mask is ${facts.width}×${facts.height} but the image is ${image.width}×${image.height}; they must match.`,
    );
  }
  return bytes;
}

export function createEditService(deps: EditDeps): EditService {
  /** Everything that can be checked without reading the image; answers the model and operation. */
  const prepare = (input: EditInput, userId: string | undefined) => {
    if (!userId) throw new AppError('UNAUTHORIZED', 'Sign in to edit images.');
    const operation = input.operation ?? DEFAULT_OPERATION;
    const model = resolveEditModel(
      {
        requested: input.model,
        operation,
        allowedModels: deps.config.allowedModels,
        editModels: deps.config.editModels,
      },
      deps.catalog,
    );
    if (!isOwnedKey(input.imageKey, userId)) throw notFound();
    assertGuidedFieldsFit(
      operation,
      { ...input, styleImage: input.styleImageKey },
      { styleImage: 'styleImageKey' },
    );
    if (input.styleImageKey !== undefined && !isOwnedKey(input.styleImageKey, userId)) {
      throw notFound('styleImageKey');
    }
    return { userId, operation, model };
  };

  /** The style-transfer picture, read and probed like the main image. */
  const readStyleImage = async (key: string | undefined) => {
    if (key === undefined) return undefined;
    const stored = await deps.images.get(key);
    if (!stored) throw notFound('styleImageKey');
    return { bytes: stored.bytes, ...deps.probe(stored.bytes) };
  };

  return {
    validate(input, userId) {
      prepare(input, userId);
    },

    /**
     * 1. Pick the model (request, else EDIT_MODELS[operation]); it must support the operation.
     * 2. The image key must lie in the caller's folder; a foreign, crafted or missing key is the
     *    same 404, so nobody learns what exists elsewhere.
     * 3. Read the image, probe its type and size, decode and check the mask.
     * 4. Build the Bedrock bodies; a request estimated to outlast `context.deadlineSeconds` is
     *    refused with USE_JOBS.
     * 5. Run the pipeline; the mask is stored with the outputs under `users/<sub>/edits/<id>/`.
     */
    async edit(input, context) {
      const startedAt = deps.clock.now();
      const { userId, operation, model } = prepare(input, context.userId);
      context.annotate?.({ model, ...(input.prompt ? { prompt: input.prompt } : {}) });

      const stored = await deps.images.get(input.imageKey);
      if (!stored) throw notFound();
      const facts = deps.probe(stored.bytes);
      const mask = input.mask === undefined ? undefined : readMask(input.mask, facts, deps.probe);
      const styleImage = await readStyleImage(input.styleImageKey);

      const {
        imageKey,
        mask: _mask,
        model: _model,
        operation: _operation,
        styleImageKey: _styleImageKey,
        prompt,
        ...options
      } = input;
      const parameters = dropUndefined(options);
      const params: EditParams = {
        ...parameters,
        operation,
        image: { bytes: stored.bytes, ...facts },
        ...(mask ? { mask } : {}),
        ...(styleImage ? { styleImage } : {}),
        ...(prompt === undefined ? {} : { prompt }),
      };
      const adapter = deps.catalog.adapterFor(model);
      // Background removal takes no seed; other Nova/Titan edits get one drawn (see seeds.ts).
      const invocations = adapter.buildEdit(
        model,
        operation === 'remove-background' ? params : withDrawnSeed(adapter.family, params),
      );
      const info = deps.catalog.findModel(model);
      const margins = input.outpaint ?? { left: 0, right: 0, up: 0, down: 0 };
      assertFitsDeadline(
        {
          family: info?.family ?? adapter.family,
          modelId: info?.id ?? model,
          operation,
          width: facts.width + margins.left + margins.right,
          height: facts.height + margins.up + margins.down,
          count: input.count ?? 1,
          calls: invocations.length,
        },
        context.deadlineSeconds,
        'edit',
      );

      const id = deps.newId();
      const prefix = editsPrefix(userId);
      const now = startedAt.toISOString();
      const record: ImageRecord = {
        id,
        kind: 'edit',
        route: context.route,
        userId,
        model,
        operation,
        prompt: prompt ?? '',
        parameters: {
          ...parameters,
          ...(input.styleImageKey === undefined ? {} : { styleImageKey: input.styleImageKey }),
          width: facts.width,
          height: facts.height,
        },
        inputKey: imageKey,
        outputKeys: [],
        status: 'pending',
        createdAt: now,
        updatedAt: now,
      };
      return runImageJob(
        deps,
        {
          record,
          keyPrefix: prefix,
          adapter,
          invocations,
          ...(mask ? { mask: { key: `${prefix}${id}/mask.png`, bytes: mask } } : {}),
          startedAt,
        },
        context,
      );
    },
  };
}
