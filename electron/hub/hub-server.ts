import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Database } from '@hocuspocus/extension-database';
import { Redis } from '@hocuspocus/extension-redis';
import { Hocuspocus } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import { DEFAULT_CLASSIFICATION_LEVELS, levelRank } from '../../shared/classification';
import { OutpostError } from '../../shared/errors';
import { CHALLENGE_PATH, makeChallenge, parseHubDocName } from '../../shared/hub/auth';
import { acquireNotebookLock, type NotebookLock } from '../notebook/lock';
import { makeOwnerOnly, restrictNewFiles } from '../notebook/permissions';
import { handleAdminRequest, removeAdminFile, writeAdminFile } from './hub-admin';
import { openHubSql } from './hub-database';
import { HubGate } from './hub-gate';
import { SNAPSHOT_PATH, sendSnapshot } from './hub-snapshot';
import { HubStore } from './hub-store';

/** The largest WebSocket message a client may send (a whole note with its images, as one update). */
export const HUB_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface HubServerOptions {
  /** The embedded store's folder (PGlite), also where the admin file lives; owner-only. */
  dataDir: string;
  /** A PostgreSQL URL: documents, members and the hub key live there (several instances share it). */
  databaseUrl?: string;
  /** A Redis URL: several instances serve the same documents. */
  redisUrl?: string;
  port?: number;
  /** Default 127.0.0.1. Any other address needs TLS, or `insecure` on purpose. */
  address?: string;
  ceiling: string;
  levels?: readonly string[];
  tls?: { certFile: string; keyFile: string };
  insecure?: boolean;
  /** Store a changed document after this much quiet (ms); clients hold what is not stored yet. */
  storeDebounceMs?: number;
}

export interface RunningHub {
  /** ws://HOST:PORT or wss://HOST:PORT: what `outpost hub connect` takes. */
  url: string;
  port: number;
  fingerprint: string;
  ceiling: string;
  levels: readonly string[];
  store: HubStore;
  hocuspocus: Hocuspocus;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * `outpost hub serve`: Hocuspocus (the Yjs sync server) behind Outpost's gate, storing in
 * PostgreSQL or PGlite, optionally scaled out through Redis. It serves three HTTP paths besides the
 * WebSocket: the auth challenge, a health line, and the admin calls of `outpost hub members` (from
 * this machine only, with the secret in the data folder).
 */
export async function startHub(options: HubServerOptions): Promise<RunningHub> {
  const address = options.address ?? '127.0.0.1';
  const levels = options.levels ?? DEFAULT_CLASSIFICATION_LEVELS;
  if (levelRank(levels, options.ceiling) < 0)
    throw new OutpostError('invalid_request', `--ceiling ${options.ceiling} is not one of the levels: ${levels.join(' < ')}`);
  if (!LOOPBACK.has(address) && !options.tls && !options.insecure)
    throw new OutpostError(
      'invalid_request',
      `Refusing to serve ${address} without TLS: device keys and notes would cross the network in clear. Give --tls-cert and --tls-key, or --insecure on purpose.`,
    );
  const tls = options.tls ? readTls(options.tls) : null;
  restrictNewFiles();
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  makeOwnerOnly(options.dataDir);
  // The embedded store is one process's: a second hub on the same folder is refused, not corrupted.
  const lock: NotebookLock | null = options.databaseUrl ? null : acquireNotebookLock(options.dataDir, 'hub');
  let store: HubStore | null = null;
  try {
    store = await HubStore.open(await openHubSql({ databaseUrl: options.databaseUrl, dataDir: `${options.dataDir}/db` }));
    return await serve(store, { ...options, address, levels }, tls, lock);
  } catch (error) {
    await store?.close().catch(() => {});
    lock?.release();
    throw error;
  }
}

async function serve(
  store: HubStore,
  options: HubServerOptions & { address: string; levels: readonly string[] },
  tls: { cert: Buffer; key: Buffer } | null,
  lock: NotebookLock | null,
): Promise<RunningHub> {
  const policy = { ceiling: options.ceiling, levels: options.levels };
  const gate = new HubGate(store, policy);
  const storing = new Set<Promise<void>>();
  const extensions: Hocuspocus['configuration']['extensions'] = [
    gate,
    new Database({
      fetch: async ({ documentName }) => store.loadDocument(documentName),
      store: async ({ documentName, state }) => {
        const name = parseHubDocName(documentName);
        if (!name) return;
        const write = store.storeDocument(documentName, name.engagementId, new Uint8Array(state));
        storing.add(write);
        try {
          await write;
        } finally {
          storing.delete(write);
        }
      },
    }),
  ];
  if (options.redisUrl) {
    const url = new URL(options.redisUrl);
    extensions.push(
      new Redis({
        host: url.hostname,
        port: Number(url.port || 6379),
        // A Redis that goes away is retried, not fatal: each instance keeps serving its own clients.
        options: { maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 200, 2000) },
        prefix: 'outpost-hub',
      }),
    );
  }
  const hocuspocus = new Hocuspocus({
    name: `outpost-hub-${crypto.randomUUID().slice(0, 8)}`,
    quiet: true,
    debounce: options.storeDebounceMs ?? 300,
    maxDebounce: 3000,
    timeout: 30_000,
    // A notebook joins with every document of an engagement on one socket.
    maxPendingDocuments: 2000,
    extensions,
  });
  const adminSecret = crypto.randomBytes(32).toString('base64url');
  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === CHALLENGE_PATH) {
        const challenge = makeChallenge({ ...store.keys, ...policy }, crypto.randomBytes(32), Date.now());
        return send(res, 200, challenge);
      }
      if (req.method === 'GET' && path === '/health')
        return send(res, 200, { outpostHub: 1, fingerprint: store.fingerprint, ceiling: policy.ceiling, levels: policy.levels });
      if (path?.startsWith('/admin/')) return await handleAdminRequest(req, res, { store, gate, secret: adminSecret });
      if (req.method === 'GET' && path?.startsWith(SNAPSHOT_PATH)) return await sendSnapshot(req, res, { store, gate, hocuspocus });
      send(res, 404, { error: 'Not found' });
    } catch (error) {
      send(res, 500, { error: (error as Error).message });
    }
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: HUB_MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {});
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const request = new Request(`http://hub${req.url ?? '/'}`, { headers: headersOf(req) });
      const client = hocuspocus.handleConnection(ws, request);
      ws.on('message', (data: Buffer) => client.handleMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      ws.on('close', (code, reason) => client.handleClose({ code, reason: reason.toString() }));
      // An oversized or malformed frame closes that socket only.
      ws.on('error', () => ws.terminate());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new OutpostError('invalid_request', `Cannot listen on ${options.address}:${options.port ?? 0}: ${error.message}`)),
    );
    server.listen(options.port ?? 0, options.address, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.address.includes(':') ? `[${options.address}]` : options.address;
  writeAdminFile(options.dataDir, { port, secret: adminSecret, pid: process.pid, tls: !!tls });
  let closing: Promise<void> | null = null;
  return {
    url: `${tls ? 'wss' : 'ws'}://${host}:${port}`,
    port,
    fingerprint: store.fingerprint,
    ceiling: policy.ceiling,
    levels: policy.levels,
    store,
    hocuspocus,
    close: () => {
      closing ??= (async () => {
        removeAdminFile(options.dataDir, adminSecret);
        for (const ws of sockets.clients) ws.terminate();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        hocuspocus.flushPendingStores();
        // The stores just started, and any running, land before the database closes.
        for (let round = 0; round < 5 && storing.size; round++) await Promise.allSettled([...storing]);
        await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
        await store.close().catch(() => {});
        lock?.release();
      })();
      return closing;
    },
  };
}

function readTls(files: { certFile: string; keyFile: string }): { cert: Buffer; key: Buffer } {
  try {
    return { cert: fs.readFileSync(files.certFile), key: fs.readFileSync(files.keyFile) };
  } catch (error) {
    throw new OutpostError('invalid_request', `Cannot read the TLS certificate or key: ${(error as Error).message}`);
  }
}

function headersOf(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(key, one);
      } catch {
        // A header the fetch API refuses is not one the hub reads.
      }
    }
  }
  return headers;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
