import type { JSONContent } from '@tiptap/core';
import { NOTE_LIMITS, type NoteType, tagSchema } from '../notes/model';
import { convertBody } from './body';
import type { FolderMode, ImportIssue, LinkResolver, SourceNote } from './model';

/** A note the import will write (or leave alone, once compared with what the notebook has). */
export interface PlannedNote {
  key: string;
  path: string;
  id: string;
  /** The engagement folder it goes to (folders as engagements), or null for the import's engagement. */
  engagementFolder: string | null;
  title: string;
  type: NoteType;
  classification: string | null;
  tags: string[];
  createdAt: string | null;
  json: JSONContent;
  files: string[];
  links: number;
  unresolved: number;
  issues: ImportIssue[];
}

export interface PlanOptions {
  folders: FolderMode;
  /** The id a source key already has in this notebook (a re-import), else a new one. */
  idFor: (key: string) => string;
}

/** A folder path as a tag: lower case, "/" between levels, cut to a tag's length. */
export function folderTag(folders: string[]): string | null {
  if (!folders.length) return null;
  const parsed = tagSchema.safeParse(
    folders
      .join('/')
      .replace(/[,#\n\r\t]+/g, ' ')
      .slice(0, NOTE_LIMITS.tag),
  );
  return parsed.success ? parsed.data : null;
}

/**
 * Turns what the source readers found into notes: ids first (so links in both directions, cycles
 * included, resolve to ids), then each body with its links and files. Notes with an error are
 * kept in the plan (the report lists them) but marked, and are never written.
 */
export function planNotes(sources: SourceNote[], resolver: LinkResolver, options: PlanOptions): PlannedNote[] {
  const ids = new Map<string, { id: string; title: string }>();
  for (const source of sources)
    if (!source.issues.some((i) => i.severity === 'error')) ids.set(source.key, { id: options.idFor(source.key), title: source.title });
  const titles = new Map<string, string[]>();
  for (const source of sources) titles.set(source.title.toLowerCase(), [...(titles.get(source.title.toLowerCase()) ?? []), source.path]);
  return sources.map((source) => {
    const issues = [...source.issues];
    const failed = issues.some((i) => i.severity === 'error');
    const converted = failed ? null : convertBody(source, resolver, (key) => ids.get(key));
    if (converted) issues.push(...converted.issues);
    const same = titles.get(source.title.toLowerCase()) ?? [];
    if (same.length > 1)
      issues.push({
        path: source.path,
        severity: 'warning',
        message: `${same.length} notes are titled "${source.title}"; each is imported`,
      });
    const tags = [...source.tags];
    let engagementFolder: string | null = null;
    if (options.folders === 'engagements') engagementFolder = source.folders[0] ?? null;
    const tagFolders = options.folders === 'engagements' ? source.folders.slice(1) : source.folders;
    const folder = folderTag(tagFolders);
    if (folder && !tags.includes(folder)) tags.push(folder);
    return {
      key: source.key,
      path: source.path,
      id: ids.get(source.key)?.id ?? '',
      engagementFolder,
      title: source.title.slice(0, NOTE_LIMITS.title),
      type: source.type ?? 'general',
      classification: source.classification ?? null,
      tags: tags.slice(0, NOTE_LIMITS.tags),
      createdAt: source.createdAt ?? null,
      json: converted?.json ?? { type: 'doc' },
      files: converted?.files ?? [],
      links: converted?.links ?? 0,
      unresolved: converted?.unresolved ?? 0,
      issues,
    };
  });
}
