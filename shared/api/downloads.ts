import { z } from 'zod';

/**
 * The one-time download store (electron/sync/bundle-transfers.ts): what a command produced as a
 * file (a bundle, a "have" file, a brief, an export) waits there for the connection that asked,
 * fetched once by GET /bundles/<token> (the app) or read in pieces by `downloads.read` (the CLI,
 * whose command channel carries frames of at most 48 MB while a bundle may be 1 GB).
 */

/** A download is read in pieces of at most this many bytes. */
export const DOWNLOAD_READ_BYTES = 1024 * 1024;

/** A download token: 32 random bytes, base64url. */
export const downloadTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Expected a download token');

/** What a call put in the download store. */
export const downloadTicketSchema = z.strictObject({
  /** Read once, within `expiresAt`, by this connection. */
  token: z.string(),
  expiresAt: z.string(),
  fileName: z.string(),
  bytes: z.number().int(),
});
export type DownloadTicket = z.infer<typeof downloadTicketSchema>;
