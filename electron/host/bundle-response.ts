/** GET /bundles/<token>: an exported bundle, fetched once by the renderer that exported it. */
export const BUNDLE_DOWNLOAD_PATH = /^\/bundles\/([A-Za-z0-9_-]{43})$/;

/**
 * Headers for an exported bundle: always a download (never rendered), named after its
 * engagements and date, never cached (the token works once).
 */
export function bundleDownloadHeaders(download: { fileName: string; bytes: Uint8Array }): Record<string, string> {
  const ascii = download.fileName.replace(/[^A-Za-z0-9 ._+-]/g, '_');
  return {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(download.bytes.length),
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(download.fileName)}`,
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/** Where a request for a bundle came from, as the browser says (Sec-Fetch-Site, Origin). */
export function bundleRequestAllowed(headers: { origin?: string; 'sec-fetch-site'?: string }, ownOrigins: string[]): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  if (origin !== undefined && !ownOrigins.includes(origin)) return false;
  return true;
}
