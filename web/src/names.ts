/** File names for saved images: `<prompt-slug>-<seed>.<ext>`, readable and safe on every OS. */

const MAX_SLUG_LENGTH = 60;

/** "A lighthouse at dusk, 35mm!" → "a-lighthouse-at-dusk-35mm"; accents folded, nothing else kept. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  // Cut at a word boundary when there is one close enough.
  const cut = slug.slice(0, MAX_SLUG_LENGTH);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > MAX_SLUG_LENGTH / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}

/** The extension of an image URL (pre-signed S3 URLs end their path with it), png otherwise. */
export function extensionFor(url: string): string {
  const match = /\.(png|jpe?g|webp)(?:[?#]|$)/i.exec(url);
  const extension = match?.[1]?.toLowerCase() ?? 'png';
  return extension === 'jpeg' ? 'jpg' : extension;
}

/**
 * `<prompt-slug>-<seed>.<ext>`; without a prompt (background removal) "image", without a seed the
 * image's position, so two downloads of one result set never share a name.
 */
export function downloadFileName(options: {
  prompt: string | undefined;
  seed: number | null | undefined;
  index: number;
  url: string;
}): string {
  const base = slugify(options.prompt ?? '') || 'image';
  const suffix = typeof options.seed === 'number' ? String(options.seed) : `${options.index + 1}`;
  return `${base}-${suffix}.${extensionFor(options.url)}`;
}
