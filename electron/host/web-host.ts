import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { pipeline } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { API_SOCKET_PATH, MAX_FRAME_BYTES, requestFrameSchema, SESSION_PATH, type ServerFrame } from '../../shared/api/wire';
import { OutpostError } from '../../shared/errors';
import type { ApiServer } from '../api/api-server';
import type { Notebook } from '../notebook/notebook';
import { attachmentHeaders } from './attachment-response';
import { BUNDLE_DOWNLOAD_PATH, bundleDownloadHeaders, bundleRequestAllowed } from './bundle-response';
import { createHostAuth, type HostAuth } from './host-auth';
import { SECURITY_HEADERS, serveStatic } from './static-files';

export interface WebHostOptions {
  notebook: Notebook;
  /** The notebook's services; the host serves them and closes nothing of them. */
  api: ApiServer;
  rendererDir: string;
  /** 0 or undefined: a port derived from the notebook id if free (so the browser's origin, and
   * with it the IndexedDB replica, stays the same across restarts), else any free port. */
  port?: number;
}

export interface WebHost {
  /** The address to open: this run's login token included (see host-auth.ts). */
  url: string;
  /** http://127.0.0.1:PORT/ — the page's origin, without the token. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Browser mode: the built renderer and the API over a WebSocket, on 127.0.0.1 only. Requests must
 * name this host (no DNS rebinding) and WebSockets must come from this origin (no other web page
 * in the user's browser can reach the notebook).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { api } = options;
  let port = 0;
  let auth: HostAuth | null = null;
  const allowedHost = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const route = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!allowedHost().has(req.headers.host ?? '')) {
      res.writeHead(421, SECURITY_HEADERS).end('Misdirected request');
      return;
    }
    const pathname = requestPath(req);
    if (pathname === null) {
      res.writeHead(400, SECURITY_HEADERS).end('Bad request');
      return;
    }
    const login = auth?.login(req);
    if (login) {
      if (login.ok) res.writeHead(login.status, { ...SECURITY_HEADERS, ...login.headers }).end();
      else res.writeHead(login.status, { ...SECURITY_HEADERS, ...TEXT }).end(login.message);
      return;
    }
    if (!auth?.signedIn(req)) {
      refuseSignedOut(req, res, pathname);
      return;
    }
    if (pathname === SESSION_PATH) {
      res.writeHead(204, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' }).end();
      return;
    }
    const attachment = /^\/attachments\/([0-9a-f]{64})$/.exec(pathname);
    if (attachment) {
      void serveAttachment(options.notebook, attachment[1] as string, req, res).catch((error) => failRequest(res, error));
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
      ).catch((error) => failRequest(res, error));
      return;
    }
    serveStatic(options.rendererDir, req, res);
  };

  // Whatever a request holds (a NUL in its path, a header Node refuses, a client that vanishes
  // mid-response), it fails alone: the process that holds the notebook never goes down with it.
  const server = http.createServer((req, res) => {
    res.on('error', () => res.destroy());
    try {
      route(req, res);
    } catch (error) {
      failRequest(res, error);
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  sockets.on('error', () => {});

  server.on('upgrade', (req, socket, head) => {
    // An upgraded socket is no longer the HTTP server's to watch: a reset would be an unhandled error.
    socket.on('error', () => socket.destroy());
    try {
      const origin = req.headers.origin ?? '';
      const path = requestPath(req);
      const hostOk = allowedHost().has(req.headers.host ?? '');
      const originOk = [...allowedHost()].some((h) => origin === `http://${h}`);
      if (path !== API_SOCKET_PATH || !hostOk || !originOk) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      if (!auth?.signedIn(req)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(api, ws));
    } catch {
      socket.destroy();
    }
  });

  port = await listen(server, options.port ?? 0, preferredPort(options.notebook.settings.notebookId));
  auth = createHostAuth(port);
  const openSockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });

  const origin = `http://127.0.0.1:${port}/`;
  return {
    url: auth.loginUrl(origin),
    origin,
    port,
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      for (const socket of openSockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request's path, or null when its target is not one (`//`, `*`, an absolute URL of another host). */
function requestPath(req: http.IncomingMessage): string | null {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return null;
  }
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };

/** No session: a page explains how to get one; anything else gets a bare 401. */
function refuseSignedOut(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
  const wantsPage = req.method === 'GET' && (pathname === '/' || !/\.[a-z0-9]+$/i.test(pathname)) && pathname !== SESSION_PATH;
  if (!wantsPage) {
    res.writeHead(401, { ...SECURITY_HEADERS, ...TEXT }).end('Sign in first: open the address the Outpost host printed.');
    return;
  }
  res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(SIGNED_OUT_PAGE);
}

const SIGNED_OUT_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Outpost — open the address the host printed</title>
<main><h1>Open the address the Outpost host printed</h1>
<p>This notebook is served only to the person who started it. Open the address that
<code>npm run web</code> printed when it started (it ends with <code>?token=…</code>) in this browser.</p>
<p>If the host was restarted, it printed a new address: tabs you had open reconnect by themselves once you have opened it, and nothing typed in them is lost.</p></main></html>`;

/** An error while answering one request: that request gets a 500 (or is cut), nothing else. */
function failRequest(res: http.ServerResponse, error: unknown): void {
  process.emitWarning(`A browser-host request failed: ${(error as Error)?.message ?? String(error)}`, { code: 'OUTPOST_HOST_REQUEST' });
  if (!res.headersSent) res.writeHead(500, { ...SECURITY_HEADERS, ...TEXT }).end('The Outpost host could not answer this request.');
  else res.destroy();
}

async function serveAttachment(notebook: Notebook, sha: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const info = await notebook.attachments.info(sha).catch(() => null);
  if (!info || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(info ? 405 : 404, SECURITY_HEADERS).end();
    return;
  }
  res.writeHead(200, attachmentHeaders(info));
  if (req.method === 'HEAD') res.end();
  else pipeline(fs.createReadStream(notebook.attachments.pathOf(sha)), res, () => {});
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
  // A malformed frame (bad UTF-8, an unmasked frame, RSV bits, an absurd length) ends this
  // connection only; without a listener, ws would throw it at the process.
  ws.on('error', () => ws.terminate());
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
    try {
      send({ id: frame.id, ...result });
    } catch {
      ws.close(1011, 'The answer could not be sent');
    }
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
