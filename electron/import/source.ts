import type { ImportIssue, LinkResolver, SourceNote } from '../../shared/import/model';

/** A file a note references, read from the source (bytes, the name it had, its type). */
export interface SourceBytes {
  data: Uint8Array;
  name: string;
  mime: string;
}

/** What a source reader found: the notes, how their links resolve, and the files they may reference. */
export interface LoadedSource {
  notes: SourceNote[];
  resolver: LinkResolver;
  /** Problems with the source that belong to no note (a symbolic link not followed, a file skipped). */
  issues: ImportIssue[];
  /** A referenced file's size, or null when the source has no such file. */
  sizeOf(file: string): number | null;
  /** A referenced file's bytes; never anything outside the source. */
  read(file: string): Promise<SourceBytes>;
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
};

/** A file's MIME type from its extension (octet-stream when unknown: offered only as a download). */
export function mimeOf(name: string): string {
  return MIME[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}
