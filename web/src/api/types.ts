/** Request and response shapes of the HTTP API (shared/api/openapi.yaml), as the browser sees them. */

import type { EditOperation } from '../../../shared/models/types.js';

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

export interface GenerateRequest {
  prompt: string;
  model?: string;
  negativePrompt?: string;
  width?: number;
  height?: number;
  aspectRatio?: string;
  seed?: number;
  count?: number;
  cfgScale?: number;
  steps?: number;
  style?: string;
  quality?: 'standard' | 'premium';
}

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

export interface OutpaintMargins {
  left: number;
  right: number;
  up: number;
  down: number;
}

export interface EditRequest {
  imageKey: string;
  /** Base64 PNG without a data: prefix; white = change. */
  mask?: string;
  maskPrompt?: string;
  prompt?: string;
  negativePrompt?: string;
  operation?: EditOperation;
  model?: string;
  seed?: number;
  count?: number;
  outpaint?: OutpaintMargins;
  /** The image-guided operations' settings (shared/api/edit-request.ts). */
  style?: string;
  creativity?: number;
  strength?: number;
  controlStrength?: number;
  fidelity?: number;
  aspectRatio?: string;
  /** style-transfer: a second upload (POST /uploads) whose style is applied. */
  styleImageKey?: string;
  styleStrength?: number;
  compositionFidelity?: number;
  changeStrength?: number;
  similarityStrength?: number;
  /** color-guided: 1–10 hex colours such as #ff8800. */
  colors?: string[];
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
