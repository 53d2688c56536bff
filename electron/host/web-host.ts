import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { API_SOCKET_PATH, MAX_FRAME_BYTES, requestFrameSchema, type ServerFrame } from '../../shared/api/wire';
import { OutpostError } from '../../shared/errors';
import { ApiServer } from '../api/api-server';
import type { Notebook } from '../notebook/notebook';
import { attachmentHeaders } from './attachment-response';
import { BUNDLE_DOWNLOAD_PATH, bundleDownloadHeaders, bundleRequestAllowed } from './bundle-response';
import { SECURITY_HEADERS, serveStatic } from './static-files';

export interface WebHostOptions {
  notebook: Notebook;
  rendererDir: string;
  /** 0 or undefined: a port derived from the notebook id if free (so the browser's origin, and
   * with it the IndexedDB replica, stays the same across restarts), else any free port. */
  port?: number;
}

export interface WebHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Browser mode: the built renderer and the API over a WebSocket, on 127.0.0.1 only. Requests must
 * name this host (no DNS rebinding) and WebSockets must come from this origin (no other web page
 * in the user's browser can reach the notebook).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const api = new ApiServer(options.notebook);
  let port = 0;
  const allowedHost = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = http.createServer((req, res) => {
    if (!allowedHost().has(req.headers.host ?? '')) {
      res.writeHead(421, SECURITY_HEADERS).end('Misdirected request');
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const attachment = /^\/attachments\/([0-9a-f]{64})$/.exec(pathname);
    if (attachment) {
      void serveAttachment(options.notebook, attachment[1] as string, req, res);
      return;
    }
    const bundle = BUNDLE_DOWNLOAD_PATH.exec(pathname);
    if (bundle) {
      void serveBundle(
        api,
        bundle[1] as string,
        [...allowedHost()].map((h) => `http://${h}`),
        req,
        res,
      );
      return;
    }
    serveStatic(options.rendererDir, req, res);
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin ?? '';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const hostOk = allowedHost().has(req.headers.host ?? '');
    const originOk = [...allowedHost()].some((h) => origin === `http://${h}`);
    if (path !== API_SOCKET_PATH || !hostOk || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(api, ws));
  });

  port = await listen(server, options.port ?? 0, preferredPort(options.notebook.settings.notebookId));
  const openSockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: async () => {
      api.close();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      for (const socket of openSockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveAttachment(notebook: Notebook, sha: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const info = await notebook.attachments.info(sha).catch(() => null);
  if (!info || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(info ? 405 : 404, SECURITY_HEADERS).end();
    return;
  }
  res.writeHead(200, attachmentHeaders(info));
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(notebook.attachments.pathOf(sha)).pipe(res);
}

/** An exported bundle, once, to a request from this origin (or typed into the address bar). */
async function serveBundle(api: ApiServer, token: string, origins: string[], req: http.IncomingMessage, res: http.ServerResponse) {
  if (req.method !== 'GET') {
    res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET' }).end();
    return;
  }
  const headers = req.headers as { origin?: string; 'sec-fetch-site'?: string };
  if (!bundleRequestAllowed(headers, origins)) {
    res.writeHead(403, SECURITY_HEADERS).end('Forbidden');
    return;
  }
  const download = await api.takeBundleDownload(token);
  if (!download) {
    res
      .writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
      .end('This bundle download has expired or was already used. Export the bundle again.');
    return;
  }
  res.writeHead(200, bundleDownloadHeaders(download));
  res.end(Buffer.from(download.bytes.buffer, download.bytes.byteOffset, download.bytes.byteLength));
}

function serveSocket(api: ApiServer, ws: WebSocket): void {
  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const session = api.connect((event, payload) => send({ event, payload }));
  ws.on('close', () => session.close());
  ws.on('message', async (data, isBinary) => {
    let frame: ReturnType<typeof requestFrameSchema.parse>;
    try {
      if (isBinary) throw new Error('binary frame');
      frame = requestFrameSchema.parse(JSON.parse(String(data)));
    } catch {
      ws.close(1007, 'Malformed request frame');
      return;
    }
    const result = await session.call(frame.name, frame.request);
    send({ id: frame.id, ...result });
  });
}

/** A stable port in 20000–39999 from the notebook id; the same notebook gets the same origin. */
function preferredPort(notebookId: string): number {
  let hash = 0;
  for (const ch of notebookId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return 20000 + (hash % 20000);
}

async function listen(server: http.Server, requested: number, preferred: number): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, '127.0.0.1');
    });
  if (requested) {
    try {
      return await attempt(requested);
    } catch (error) {
      throw new OutpostError('invalid_request', `Cannot listen on 127.0.0.1:${requested}: ${(error as Error).message}`);
    }
  }
  try {
    return await attempt(preferred);
  } catch {
    // The browser keeps unsaved replicas per origin (host:port): say so when the origin changes.
    process.emitWarning(
      `Port ${preferred}, this notebook's usual one, is taken; using another. Edits a browser tab kept while the host was down are sent when the app is opened on port ${preferred} again.`,
      { code: 'OUTPOST_PORT' },
    );
    return attempt(0);
  }
}
