import { postToPresignedForm } from '../api/client.js';
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/client.js';
import { checkImageFile } from '../files.js';

export interface UploadedImage {
  key: string;
  /** An object URL for showing the image locally (no second download). */
  previewUrl: string;
  width: number;
  height: number;
  name: string;
}

/** Reads an image's natural size by decoding it in the browser. */
export function imageSize(url: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve({ width: image.naturalWidth, height: image.naturalHeight });
    image.onerror = () => reject(new Error('The file could not be read as an image.'));
    image.src = url;
  });
}

/** Checks, decodes and uploads an image: /uploads for a pre-signed POST, then S3 directly. */
export async function uploadImage(api: ApiClient, file: File): Promise<UploadedImage> {
  const check = checkImageFile(file);
  if (!check.ok) throw new ApiError('INVALID_IMAGE', check.message, 400);
  const previewUrl = URL.createObjectURL(file);
  try {
    const size = await imageSize(previewUrl);
    const ticket = await api.createUpload(file.type, file.size);
    await postToPresignedForm(ticket, file);
    return { key: ticket.key, previewUrl, ...size, name: file.name };
  } catch (error) {
    URL.revokeObjectURL(previewUrl);
    throw error;
  }
}

/** Downloads a result (pre-signed S3 URL) into a File so it can be uploaded as the next input. */
export async function fetchAsFile(url: string, name: string): Promise<File> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new ApiError(
      'NETWORK',
      'Could not download the image (network or storage CORS). Try again or download it and upload it.',
      0,
    );
  }
  if (!response.ok) {
    throw new ApiError(
      'DOWNLOAD_FAILED',
      response.status === 403
        ? 'The image link has expired. Reload history for fresh links.'
        : `Could not download the image (${response.status}).`,
      response.status,
    );
  }
  const blob = await response.blob();
  const type = ['image/png', 'image/jpeg', 'image/webp'].includes(blob.type)
    ? blob.type
    : 'image/png';
  return new File([blob], name, { type });
}

/**
 * Saves an image as a file named `fileName`. A cross-origin link ignores `download` and would open
 * a tab, so the bytes are fetched (S3 answers CORS) and saved from a blob URL.
 */
export async function downloadImage(url: string, fileName: string): Promise<void> {
  const file = await fetchAsFile(url, fileName);
  const objectUrl = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(objectUrl), 30_000);
}

/**
 * Attributes for every <img> showing a pre-signed S3 URL. `crossorigin` makes the browser load it
 * with CORS, so the copy it caches is one a later fetch() of the same URL (Edit, Download, "use as
 * next input") may read; without it that fetch gets the cached non-CORS copy and fails.
 */
export const REMOTE_IMAGE = { crossorigin: 'anonymous' } as const;
