import fs from 'node:fs';
import path from 'node:path';
import { OutpostError } from '../../shared/errors';
import { uuidSchema } from '../../shared/ids';
import { type AdminFile, callRunningHub, readAdminFile } from '../hub/hub-admin';
import { type HubMember, HubStore, memberFingerprint } from '../hub/hub-store';
import { UsageError } from './args';
import { printList } from './command-helpers';
import type { CliIO } from './output';

export interface MembersFlags {
  engagement?: string;
  name?: string;
  json?: boolean;
  data?: string;
  database?: string;
}

/**
 * `outpost hub members add|list|remove`: against the PostgreSQL database (--database), or the
 * embedded store in --data — through the hub running on it, if one is (PGlite is one process's).
 */
export async function runMembers(
  io: CliIO,
  flags: MembersFlags,
  positionals: string[],
  defaultDir: string,
  /** `add --trusted`: the devices to add (this notebook's and those it trusts), instead of one key. */
  devices?: Array<{ fingerprint: string; name: string }>,
): Promise<number> {
  const [action, key] = positionals;
  if (devices) return addDevices(io, flags, devices, defaultDir);
  if (action !== 'add' && action !== 'list' && action !== 'remove') throw new UsageError('outpost hub members add|list|remove');
  if (action === 'list' && key !== undefined) throw new UsageError(`Unexpected argument "${key}"`);
  if (action !== 'list' && key === undefined) throw new UsageError(`Missing the device's key or fingerprint (outpost info prints them)`);
  if (flags.engagement !== undefined && !uuidSchema.safeParse(flags.engagement).success)
    throw new UsageError('--engagement takes the engagement id (outpost engagements show X prints it)');
  if (action === 'add' && !flags.engagement) throw new UsageError('Name the engagement the device may sync: --engagement ID');
  const fingerprint = key === undefined ? '' : memberFingerprint(key);
  const members = await openMembers(flags, defaultDir);
  try {
    if (action === 'list') {
      printList(io, flags.json, await members.list(), {
        empty: 'No members yet: outpost hub members add KEY --engagement ID',
        headers: ['Fingerprint', 'Engagement', 'Name', 'Since', 'Status'],
        row: (m: HubMember) => [
          m.fingerprint,
          m.engagementId,
          m.name,
          m.addedAt.slice(0, 10),
          m.revokedAt ? `removed ${m.revokedAt.slice(0, 10)}` : 'member',
        ],
      });
      return 0;
    }
    if (action === 'add') {
      await members.add(fingerprint, flags.engagement as string, flags.name ?? '');
      io.stdout(`Device ${fingerprint} may sync engagement ${flags.engagement}.\n`);
      return 0;
    }
    const removed = await members.remove(fingerprint, flags.engagement);
    if (!removed)
      throw new OutpostError('not_found', `Device ${fingerprint} is not a member${flags.engagement ? ' of that engagement' : ''}`);
    io.stdout(
      `Device ${fingerprint} removed from ${removed === 1 ? 'one engagement' : `${removed} engagements`}; its connections are closed.\n`,
    );
    return 0;
  } finally {
    await members.close();
  }
}

async function addDevices(
  io: CliIO,
  flags: MembersFlags,
  devices: Array<{ fingerprint: string; name: string }>,
  defaultDir: string,
): Promise<number> {
  const engagementId = flags.engagement as string;
  // Every fingerprint is checked before anything is written; adding is idempotent, so running it again completes an interrupted run.
  const members = devices.map((d) => ({ fingerprint: memberFingerprint(d.fingerprint), name: d.name }));
  const store = await openMembers(flags, defaultDir);
  try {
    for (const m of members) await store.add(m.fingerprint, engagementId, m.name);
  } finally {
    await store.close();
  }
  for (const m of members) io.stdout(`Device ${m.fingerprint} (${m.name}) may sync engagement ${engagementId}.\n`);
  return 0;
}

function openMembers(flags: MembersFlags, defaultDir: string): Promise<Members> {
  const dataDir = path.resolve(flags.data ?? defaultDir);
  const running = flags.database ? null : readAdminFile(dataDir);
  return running ? Promise.resolve(viaRunningHub(running)) : direct(flags.database, dataDir);
}

interface Members {
  list(): Promise<HubMember[]>;
  add(fingerprint: string, engagementId: string, name: string): Promise<void>;
  remove(fingerprint: string, engagementId?: string): Promise<number>;
  close(): Promise<void>;
}

function viaRunningHub(file: AdminFile): Members {
  return {
    list: async () => ((await callRunningHub(file, 'GET', '/admin/members')) as { members: HubMember[] }).members,
    add: async (fingerprint, engagementId, name) => {
      await callRunningHub(file, 'POST', '/admin/members/add', { fingerprint, engagementId, name });
    },
    remove: async (fingerprint, engagementId) =>
      ((await callRunningHub(file, 'POST', '/admin/members/remove', { fingerprint, engagementId })) as { removed: number }).removed,
    close: async () => {},
  };
}

async function direct(databaseUrl: string | undefined, dataDir: string): Promise<Members> {
  const { openHubSql } = await import('../hub/hub-database');
  const { acquireNotebookLock } = await import('../notebook/lock');
  // The embedded store is locked like a running hub holds it, so a hub starting meanwhile waits its turn.
  if (!databaseUrl) fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = databaseUrl ? null : acquireNotebookLock(dataDir, 'hub members');
  try {
    const store = await HubStore.open(await openHubSql({ databaseUrl, dataDir: path.join(dataDir, 'db') }));
    return {
      list: () => store.listMembers(),
      add: (fingerprint, engagementId, name) => store.addMember(fingerprint, engagementId, name),
      remove: (fingerprint, engagementId) => store.removeMember(fingerprint, engagementId),
      close: async () => {
        await store.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
