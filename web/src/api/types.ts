/** Request and response shapes of the HTTP API (shared/api/openapi.yaml), as the browser sees them. */

import type { EditOperation } from '../../../shared/models/types.js';
/**
 * The request bodies are the API's own schemas' types (a type-only import: nothing of zod or the
 * schemas is bundled), so the app cannot send a field the API would refuse as unknown.
 */
export type { EditRequest } from '../../../shared/api/edit-request.js';
export type { GenerateRequest } from '../../../shared/api/generate-request.js';

/**
 * The adapter library's list (a type only, so nothing of it is bundled): a new operation there
 * fails this file's label table until the web app names it.
 */
export type { EditOperation };

export const EDIT_OPERATION_LABELS: Record<EditOperation, string> = {
  inpaint: 'Inpaint: change the painted area',
  outpaint: 'Outpaint: extend beyond the edges',
  erase: 'Erase: remove the painted object',
  'remove-background': 'Remove background',
  'search-replace': 'Search and replace',
  'search-recolor': 'Search and recolor',
  'control-sketch': 'Sketch to image',
  'control-structure': 'Keep the structure, restyle',
  'style-guide': 'Style guide: new image in this style',
  'style-transfer': 'Style transfer from a second image',
  'creative-upscale': 'Upscale (creative, slow)',
  'conservative-upscale': 'Upscale (conservative, slow)',
  'fast-upscale': 'Upscale (fast, 4×)',
  'image-to-image': 'Image to image',
  'image-variation': 'Variations',
  'color-guided': 'Colour-guided',
};

export interface ResultImage {
  url: string;
  key: string;
  /** The seed the model used; null when the model does not report one. */
  seed?: number | null;
}

/** A stored object with a fresh pre-signed URL. */
export interface SignedObject {
  key: string;
  url: string;
}

export interface ImageResult {
  id: string;
  image_url: string;
  images: ResultImage[];
  model: string;
  expiresAt?: string;
  cached?: boolean;
}

export interface UploadTicket {
  key: string;
  url: string;
  fields: Record<string, string>;
  expiresAt?: string;
  maxBytes?: number;
}

export interface HistoryItem {
  id: string;
  /** As the API records it (shared/core RecordKind). */
  kind: 'generation' | 'edit';
  operation?: EditOperation;
  model: string;
  prompt?: string;
  parameters?: Record<string, unknown>;
  status: 'pending' | 'succeeded' | 'failed';
  createdAt: string;
  images: ResultImage[];
  /** The edit's input and painted mask (the API answers these as {key, url}). */
  input?: SignedObject;
  mask?: SignedObject;
  /** Older shape of the same two links, still read. */
  inputUrl?: string;
  maskUrl?: string;
  errorCode?: string;
  durationMs?: number;
}

export interface HistoryPage {
  items: HistoryItem[];
  nextCursor?: string;
}
