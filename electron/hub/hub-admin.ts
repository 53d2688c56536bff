import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { OutpostError } from '../../shared/errors';
import { uuidSchema } from '../../shared/ids';
import { writeFileAtomic } from '../notebook/atomic-write';
import { sameSecret } from '../notebook/secret-token';
import type { HubGate } from './hub-gate';
import type { HubStore } from './hub-store';

/**
 * While a hub runs on its embedded store, no other process may open that store (PGlite is one
 * process's), so `outpost hub members` asks the running hub instead: over HTTP on 127.0.0.1, with
 * a secret the hub writes into its data folder (owner-only), as the notebook's command channel does.
 */
const ADMIN_FILE = 'hub.admin.json';
const MAX_ADMIN_BODY = 16 * 1024;

const adminFileSchema = z.strictObject({ port: z.number().int(), secret: z.string().min(20), pid: z.number().int(), tls: z.boolean() });
export type AdminFile = z.infer<typeof adminFileSchema>;

export const adminMemberSchema = z.strictObject({
  fingerprint: z.string().max(80),
  engagementId: uuidSchema.optional(),
  name: z.string().max(80).optional(),
});

export function writeAdminFile(dataDir: string, file: AdminFile): void {
  writeFileAtomic(path.join(dataDir, ADMIN_FILE), `${JSON.stringify(file)}\n`);
}

/** Removes the admin file if it is still this hub's (another hub may have started on the folder since). */
export function removeAdminFile(dataDir: string, secret: string): void {
  const file = readAdminFile(dataDir);
  if (file?.secret === secret) fs.rmSync(path.join(dataDir, ADMIN_FILE), { force: true });
}

/** The running hub's admin file, or null when none is running on `dataDir` (or it died). */
export function readAdminFile(dataDir: string): AdminFile | null {
  try {
    const parsed = adminFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, ADMIN_FILE), 'utf8')));
    if (!parsed.success) return null;
    process.kill(parsed.data.pid, 0);
    return parsed.data;
  } catch {
    return null;
  }
}

export async function handleAdminRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  hub: { store: HubStore; gate: HubGate; secret: string },
): Promise<void> {
  const remote = req.socket.remoteAddress ?? '';
  const given = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote) || !sameSecret(given, hub.secret)) {
    res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'Forbidden' }));
    return;
  }
  const reply = (status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
  if (route === 'GET /admin/members') return reply(200, { members: await hub.store.listMembers() });
  if (route === 'GET /admin/log') return reply(200, { log: await hub.store.recentLog() });
  const body = adminMemberSchema.safeParse(await readJson(req));
  if (!body.success) return reply(400, { error: 'Malformed admin request' });
  const { fingerprint, engagementId, name } = body.data;
  if (route === 'POST /admin/members/add') {
    if (!engagementId) return reply(400, { error: 'Name the engagement' });
    await hub.store.addMember(fingerprint, engagementId, name ?? '');
    return reply(200, { added: 1 });
  }
  if (route === 'POST /admin/members/remove') {
    const removed = await hub.store.removeMember(fingerprint, engagementId);
    await hub.gate.closeDevice(fingerprint);
    return reply(200, { removed });
  }
  reply(404, { error: 'Not found' });
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ADMIN_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

/** `outpost hub members …` against the hub running on `dataDir`. */
export async function callRunningHub(file: AdminFile, method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const { request } = file.tls ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: file.port,
        path: route,
        method,
        headers: { Authorization: `Bearer ${file.secret}`, 'Content-Type': 'application/json' },
        // Loopback to our own hub, whose certificate may be for its network name only.
        rejectUnauthorized: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {}
          if (res.statusCode === 200) resolve(parsed);
          else
            reject(new OutpostError('hub_refused', `The running hub refused: ${(parsed as { error?: string })?.error ?? res.statusCode}`));
        });
      },
    );
    req.on('error', (error) => reject(new OutpostError('hub_unreachable', `Cannot reach the running hub: ${error.message}`)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
