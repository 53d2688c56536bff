import type { JSONContent } from '@tiptap/core';
import { z } from 'zod';
import type { NoteType } from '../notes/model';

/** Where notes come from. `markdown` and `obsidian` read the same folder; `obsidian` also skips the vault's own settings. */
export const IMPORT_KINDS = ['obsidian', 'markdown', 'joplin', 'enex'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** What a source's sub-folders become: tags on the notes, or engagements of their own. */
export const FOLDER_MODES = ['tags', 'engagements'] as const;
export type FolderMode = (typeof FOLDER_MODES)[number];

export const IMPORT_LIMITS = {
  /** A Markdown or Joplin note file larger than this is refused (the contract's limit for a body). */
  noteBytes: 5_000_000,
  /** At most this many files are looked at in a source folder or archive. */
  files: 100_000,
  /** An archive (JEX) may expand to at most this many bytes in all (a tar bomb stops here). */
  archiveBytes: 4 * 1024 * 1024 * 1024,
  /** An ENEX file larger than this is refused: it is read whole. */
  enexBytes: 1024 * 1024 * 1024,
  /** Folders nest at most this deep. */
  depth: 32,
} as const;

/** One problem with one source file. An `error` keeps the file out (and refuses the import); a `warning` is imported with a note of it. */
export const importIssueSchema = z.strictObject({
  path: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof importIssueSchema>;

/**
 * A note as read from its source, before links and files are resolved: what each source reader
 * (electron/import/*-source.ts) hands to the planner.
 */
export interface SourceNote {
  /** Stable within the source across imports: the relative path, or the source's own id. */
  key: string;
  /** Shown in reports: the file (and, for an ENEX, the note's place in it). */
  path: string;
  title: string;
  /** Names a wiki link may use for this note (file name without .md, path without .md, title). */
  names: string[];
  /** Folders from the source root down to the note (Joplin: notebooks). */
  folders: string[];
  tags: string[];
  type?: NoteType;
  classification?: string;
  /** ISO 8601, when the source says. */
  createdAt?: string;
  body: { kind: 'markdown'; text: string } | { kind: 'json'; json: JSONContent };
  issues: ImportIssue[];
}

/** Where a link or embed in a note points, as the source reader resolves it. */
export type LinkTarget =
  | { kind: 'note'; key: string }
  | { kind: 'file'; file: string; name: string }
  | { kind: 'missing'; reason: string }
  | { kind: 'external' };

/** How a source resolves a note's links: wiki targets (`[[name]]`) and Markdown hrefs (`](path)`). */
export interface LinkResolver {
  wiki(target: string, from: SourceNote): LinkTarget;
  href(href: string, from: SourceNote): LinkTarget;
}

/** An attachment node or image in a planned body that still names a source file, not a sha256. */
export const FILE_REF_PREFIX = 'import-file:';

export const fileReportSchema = z.strictObject({
  path: z.string(),
  title: z.string(),
  /** What the import does with it: a new note, an update, nothing (unchanged), left alone (edited here), not imported (an error). */
  action: z.enum(['create', 'update', 'unchanged', 'edited', 'skip']),
  links: z.number().int(),
  attachments: z.number().int(),
  issues: z.array(importIssueSchema),
});
export type FileReport = z.infer<typeof fileReportSchema>;

export const importReportSchema = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  source: z.string(),
  dryRun: z.boolean(),
  notes: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Notes edited in Outpost since the last import, left as they are (without overwrite). */
  edited: z.number().int(),
  skipped: z.number().int(),
  links: z.number().int(),
  unresolvedLinks: z.number().int(),
  attachments: z.number().int(),
  attachmentBytes: z.number().int(),
  errors: z.number().int(),
  warnings: z.number().int(),
  /** Engagements the import creates (new engagement, folders as engagements). */
  newEngagements: z.array(z.string()),
  files: z.array(fileReportSchema),
  /** Ids of notes written (empty for a dry run). */
  noteIds: z.array(z.string()),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const IMPORT_PHASES = ['reading', 'converting', 'writing', 'indexing', 'done'] as const;
export const importProgressSchema = z.strictObject({
  runId: z.string(),
  phase: z.enum(IMPORT_PHASES),
  done: z.number().int(),
  total: z.number().int(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;
