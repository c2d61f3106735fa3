/**
 * GET /models: the models this deployment accepts, as a client should see them — which id to
 * send, what each model does, the fields and limits it takes, where it stands in Bedrock's
 * lifecycle, the Region it is called in, and which models are the defaults. Pure: the catalog,
 * the adapters' capabilities and the Region routing come in as functions.
 */
import type { AppConfig } from '../config.js';
import type {
  EditCapabilities,
  GenerateCapabilities,
  ModelCapabilities,
} from '../models/model-capabilities.js';
import type { EditOperation, Lifecycle, ModelFamily, ModelInfo } from '../models/types.js';

/** What a model is the default for: text-to-image, or an edit operation. */
export type ModelUse = 'text-to-image' | EditOperation;

export interface ListedModel {
  /** The id to send as `model` (as configured, inference-profile prefix included). */
  id: string;
  /** The foundation-model id behind it. */
  baseId: string;
  family: ModelFamily;
  displayName: string;
  lifecycle: Lifecycle;
  lifecycleNote: string;
  /** The AWS Region this deployment calls the model in (null: the SDK's default Region). */
  region: string | null;
  textToImage: boolean;
  operations: EditOperation[];
  defaultFor: ModelUse[];
  /** Text-to-image fields and limits (POST /generate, GET /generate), when the model does it. */
  generate?: GenerateCapabilities;
  /** Per edit operation (POST /edits): fields and limits. */
  edits: Partial<Record<EditOperation, EditCapabilities>>;
}

export interface ModelListing {
  models: ListedModel[];
  defaults: { textToImage: string; edits: Record<EditOperation, string> };
}

export interface ModelListingDeps {
  findModel(modelId: string): ModelInfo | undefined;
  describeModel(modelId: string): ModelCapabilities;
  /** The Region calls to `modelId` go to. */
  regionFor(modelId: string): string | null;
  /** The fields the API's request bodies have; capabilities are narrowed to these. */
  apiFields: { generate: readonly string[]; edit: readonly string[] };
}

function onlyApiFields<Capabilities extends { fields: string[] }>(
  capabilities: Capabilities,
  apiFields: readonly string[],
): Capabilities {
  return { ...capabilities, fields: capabilities.fields.filter((f) => apiFields.includes(f)) };
}

/**
 * Every model a request may name (ALLOWED_MODELS) or that serves an operation by default
 * (DEFAULT_MODEL, EDIT_MODELS), in that order, each once.
 *
 * @example
 * listModels(config, deps).defaults.textToImage; // 'stability.stable-image-core-v1:1'
 */
export function listModels(
  config: Pick<AppConfig, 'allowedModels' | 'defaultModel' | 'editModels'>,
  deps: ModelListingDeps,
): ModelListing {
  const editDefaults = Object.entries(config.editModels) as [EditOperation, string][];
  const ids = [
    ...new Set([...config.allowedModels, config.defaultModel, ...editDefaults.map(([, id]) => id)]),
  ];
  const models = ids.flatMap((id): ListedModel[] => {
    // loadConfig refuses unknown ids, so this only skips what a test double leaves out.
    const model = deps.findModel(id);
    if (!model) return [];
    const capabilities = deps.describeModel(id);
    const edits: Partial<Record<EditOperation, EditCapabilities>> = {};
    for (const [operation, edit] of Object.entries(capabilities.edits) as [
      EditOperation,
      EditCapabilities,
    ][]) {
      edits[operation] = onlyApiFields(edit, deps.apiFields.edit);
    }
    return [
      {
        id,
        baseId: model.id,
        family: model.family,
        displayName: model.displayName,
        lifecycle: model.lifecycle,
        lifecycleNote: model.lifecycleNote,
        region: deps.regionFor(id),
        textToImage: model.textToImage,
        operations: [...model.operations],
        defaultFor: [
          ...(id === config.defaultModel ? (['text-to-image'] as const) : []),
          ...editDefaults.filter(([, model]) => model === id).map(([operation]) => operation),
        ],
        ...(capabilities.generate
          ? { generate: onlyApiFields(capabilities.generate, deps.apiFields.generate) }
          : {}),
        edits,
      },
    ];
  });
  return {
    models,
    defaults: { textToImage: config.defaultModel, edits: { ...config.editModels } },
  };
}
