import fs from 'node:fs';
import path from 'node:path';
import { DOWNLOAD_READ_BYTES } from '../../shared/api/downloads';
import { decodeBytes, encodeBytes } from '../../shared/bytes';
import { OutpostError } from '../../shared/errors';
import type { CliApi } from './cli-api';

/**
 * Files between the CLI and the notebook, in pieces: whatever holds the notebook never opens a
 * path the user typed. The CLI reads input files itself and uploads them; a command's output (a
 * bundle, a brief, an export) waits in the holder's one-time download store and the CLI reads it
 * in pieces of at most 1 MB (the command channel carries frames of at most 48 MB; a bundle may be
 * 1 GB) and writes the file itself.
 */

/** Bundle and "have" file uploads travel in pieces of this size (the contract's BUNDLE_CHUNK_BYTES). */
const UPLOAD_PIECE_BYTES = 1024 * 1024;

/** Each piece of a download, in order, until its last byte. */
async function readPieces(api: CliApi, token: string, onPiece: (bytes: Uint8Array, size: number) => void): Promise<void> {
  for (let offset = 0; ; ) {
    const part = await api.call('downloads.read', { token, offset, length: DOWNLOAD_READ_BYTES });
    const bytes = decodeBytes(part.data);
    onPiece(bytes, part.size);
    offset += bytes.length;
    if (offset >= part.size) return;
    if (!bytes.length) throw new OutpostError('transport', `The download ended early (${offset} of ${part.size} bytes)`);
  }
}

/** A whole download, in memory (a text export printed to standard output). */
export async function readDownload(api: CliApi, token: string): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  await readPieces(api, token, (bytes) => pieces.push(bytes));
  return Buffer.concat(pieces);
}

/**
 * A download written to `file` atomically: the pieces go to a temporary file beside it (owner-only
 * unless `mode` says otherwise), flushed to disk, then renamed over it; a failure at any point
 * leaves `file` as it was.
 */
export async function writeDownload(api: CliApi, token: string, file: string, mode = 0o600): Promise<number> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'w', mode);
  } catch (error) {
    throw new OutpostError('invalid_request', `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let written = 0;
  try {
    await readPieces(api, token, (bytes) => {
      fs.writeSync(fd, bytes);
      written += bytes.length;
    });
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
    return written;
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {}
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/** Uploads a file's bytes for a bundle import, inspection or a "have" delta; the upload's id. */
export async function uploadBytes(api: CliApi, name: string, bytes: Uint8Array): Promise<string> {
  const { uploadId } = await api.call('bundles.uploadBegin', { name, size: bytes.length });
  for (let index = 0, offset = 0; offset < bytes.length; index++, offset += UPLOAD_PIECE_BYTES)
    await api.call('bundles.uploadChunk', { uploadId, index, data: encodeBytes(bytes.subarray(offset, offset + UPLOAD_PIECE_BYTES)) });
  return uploadId;
}
