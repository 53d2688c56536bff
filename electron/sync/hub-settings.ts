import { z } from 'zod';
import { uuidSchema } from '../../shared/ids';
import type { Database } from '../notebook/database';

/**
 * The team hub this notebook syncs with, kept in `notebook_meta` (local; never merged): its URL,
 * the key fingerprint trusted on first use, and the engagements whose "Sync with team hub" is on.
 * No hub configured (the default) means the notebook opens no network connection at all.
 */
export const hubSettingsSchema = z.strictObject({
  url: z.string().max(500),
  fingerprint: z.string().max(80),
  engagements: z.array(uuidSchema).max(1000),
});
export type HubSettings = z.infer<typeof hubSettingsSchema>;

const KEY = 'team_hub';

export async function loadHubSettings(db: Database): Promise<HubSettings | null> {
  const result = await db.query<{ value: unknown }>('SELECT value FROM notebook_meta WHERE key = $1', [KEY]);
  const parsed = hubSettingsSchema.safeParse(result.rows[0]?.value);
  return parsed.success ? parsed.data : null;
}

export async function saveHubSettings(db: Database, settings: HubSettings | null): Promise<void> {
  if (!settings) {
    await db.query('DELETE FROM notebook_meta WHERE key = $1', [KEY]);
    return;
  }
  await db.query('INSERT INTO notebook_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [
    KEY,
    JSON.stringify(hubSettingsSchema.parse(settings)),
  ]);
}
