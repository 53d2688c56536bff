import * as Y from 'yjs';
import { decodeBytes, encodeBytes } from '../../shared/bytes';
import { OutpostError } from '../../shared/errors';
import { type DeviceKeyPair, generateDeviceKeyPair, keyFingerprint, PUBLIC_KEY_BYTES, publicKeyOf } from '../../shared/sync/bundle-crypto';
import type { HubSql } from './hub-database';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS hub_meta (key text PRIMARY KEY, value text NOT NULL);
  -- Each document the hub serves: its merged Yjs state, as Hocuspocus stores it.
  CREATE TABLE IF NOT EXISTS hub_documents (
    name text PRIMARY KEY,
    engagement_id uuid NOT NULL,
    state bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  -- Who may connect, per engagement, by device key fingerprint. A removed member keeps its row
  -- (revoked_at), so a refused device is told it was removed rather than that it is unknown.
  CREATE TABLE IF NOT EXISTS hub_members (
    fingerprint text NOT NULL,
    engagement_id uuid NOT NULL,
    name text NOT NULL DEFAULT '',
    added_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (fingerprint, engagement_id)
  );
  -- Refusals and connections, for the admin: who tried what, and why it was refused.
  CREATE TABLE IF NOT EXISTS hub_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    event text NOT NULL,
    fingerprint text,
    document text,
    detail text NOT NULL
  );
`;

export type Membership = 'member' | 'revoked' | 'none';

export interface HubMember {
  fingerprint: string;
  engagementId: string;
  name: string;
  addedAt: string;
  revokedAt: string | null;
}

export interface HubLogEntry {
  at: string;
  event: string;
  fingerprint: string | null;
  document: string | null;
  detail: string;
}

/**
 * A member named by its Ed25519 public key (base64, as `outpost info` prints it) or by the key's
 * fingerprint (8 groups of 4 hex digits, spaces optional); returns the fingerprint.
 */
export function memberFingerprint(keyOrFingerprint: string): string {
  const text = keyOrFingerprint.trim();
  const compact = text.replace(/\s+/g, '').toLowerCase();
  if (/^[0-9a-f]{32}$/.test(compact)) return compact.match(/.{4}/g)!.join(' ');
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) {
    const key = decodeBytes(text);
    if (key.length === PUBLIC_KEY_BYTES) return keyFingerprint(key);
  }
  throw new OutpostError(
    'invalid_request',
    'Name a device by its public key (base64) or its key fingerprint (32 hex digits): outpost info prints both on that laptop',
  );
}

/** The hub's own state: its key, its documents, its members and its log, in PostgreSQL or PGlite. */
export class HubStore {
  private constructor(
    private readonly sql: HubSql,
    readonly keys: DeviceKeyPair,
  ) {}

  static async open(sql: HubSql): Promise<HubStore> {
    for (const statement of SCHEMA.split(';').filter((s) => s.trim())) await sql.query(statement);
    // Several instances may start at once on one database: the first key written is the hub's key.
    const fresh = generateDeviceKeyPair();
    await sql.query("INSERT INTO hub_meta (key, value) VALUES ('secret_key', $1) ON CONFLICT (key) DO NOTHING", [
      encodeBytes(fresh.secretKey),
    ]);
    const stored = await sql.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'secret_key'");
    const secretKey = decodeBytes(stored.rows[0]?.value ?? '');
    const publicKey = secretKey.length === 32 ? publicKeyOf(secretKey) : null;
    if (!publicKey) throw new OutpostError('hub_database', "The hub's key in its database is damaged; restore the database from a backup");
    return new HubStore(sql, { publicKey, secretKey });
  }

  get fingerprint(): string {
    return keyFingerprint(this.keys.publicKey);
  }

  async loadDocument(name: string): Promise<Uint8Array | null> {
    const result = await this.sql.query<{ state: Uint8Array }>('SELECT state FROM hub_documents WHERE name = $1', [name]);
    const state = result.rows[0]?.state;
    return state ? new Uint8Array(state) : null;
  }

  /**
   * Stores a document's state merged with what the database holds: with several instances, each
   * stores its own copy, and one that missed the other's changes (Redis away for a while) must
   * not overwrite them. The row is locked while it is merged.
   */
  async storeDocument(name: string, engagementId: string, state: Uint8Array): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const stored = await tx.query<{ state: Uint8Array }>('SELECT state FROM hub_documents WHERE name = $1 FOR UPDATE', [name]);
      const before = stored.rows[0]?.state;
      const merged = before ? Y.mergeUpdates([new Uint8Array(before), state]) : state;
      await tx.query(
        `INSERT INTO hub_documents (name, engagement_id, state, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
        [name, engagementId, merged],
      );
    });
  }

  /** Every stored document of an engagement except its index, for a laptop joining it. */
  async engagementDocuments(engagementId: string): Promise<Array<{ name: string; state: Uint8Array }>> {
    const result = await this.sql.query<{ name: string; state: Uint8Array }>(
      `SELECT name, state FROM hub_documents WHERE engagement_id = $1 AND name <> $2 ORDER BY name`,
      [engagementId, `${engagementId}/index`],
    );
    return result.rows.map((row) => ({ name: row.name, state: new Uint8Array(row.state) }));
  }

  async documentCount(): Promise<number> {
    const result = await this.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_documents');
    return result.rows[0]?.n ?? 0;
  }

  async membership(fingerprint: string, engagementId: string): Promise<Membership> {
    const result = await this.sql.query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM hub_members WHERE fingerprint = $1 AND engagement_id = $2',
      [fingerprint, engagementId],
    );
    const row = result.rows[0];
    return !row ? 'none' : row.revoked ? 'revoked' : 'member';
  }

  async addMember(fingerprint: string, engagementId: string, name: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO hub_members (fingerprint, engagement_id, name) VALUES ($1, $2, $3)
       ON CONFLICT (fingerprint, engagement_id) DO UPDATE SET revoked_at = NULL,
         name = CASE WHEN EXCLUDED.name = '' THEN hub_members.name ELSE EXCLUDED.name END`,
      [fingerprint, engagementId, name],
    );
  }

  /** Revokes a member for one engagement, or for every engagement; returns how many memberships ended. */
  async removeMember(fingerprint: string, engagementId?: string): Promise<number> {
    const result = await this.sql.query<{ fingerprint: string }>(
      `UPDATE hub_members SET revoked_at = now()
       WHERE fingerprint = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR engagement_id = $2::uuid) RETURNING fingerprint`,
      [fingerprint, engagementId ?? null],
    );
    return result.rows.length;
  }

  async listMembers(): Promise<HubMember[]> {
    const result = await this.sql.query<{
      fingerprint: string;
      engagement_id: string;
      name: string;
      added_at: Date;
      revoked_at: Date | null;
    }>('SELECT * FROM hub_members ORDER BY engagement_id, revoked_at NULLS FIRST, name, fingerprint');
    return result.rows.map((row) => ({
      fingerprint: row.fingerprint,
      engagementId: row.engagement_id,
      name: row.name,
      addedAt: new Date(row.added_at).toISOString(),
      revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    }));
  }

  async log(event: string, detail: string, fingerprint: string | null = null, document: string | null = null): Promise<void> {
    await this.sql.query('INSERT INTO hub_log (event, fingerprint, document, detail) VALUES ($1, $2, $3, $4)', [
      event,
      fingerprint,
      document,
      detail.slice(0, 500),
    ]);
  }

  async recentLog(limit = 50): Promise<HubLogEntry[]> {
    const result = await this.sql.query<{ at: Date; event: string; fingerprint: string | null; document: string | null; detail: string }>(
      'SELECT at, event, fingerprint, document, detail FROM hub_log ORDER BY id DESC LIMIT $1',
      [limit],
    );
    return result.rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
