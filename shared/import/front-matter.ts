import { parse as parseYaml } from 'yaml';
import { NOTE_TYPES, type NoteType, tagSchema } from '../notes/model';

export interface FrontMatter {
  title?: string;
  tags: string[];
  type?: NoteType;
  classification?: string;
  createdAt?: string;
  /** Other names Obsidian links may use for the note (`aliases`). */
  aliases: string[];
}

/**
 * Splits YAML front matter (a `---` block at the very top) from a Markdown file. The YAML is read
 * by the `yaml` parser; a block that is not valid YAML, or not a mapping, is an error the caller
 * reports for the file.
 */
export function splitFrontMatter(text: string): { data: Record<string, unknown>; body: string } | { error: string } {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!normalized.startsWith('---\n')) return { data: {}, body: normalized };
  const end = normalized.indexOf('\n---', 3);
  const closing = end >= 0 ? normalized.slice(end + 4).match(/^[ \t]*(\n|$)/) : null;
  if (end < 0 || !closing) return { error: 'Front matter starts with --- but never ends (no closing --- line)' };
  const yamlText = normalized.slice(4, end + 1);
  let data: unknown;
  try {
    data = parseYaml(yamlText, { maxAliasCount: 100, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    return { error: `Front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) return { error: 'Front matter is not a list of fields (key: value)' };
  return { data: data as Record<string, unknown>, body: normalized.slice(end + 4 + (closing[0]?.length ?? 0)) };
}

const asStrings = (value: unknown): string[] => {
  if (typeof value === 'string')
    return value
      .split(/[,\s]+/)
      .map((t) => t.trim())
      .filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' || typeof v === 'number' ? [String(v)] : []));
  return [];
};

/** A date front matter may hold (a YAML date, an ISO string, "2024-03-01 10:00") as ISO 8601, or undefined. */
export function frontMatterDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(typeof value === 'string' ? value.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2') : value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The fields Outpost reads from front matter: title, tags (Obsidian's `tags`/`tag`, `#` dropped,
 * nested `a/b` kept), type (when it names a note type), classification (when it names one of the
 * notebook's levels), created date (`created`, `date`), aliases. Unusable values are warnings.
 */
export function readFrontMatter(data: Record<string, unknown>, levels: readonly string[]): { fields: FrontMatter; warnings: string[] } {
  const warnings: string[] = [];
  const fields: FrontMatter = { tags: [], aliases: [] };
  if (typeof data.title === 'string' && data.title.trim()) fields.title = data.title.trim();
  else if (typeof data.title === 'number') fields.title = String(data.title);
  for (const raw of [...asStrings(data.tags), ...asStrings(data.tag)]) {
    const parsed = tagSchema.safeParse(raw.replace(/^#/, ''));
    if (parsed.success) fields.tags.push(parsed.data);
    else warnings.push(`Tag "${raw.slice(0, 60)}" left out: ${parsed.error.issues[0]?.message}`);
  }
  fields.tags = [...new Set(fields.tags)];
  if (data.type !== undefined) {
    const type = String(data.type).trim().toLowerCase();
    if ((NOTE_TYPES as readonly string[]).includes(type)) fields.type = type as NoteType;
    else warnings.push(`Type "${String(data.type).slice(0, 60)}" is not a note type (${NOTE_TYPES.join(', ')}); imported as a note`);
  }
  if (data.classification !== undefined) {
    const level = levels.find((l) => l.toLowerCase() === String(data.classification).trim().toLowerCase());
    if (level) fields.classification = level;
    else
      warnings.push(
        `Classification "${String(data.classification).slice(0, 60)}" is not one of this notebook's levels; the lowest is used`,
      );
  }
  const created = frontMatterDate(data.created ?? data.date ?? data.created_at);
  if (created) fields.createdAt = created;
  fields.aliases = [...asStringsKeepSpaces(data.aliases), ...asStringsKeepSpaces(data.alias)];
  return { fields, warnings };
}

function asStringsKeepSpaces(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' && v.trim() ? [v.trim()] : []));
  return [];
}
