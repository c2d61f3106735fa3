/** Request and response shapes of the HTTP API (shared/api/openapi.yaml), as the browser sees them. */

export type EditOperation =
  'inpaint' | 'outpaint' | 'erase' | 'remove-background' | 'search-replace';

export const EDIT_OPERATION_LABELS: Record<EditOperation, string> = {
  inpaint: 'Inpaint: change the painted area',
  outpaint: 'Outpaint: extend beyond the edges',
  erase: 'Erase: remove the painted object',
  'remove-background': 'Remove background',
  'search-replace': 'Search and replace',
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
