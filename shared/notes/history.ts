import { diffLines } from 'diff';

/** One row of a document's update log, as history needs it. */
export interface LogRow {
  seq: number;
  receivedAt: string;
  deviceId: string;
  bundleId: string | null;
}

/** A point in a note's history: the state after a local editing session or an import. */
export interface NoteVersion {
  /** The last log row of this version: the state "as of" it. */
  upto: number;
  from: string;
  to: string;
  kind: 'session' | 'import';
  deviceId: string;
  bundleId: string | null;
  rows: number;
}

/** Local edits further apart than this start a new session. */
export const SESSION_GAP_MS = 10 * 60_000;

/**
 * Groups a note's log (in `seq` order) into versions: each import is one version; local edits by
 * one device form a session until a pause of SESSION_GAP_MS or an edit from elsewhere. Newest first.
 */
export function groupVersions(rows: LogRow[], gapMs = SESSION_GAP_MS): NoteVersion[] {
  const versions: NoteVersion[] = [];
  for (const row of rows) {
    const last = versions[versions.length - 1];
    const sameSession =
      last &&
      last.kind === 'session' &&
      row.bundleId === null &&
      row.deviceId === last.deviceId &&
      Date.parse(row.receivedAt) - Date.parse(last.to) < gapMs;
    const sameImport = last && last.kind === 'import' && row.bundleId !== null && row.bundleId === last.bundleId;
    if (last && (sameSession || sameImport)) {
      last.upto = row.seq;
      last.to = row.receivedAt;
      last.rows++;
      continue;
    }
    versions.push({
      upto: row.seq,
      from: row.receivedAt,
      to: row.receivedAt,
      kind: row.bundleId ? 'import' : 'session',
      deviceId: row.deviceId,
      bundleId: row.bundleId,
      rows: 1,
    });
  }
  return versions.reverse();
}

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A line diff of two versions' Markdown, for people to read. */
export function diffMarkdown(before: string, after: string): DiffPart[] {
  return diffLines(before, after).map((part) => ({ kind: part.added ? 'added' : part.removed ? 'removed' : 'same', text: part.value }));
}
