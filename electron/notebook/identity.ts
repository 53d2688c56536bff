import fs from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import { OutpostError } from '../../shared/errors';
import { newId, uuidSchema } from '../../shared/ids';
import { writeFileAtomic } from './atomic-write';

/**
 * This notebook's device identity: who wrote an update, when notebooks merge. It is created once
 * and never regenerated silently (a new id would make this laptop look like a stranger to peers).
 */
const deviceFileSchema = z.object({
  deviceId: uuidSchema,
  name: z.string().min(1).max(80),
  createdAt: z.string(),
});
export type DeviceIdentity = z.infer<typeof deviceFileSchema>;

export function loadOrCreateDeviceIdentity(file: string): DeviceIdentity {
  if (!fs.existsSync(file)) {
    const identity: DeviceIdentity = { deviceId: newId(), name: defaultDeviceName(), createdAt: new Date().toISOString() };
    writeFileAtomic(file, `${JSON.stringify(identity, null, 2)}\n`);
    return identity;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OutpostError(
      'notebook_invalid',
      `The device identity file ${file} is not valid JSON (${(error as Error).message}). Restore it from a backup.`,
    );
  }
  const result = deviceFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new OutpostError(
      'notebook_invalid',
      `The device identity file ${file} is damaged: ${result.error.issues[0]?.message}. Restore it from a backup.`,
    );
  }
  return result.data;
}

export function saveDeviceIdentity(file: string, identity: DeviceIdentity): void {
  writeFileAtomic(file, `${JSON.stringify(identity, null, 2)}\n`);
}

function defaultDeviceName(): string {
  let user = 'user';
  try {
    user = os.userInfo().username || user;
  } catch {
    // No passwd entry (some containers): keep the generic name.
  }
  return `${user}@${os.hostname()}`.slice(0, 80);
}
