/** The JSON every image-producing route answers with (POST/GET /generate, POST /edits). */
import type { ImageResult, ResultImage } from '../core/image-pipeline.js';

export interface ImageResultBody {
  id: string;
  /** The first image's URL; the GET route's 302 Location. */
  image_url: string;
  images: ResultImage[];
  model: string;
  expiresAt: string;
  /** Present (true) when answered from an earlier identical seeded request. */
  cached?: true;
  /** Present when the model's content filter dropped some of the images. */
  filteredCount?: number;
}

export function toImageResultBody(result: ImageResult): ImageResultBody {
  return {
    id: result.id,
    image_url: result.images[0]?.url ?? '',
    images: result.images,
    model: result.model,
    expiresAt: result.expiresAt,
    ...(result.cached ? { cached: true as const } : {}),
    ...(result.filteredCount > 0 ? { filteredCount: result.filteredCount } : {}),
  };
}
