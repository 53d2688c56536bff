import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { decodeBytes, encodeBytes } from '../../shared/bytes';
import { OutpostError } from '../../shared/errors';
import { type BundleSecret, teamKeyId } from '../../shared/sync/bundle-format';
import { parseTeamKeyFile } from '../../shared/sync/team-key-file';
import { writeFileAtomic } from '../notebook/atomic-write';

/** A passphrase that guards a bundle crossing an air gap must resist guessing offline. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** The largest bundle file Outpost will read. */
export const MAX_BUNDLE_FILE_BYTES = 1024 * 1024 * 1024;

function readSmallFile(file: string, what: string): string {
  try {
    if (fs.statSync(file).size > 64 * 1024) throw new OutpostError('invalid_request', `${file} is too large to be a ${what}`);
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError(
      'invalid_request',
      `Cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** The passphrase is the file's first line (so an editor's trailing newline does not count). */
export function readPassphraseFile(file: string, purpose: 'export' | 'import'): BundleSecret {
  const passphrase = readSmallFile(file, 'passphrase file').split(/\r?\n/)[0] ?? '';
  if (!passphrase) throw new OutpostError('invalid_request', `The passphrase file ${file} is empty`);
  if (purpose === 'export' && [...passphrase].length < MIN_PASSPHRASE_LENGTH)
    throw new OutpostError(
      'invalid_request',
      `Use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters (several words are easiest)`,
    );
  return { kind: 'passphrase', passphrase };
}

export function readTeamKeyFile(file: string): BundleSecret {
  const text = readSmallFile(file, 'team key file');
  try {
    return { kind: 'team-key', key: decodeBytes(parseTeamKeyFile(text).key) };
  } catch (error) {
    throw new OutpostError('invalid_request', `${file}: ${(error as Error).message}`);
  }
}

/** Writes a new random team key (owner-only); refuses to replace an existing file. */
export function createTeamKeyFile(file: string): string {
  if (fs.existsSync(file)) throw new OutpostError('conflict', `${file} already exists; a team key is never overwritten`);
  const key = new Uint8Array(randomBytes(32));
  const keyId = teamKeyId(key);
  writeFileAtomic(
    file,
    `${JSON.stringify({ kind: 'outpost-team-key', version: 1, keyId, key: encodeBytes(key), createdAt: new Date().toISOString() }, null, 2)}\n`,
  );
  return keyId;
}

/** Reads a bundle file, refusing anything too large before reading it. */
export function readBundleFile(file: string): Uint8Array {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new OutpostError('invalid_request', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (size > MAX_BUNDLE_FILE_BYTES)
    throw new OutpostError(
      'bundle_too_large',
      `${file} is ${(size / 1024 ** 3).toFixed(1)} GB; Outpost reads bundles up to ${MAX_BUNDLE_FILE_BYTES / 1024 ** 3} GB. Split the export by engagement.`,
    );
  return new Uint8Array(fs.readFileSync(file));
}
