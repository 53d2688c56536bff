import type { LinkResolver, LinkTarget, SourceNote } from './model';

/** Joplin item types (its `type_` field) an import reads. */
export const JOPLIN_TYPES = { note: 1, folder: 2, resource: 4, tag: 5, noteTag: 6 } as const;

export interface JoplinItem {
  id: string;
  type: number;
  /** The first line (notes, folders, tags: the title; resources: the file name). */
  title: string;
  /** A note's Markdown body (without the title line and the metadata). */
  body: string;
  meta: Record<string, string>;
}

const META_LINE = /^([a-z_]+):(?: (.*))?$/;

/**
 * One item of a Joplin export (JEX or RAW): the title line, the body, then a block of `key: value`
 * lines (id, parent_id, type_, dates…). Null when the text is not a Joplin item.
 */
export function parseJoplinItem(text: string): JoplinItem | null {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const meta: Record<string, string> = {};
  let at = lines.length - 1;
  while (at >= 0) {
    const match = META_LINE.exec(lines[at] as string);
    if (!match) break;
    meta[match[1] as string] = match[2] ?? '';
    at--;
  }
  const id = meta.id ?? '';
  const type = Number(meta.type_);
  if (!/^[0-9a-f]{32}$/.test(id) || !Number.isInteger(type)) return null;
  const content = lines.slice(0, at + 1);
  const title = type === JOPLIN_TYPES.noteTag ? '' : (content[0] ?? '');
  const body = content.slice(2).join('\n').replace(/\n+$/, '');
  return { id, type, title, body, meta };
}

/** Joplin's dates (`2024-03-01T10:00:00.000Z`) as ISO 8601, or undefined. */
export function joplinDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Links in Joplin notes are `:/<id>` (a note or a resource); `[[…]]` is not Joplin syntax but is
 * honoured by title when unique, as Markdown folders do.
 */
export function joplinResolver(notes: SourceNote[], resources: Map<string, { file: string; name: string }>): LinkResolver {
  const byKey = new Set(notes.map((n) => n.key));
  const byTitle = new Map<string, string[]>();
  for (const note of notes) byTitle.set(note.title.toLowerCase(), [...(byTitle.get(note.title.toLowerCase()) ?? []), note.key]);
  return {
    wiki(target): LinkTarget {
      const keys = byTitle.get(target.toLowerCase()) ?? [];
      if (keys.length === 1) return { kind: 'note', key: keys[0] as string };
      return { kind: 'missing', reason: keys.length ? `more than one note is titled "${target}"` : 'no note of that title in the export' };
    },
    href(href): LinkTarget {
      const match = /^:\/([0-9a-f]{32})(?:#.*)?$/.exec(href);
      if (!match)
        return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')
          ? { kind: 'external' }
          : { kind: 'missing', reason: 'not a link Joplin exports' };
      const id = match[1] as string;
      if (byKey.has(id)) return { kind: 'note', key: id };
      const resource = resources.get(id);
      if (resource) return { kind: 'file', file: resource.file, name: resource.name };
      return { kind: 'missing', reason: 'the export has no note or file with that id' };
    },
  };
}
