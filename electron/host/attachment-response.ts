import { INLINE_IMAGE_TYPES } from '../attachments/attachment-store';

/**
 * Headers for serving an attachment from the app's own origin. Only raster images are shown
 * inline; anything else (HTML, SVG, PDF, scripts a client's system produced) is a download, with
 * a sandbox CSP on top, so no attachment can run code in the app.
 */
export function attachmentHeaders(info: { mime: string; name: string; size: number }): Record<string, string> {
  const inline = INLINE_IMAGE_TYPES.has(info.mime);
  const filename = encodeURIComponent(info.name);
  return {
    'Content-Type': inline ? info.mime : 'application/octet-stream',
    'Content-Length': String(info.size),
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${filename}`,
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, max-age=31536000, immutable',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
