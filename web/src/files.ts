/** Client-side checks for images the user picks, mirroring the API's limits (POST /uploads). */

export const ACCEPTED_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export type ImageFileCheck = { ok: true } | { ok: false; message: string };

export function checkImageFile(file: { type: string; size: number; name: string }): ImageFileCheck {
  if (!(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(file.type)) {
    const shown = file.type || 'an unknown type';
    return {
      ok: false,
      message: `"${file.name}" is ${shown}. Choose a PNG, JPEG or WebP image.`,
    };
  }
  if (file.size === 0) return { ok: false, message: `"${file.name}" is empty.` };
  if (file.size > MAX_UPLOAD_BYTES) {
    return {
      ok: false,
      message: `"${file.name}" is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_UPLOAD_BYTES)}.`,
    };
  }
  return { ok: true };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
