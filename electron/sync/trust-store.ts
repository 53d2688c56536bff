import { OutpostError } from '../../shared/errors';
import { keyFingerprint } from '../../shared/sync/bundle-format';
import type { Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';

export interface TrustedDevice {
  deviceId: string;
  name: string;
  fingerprint: string;
  trustedAt: string;
  revokedAt: string | null;
}

/** How this notebook regards the device that signed a bundle. */
export type SenderTrust =
  | { status: 'self' }
  | { status: 'trusted'; device: TrustedDevice }
  | { status: 'revoked'; device: TrustedDevice }
  /** A trusted device id with a different key: someone else signed in its name. */
  | { status: 'key_mismatch'; device: TrustedDevice }
  | { status: 'unknown' };

interface Row {
  device_id: string;
  name: string;
  public_key: Uint8Array;
  fingerprint: string;
  trusted_at: Date;
  revoked_at: Date | null;
}

const toDevice = (row: Row): TrustedDevice => ({
  deviceId: row.device_id,
  name: row.name,
  fingerprint: row.fingerprint,
  trustedAt: new Date(row.trusted_at).toISOString(),
  revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
});

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Devices whose bundles this notebook accepts, by their Ed25519 public keys. */
export class TrustStore {
  constructor(
    private readonly db: Database,
    private readonly self: () => { deviceId: string; publicKey: Uint8Array },
  ) {}

  async list(): Promise<TrustedDevice[]> {
    const result = await this.db.query<Row>('SELECT * FROM trusted_devices ORDER BY revoked_at NULLS FIRST, name, device_id');
    return result.rows.map(toDevice);
  }

  async judge(sender: { deviceId: string; publicKey: Uint8Array }): Promise<SenderTrust> {
    const self = this.self();
    if (sender.deviceId === self.deviceId && sameBytes(sender.publicKey, self.publicKey)) return { status: 'self' };
    const result = await this.db.query<Row>('SELECT * FROM trusted_devices WHERE device_id = $1', [sender.deviceId]);
    const row = result.rows[0];
    if (!row) return { status: 'unknown' };
    const device = toDevice(row);
    if (!sameBytes(new Uint8Array(row.public_key), sender.publicKey)) return { status: 'key_mismatch', device };
    return row.revoked_at ? { status: 'revoked', device } : { status: 'trusted', device };
  }

  /** Trusts a device's key (again, if it was revoked). Refuses to swap the key of a known device. */
  async trust(sender: { deviceId: string; name: string; publicKey: Uint8Array }, tx: Queryable = this.db): Promise<TrustedDevice> {
    const existing = await tx.query<Row>('SELECT * FROM trusted_devices WHERE device_id = $1', [sender.deviceId]);
    const row = existing.rows[0];
    if (row && !sameBytes(new Uint8Array(row.public_key), sender.publicKey)) {
      throw new OutpostError(
        'bundle_signature',
        `Device ${row.name} is already trusted with another key (${row.fingerprint}). Revoke and remove it first if that device really has a new key.`,
      );
    }
    const result = await tx.query<Row>(
      `INSERT INTO trusted_devices (device_id, name, public_key, fingerprint) VALUES ($1, $2, $3, $4)
       ON CONFLICT (device_id) DO UPDATE SET name = EXCLUDED.name, revoked_at = NULL
       RETURNING *`,
      [sender.deviceId, sender.name, sender.publicKey, keyFingerprint(sender.publicKey)],
    );
    return toDevice(result.rows[0] as Row);
  }

  async revoke(deviceId: string): Promise<TrustedDevice> {
    const result = await this.db.query<Row>(
      'UPDATE trusted_devices SET revoked_at = coalesce(revoked_at, now()) WHERE device_id = $1 RETURNING *',
      [deviceId],
    );
    const row = result.rows[0];
    if (!row) throw new OutpostError('not_found', `No trusted device with id ${deviceId}`);
    return toDevice(row);
  }
}
