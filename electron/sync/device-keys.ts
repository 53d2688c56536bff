import fs from 'node:fs';
import { z } from 'zod';
import { base64Schema, decodeBytes, encodeBytes } from '../../shared/bytes';
import { OutpostError } from '../../shared/errors';
import { type DeviceKeyPair, generateDeviceKeyPair } from '../../shared/sync/bundle-format';
import { writeFileAtomic } from '../notebook/atomic-write';

const keyFileSchema = z.strictObject({
  algorithm: z.literal('ed25519'),
  publicKey: base64Schema,
  secretKey: base64Schema,
  createdAt: z.string(),
});

/**
 * The key pair this notebook signs its bundles with, created on first use and never replaced
 * silently: peers trust the public key, so a new one would make this laptop a stranger. The file
 * is readable by its owner only.
 */
export function loadOrCreateDeviceKeys(file: string): DeviceKeyPair {
  if (!fs.existsSync(file)) {
    const pair = generateDeviceKeyPair();
    const content = {
      algorithm: 'ed25519',
      publicKey: encodeBytes(pair.publicKey),
      secretKey: encodeBytes(pair.secretKey),
      createdAt: new Date().toISOString(),
    };
    writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
    return pair;
  }
  let parsed: z.infer<typeof keyFileSchema>;
  try {
    parsed = keyFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new OutpostError(
      'notebook_invalid',
      `The device key file ${file} is damaged (${(error as Error).message.split('\n')[0]}). Restore it from a backup; peers trust this key.`,
    );
  }
  const pair = { publicKey: decodeBytes(parsed.publicKey), secretKey: decodeBytes(parsed.secretKey) };
  if (pair.publicKey.length !== 32 || pair.secretKey.length !== 32)
    throw new OutpostError('notebook_invalid', `The device key file ${file} does not hold an Ed25519 key pair. Restore it from a backup.`);
  return pair;
}
