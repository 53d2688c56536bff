import { imageSize } from 'image-size';

/** Larger images are not read: a 16k × 16k PNG would take minutes and gigabytes. */
export const MAX_OCR_PIXELS = 40_000_000;
const READABLE = new Set(['png', 'jpg', 'gif', 'webp', 'bmp']);

export type ImageCheck = { ok: true; width: number; height: number } | { ok: false; reason: string };

/**
 * Whether a file is an image OCR may be given: its header names a format Tesseract reads, and its
 * size in pixels is bounded. Only the header is examined (no decoding), so any file, of any size
 * or content, gets an answer at once.
 */
export function checkOcrImage(bytes: Uint8Array): ImageCheck {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return { ok: false, reason: 'Not an image file (its contents are not PNG, JPEG, GIF, WebP or BMP)' };
  }
  const { width = 0, height = 0, type = '' } = size;
  if (!READABLE.has(type)) return { ok: false, reason: `A ${type || 'unknown'} image cannot be read for text` };
  if (width < 1 || height < 1) return { ok: false, reason: 'The image has no pixels' };
  if (width * height > MAX_OCR_PIXELS)
    return {
      ok: false,
      reason: `The image is too large to read for text (${width} × ${height} pixels; at most ${MAX_OCR_PIXELS / 1_000_000} megapixels)`,
    };
  return { ok: true, width, height };
}
