import { randomBytes } from 'node:crypto';
import { OutpostError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { MAX_BUNDLE_BYTES } from '../../shared/sync/calls';

/** How long an exported bundle waits to be downloaded. */
export const DOWNLOAD_TTL_MS = 5 * 60 * 1000;
/** An uploaded bundle nobody touched for this long is forgotten. */
export const UPLOAD_IDLE_MS = 30 * 60 * 1000;
/** Per connection: starting one more upload (or export) forgets the oldest. */
const PER_OWNER = 2;

interface Upload {
  id: string;
  owner: string;
  name: string;
  bytes: Uint8Array;
  received: number;
  nextIndex: number;
  touched: number;
}

export interface UploadedBundle {
  name: string;
  bytes: Uint8Array;
}

/**
 * Bundle files uploaded by a renderer for inspection and import, held in memory (an import reads
 * the whole bundle anyway) by the connection that sent them: chunks in order, never more than
 * announced, at most 1 GiB, forgotten when the connection closes or the import is applied.
 */
export class BundleUploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly now: () => number = Date.now) {}

  begin(owner: string, name: string, size: number): string {
    if (!Number.isInteger(size) || size < 1 || size > MAX_BUNDLE_BYTES)
      throw new OutpostError('bundle_too_large', `Outpost reads bundles up to ${MAX_BUNDLE_BYTES / 1024 ** 3} GB`);
    this.expire();
    const mine = [...this.uploads.values()].filter((u) => u.owner === owner).sort((a, b) => a.touched - b.touched);
    for (const old of mine.slice(0, Math.max(0, mine.length - PER_OWNER + 1))) this.uploads.delete(old.id);
    const id = newId();
    this.uploads.set(id, { id, owner, name, bytes: new Uint8Array(size), received: 0, nextIndex: 0, touched: this.now() });
    return id;
  }

  chunk(owner: string, uploadId: string, index: number, data: Uint8Array): void {
    const upload = this.find(owner, uploadId);
    if (index !== upload.nextIndex) {
      this.uploads.delete(uploadId);
      throw new OutpostError(
        'invalid_request',
        `Upload chunk ${index} arrived out of order (expected ${upload.nextIndex}); the upload was cancelled`,
      );
    }
    if (upload.received + data.length > upload.bytes.length) {
      this.uploads.delete(uploadId);
      throw new OutpostError('invalid_request', 'The upload is larger than announced; it was cancelled');
    }
    upload.bytes.set(data, upload.received);
    upload.received += data.length;
    upload.nextIndex++;
    upload.touched = this.now();
  }

  /** The complete upload's bytes (refused while chunks are still missing). */
  get(owner: string, uploadId: string): UploadedBundle {
    const upload = this.find(owner, uploadId);
    if (upload.received !== upload.bytes.length)
      throw new OutpostError('invalid_request', `The upload is incomplete (${upload.received} of ${upload.bytes.length} bytes)`);
    upload.touched = this.now();
    return { name: upload.name, bytes: upload.bytes };
  }

  discard(owner: string, uploadId: string): void {
    const upload = this.uploads.get(uploadId);
    if (upload?.owner === owner) this.uploads.delete(uploadId);
  }

  /** Forgets a connection's uploads (it closed), or every upload. */
  dropOwner(owner?: string): void {
    for (const upload of [...this.uploads.values()]) if (owner === undefined || upload.owner === owner) this.uploads.delete(upload.id);
  }

  get size(): number {
    return this.uploads.size;
  }

  private find(owner: string, uploadId: string): Upload {
    this.expire();
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.owner !== owner)
      throw new OutpostError('not_found', 'No such bundle upload (it was discarded or expired): choose the file again');
    return upload;
  }

  private expire(): void {
    const limit = this.now() - UPLOAD_IDLE_MS;
    for (const upload of [...this.uploads.values()]) if (upload.touched < limit) this.uploads.delete(upload.id);
  }
}

export interface BundleDownload {
  bytes: Uint8Array;
  fileName: string;
}

interface PendingDownload extends BundleDownload {
  owner: string;
  expires: number;
  timer: ReturnType<typeof setTimeout>;
}

/** A download token: 32 random bytes, base64url (43 characters). */
export const DOWNLOAD_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Exported bundles waiting for the renderer to fetch them (GET /bundles/<token>): each token is
 * unguessable, works once, and expires after a few minutes or when its connection closes.
 */
export class BundleDownloads {
  private readonly pending = new Map<string, PendingDownload>();

  constructor(
    private readonly ttlMs: number = DOWNLOAD_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  put(owner: string, download: BundleDownload): { token: string; expiresAt: string } {
    const mine = [...this.pending.entries()].filter(([, d]) => d.owner === owner).sort((a, b) => a[1].expires - b[1].expires);
    for (const [token] of mine.slice(0, Math.max(0, mine.length - PER_OWNER + 1))) this.drop(token);
    const token = randomBytes(32).toString('base64url');
    const expires = this.now() + this.ttlMs;
    const timer = setTimeout(() => this.drop(token), this.ttlMs);
    timer.unref?.();
    this.pending.set(token, { ...download, owner, expires, timer });
    return { token, expiresAt: new Date(expires).toISOString() };
  }

  /** The bundle for a token, once; null when the token is unknown, used or expired. */
  take(token: string): BundleDownload | null {
    if (!DOWNLOAD_TOKEN_PATTERN.test(token)) return null;
    const download = this.pending.get(token);
    if (!download) return null;
    this.drop(token);
    if (download.expires < this.now()) return null;
    return { bytes: download.bytes, fileName: download.fileName };
  }

  /**
   * A piece of a download, for the connection it was made for (the CLI reads a bundle or a PDF in
   * pieces and writes the file itself). Each read gives the download another `ttlMs`; reading the
   * last piece uses it up, as `take` does.
   */
  read(owner: string, token: string, offset: number, length: number): { data: Uint8Array; size: number } {
    const download = this.pending.get(token);
    if (!download || download.owner !== owner || download.expires < this.now()) {
      if (download && download.expires < this.now()) this.drop(token);
      throw new OutpostError('not_found', 'This download is gone (already read, expired, or made for another connection); export again');
    }
    const size = download.bytes.length;
    const data = download.bytes.subarray(Math.min(offset, size), Math.min(offset + length, size));
    if (offset + data.length >= size) this.drop(token);
    else {
      clearTimeout(download.timer);
      download.expires = this.now() + this.ttlMs;
      download.timer = setTimeout(() => this.drop(token), this.ttlMs);
      download.timer.unref?.();
    }
    return { data, size };
  }

  /** Forgets a connection's downloads (it closed), or every download. */
  dropOwner(owner?: string): void {
    for (const [token, download] of [...this.pending.entries()]) if (owner === undefined || download.owner === owner) this.drop(token);
  }

  get size(): number {
    return this.pending.size;
  }

  private drop(token: string): void {
    const download = this.pending.get(token);
    if (!download) return;
    clearTimeout(download.timer);
    this.pending.delete(token);
  }
}

/** Both halves, per API server. */
export class BundleTransfers {
  readonly uploads = new BundleUploads();
  readonly downloads = new BundleDownloads();

  dropOwner(owner?: string): void {
    this.uploads.dropOwner(owner);
    this.downloads.dropOwner(owner);
  }
}

/**
 * The file name a bundle is offered under: the engagements' codenames and the local date, e.g.
 * `HERON-2026-11-29.outpost` (codenames use only letters, digits, spaces, ".", "_" and "-").
 */
export function bundleFileName(codenames: string[], date: Date = new Date()): string {
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  const clean = codenames.map((c) => c.replace(/[^\p{L}\p{N} ._-]+/gu, '_').trim() || 'engagement');
  const names = clean.length <= 3 ? clean.join('+') : `${clean[0]}+${clean.length - 1} more`;
  return `${names.slice(0, 180)}-${day}.outpost`;
}
