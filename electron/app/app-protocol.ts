import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { ApiEndpoint, ClientSession } from '../api/endpoint';
import { attachmentHeaders } from '../host/attachment-response';
import { BUNDLE_DOWNLOAD_PATH, bundleDownloadHeaders, bundleRequestAllowed } from '../host/bundle-response';
import { contentTypeFor, SECURITY_HEADERS } from '../host/static-files';
import { notebookLayout } from '../notebook/paths';
import { APP_ORIGIN, rendererFileFor } from './security';

/** Must run before the app is ready: app:// is a standard, secure scheme with its own origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
  ]);
}

/**
 * Serves app://outpost/: the built renderer, attachments (their own sandbox CSP, downloads unless a
 * raster image) and exported bundles (once per token). Whatever the path holds, a bad one is a 400,
 * never a read outside the renderer folder.
 */
export function serveAppProtocol(options: { rendererDir: string; notebookDir: string; api: ApiEndpoint; system: ClientSession }): void {
  const { rendererDir, notebookDir, api, system } = options;
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const attachment = /^\/attachments\/([0-9a-f]{64})$/.exec(url.pathname);
    if (attachment) {
      const sha = attachment[1] as string;
      const result = await system.call('attachments.info', { sha256: sha });
      if (!result.ok || !result.value) return new Response('Not found', { status: 404 });
      const info = result.value as { mime: string; name: string; size: number };
      const file = path.join(notebookLayout(notebookDir).attachments, sha.slice(0, 2), sha);
      return new Response(Readable.toWeb(fs.createReadStream(file)) as ReadableStream, { headers: attachmentHeaders(info) });
    }
    const bundle = BUNDLE_DOWNLOAD_PATH.exec(url.pathname);
    if (bundle) {
      if (request.method !== 'GET') return new Response(null, { status: 405 });
      // Only app:// pages exist in this session (everything else is cancelled); refuse a foreign Origin anyway.
      const origin = request.headers.get('origin') ?? undefined;
      if (!bundleRequestAllowed({ origin }, [APP_ORIGIN])) return new Response('Forbidden', { status: 403 });
      const download = await api.takeBundleDownload(bundle[1] as string);
      if (!download) return new Response('This bundle download has expired or was already used. Export the bundle again.', { status: 404 });
      return new Response(download.bytes as Uint8Array<ArrayBuffer>, { headers: bundleDownloadHeaders(download) });
    }
    const target = rendererFileFor(rendererDir, url.pathname);
    if (!target) return new Response('Bad request', { status: 400 });
    const file = fs.existsSync(target.file) && fs.statSync(target.file).isFile() ? target.file : path.join(rendererDir, 'index.html');
    // Read here rather than through net.fetch(file://…): the session refuses every file:// request.
    return new Response(Readable.toWeb(fs.createReadStream(file)) as ReadableStream, {
      headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file) },
    });
  });
}
