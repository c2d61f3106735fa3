/** Which models a request may use: the ALLOWED_MODELS list and what each model can do. */
import { AppError } from '../errors.js';
import type { EditOperation } from '../models/types.js';
import type { ModelCatalog } from './ports.js';

/** Throws MODEL_NOT_ALLOWED, naming the allowed models, unless `model` is in `allowedModels`. */
export function assertModelAllowed(model: string, allowedModels: readonly string[]): void {
  if (allowedModels.includes(model)) return;
  const message = `Model "${model}" is not allowed here. Allowed models: ${allowedModels.join(', ')}.`;
  throw new AppError('MODEL_NOT_ALLOWED', message, { details: [{ path: 'model', message }] });
}

/**
 * The model for an edit: the requested one (which must be allowed) or the configured default for
 * the operation. Either way it must support the operation.
 */
export function resolveEditModel(
  options: {
    requested: string | undefined;
    operation: EditOperation;
    allowedModels: readonly string[];
    editModels: Readonly<Record<EditOperation, string>>;
  },
  catalog: ModelCatalog,
): string {
  const { requested, operation, allowedModels, editModels } = options;
  if (requested !== undefined) assertModelAllowed(requested, allowedModels);
  const model = requested ?? editModels[operation];
  if (catalog.findModel(model)?.operations.includes(operation)) return model;

  const capable = allowedModels.filter((id) =>
    catalog.findModel(id)?.operations.includes(operation),
  );
  const source = requested === undefined ? ' (configured in EDIT_MODELS)' : '';
  const message =
    `Model "${model}"${source} cannot do ${operation}.` +
    (capable.length > 0 ? ` Models that can: ${capable.join(', ')}.` : '');
  throw new AppError('UNSUPPORTED_OPERATION', message, {
    details: [{ path: requested === undefined ? 'operation' : 'model', message }],
  });
}
