import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { OutpostError } from '../../shared/errors';
import { ENEX_RESOURCE_SCHEME, enmlToJSON } from '../../shared/import/enml';
import { IMPORT_LIMITS, type ImportIssue, type LinkResolver, type SourceNote } from '../../shared/import/model';
import { type LoadedSource, mimeOf } from './source';

const EXTENSION_OF: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
};

interface EnexResource {
  data?: string | { '#text'?: string };
  mime?: string;
  'resource-attributes'?: { 'file-name'?: string };
}

interface EnexNote {
  title?: string;
  content?: string;
  created?: string;
  tag?: string[];
  resource?: EnexResource[];
}

/** `20240301T101500Z` (ENEX dates) as ISO 8601. */
export function enexDate(value: unknown): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(value ?? ''));
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.000Z` : undefined;
}

/**
 * An Evernote export (.enex): XML read by fast-xml-parser after validation (a file that is not
 * well-formed XML is refused whole, as is one declaring entities); each note's ENML is converted
 * on its own, and its resources are matched to `<en-media>` by their md5, as Evernote does.
 */
export async function loadEnex(
  file: string,
  options: { levels: readonly string[]; fileMaxBytes: number; onFile?: (done: number, total: number) => void },
): Promise<LoadedSource> {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new OutpostError('invalid_request', `${file} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError('not_found', `Cannot open ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const name = path.basename(file);
  const refuse = (message: string): LoadedSource => ({
    notes: [],
    resolver: { wiki: () => ({ kind: 'missing', reason: '' }), href: () => ({ kind: 'external' }) },
    issues: [{ path: name, severity: 'error', message }],
    sizeOf: () => null,
    read: async () => {
      throw new OutpostError('not_found', 'No files');
    },
  });
  if (size > IMPORT_LIMITS.enexBytes) return refuse(`The file is larger than ${IMPORT_LIMITS.enexBytes} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
  } catch {
    return refuse('Not UTF-8 text');
  }
  // Entity declarations are how XML files blow up (billion laughs) or reach for other files.
  if (/<!ENTITY/i.test(text)) return refuse('The file declares XML entities; refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true) return refuse(`Not valid XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parsed = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    isArray: (tag) => ['note', 'tag', 'resource'].includes(tag),
  }).parse(text) as { 'en-export'?: { note?: EnexNote[] } };
  const enexNotes = parsed['en-export']?.note;
  if (!parsed['en-export']) return refuse('Not an Evernote export (no <en-export>)');
  const files = new Map<string, { data: Uint8Array; name: string; mime: string }>();
  const notes: SourceNote[] = [];
  const keys = new Map<string, number>();
  const issues: ImportIssue[] = [];
  for (const [index, entry] of (enexNotes ?? []).entries()) {
    options.onFile?.(index, enexNotes?.length ?? 0);
    const title = String(entry.title ?? '').trim() || 'Untitled';
    const created = enexDate(entry.created);
    const base = createHash('sha256')
      .update(`${title}\n${entry.created ?? ''}`)
      .digest('hex')
      .slice(0, 32);
    const seen = keys.get(base) ?? 0;
    keys.set(base, seen + 1);
    const key = seen ? `${base}-${seen + 1}` : base;
    const where = `${name} › ${title} (note ${index + 1})`;
    const note: SourceNote = {
      key,
      path: where,
      title,
      names: [title],
      folders: [],
      tags: [],
      body: { kind: 'json', json: { type: 'doc' } },
      issues: [],
    };
    if (created) note.createdAt = created;
    note.tags = (entry.tag ?? [])
      .map((t) =>
        String(t)
          .toLowerCase()
          .replace(/[,#\n\r\t]/g, ' ')
          .trim()
          .slice(0, 50),
      )
      .filter(Boolean);
    for (const resource of entry.resource ?? []) {
      const raw = typeof resource.data === 'string' ? resource.data : (resource.data?.['#text'] ?? '');
      const data = new Uint8Array(Buffer.from(String(raw).replace(/\s+/g, ''), 'base64'));
      const md5 = createHash('md5').update(data).digest('hex');
      const mime = String(resource.mime ?? 'application/octet-stream');
      let fileName =
        String(resource['resource-attributes']?.['file-name'] ?? '')
          .replace(/[\\/]/g, '_')
          .trim() || `file-${md5.slice(0, 8)}`;
      if (!/\.[A-Za-z0-9]{1,8}$/.test(fileName)) fileName += EXTENSION_OF[mime] ?? '';
      files.set(`${key}/${md5}`, { data, name: fileName, mime: mime || mimeOf(fileName) });
    }
    const body = enmlToJSON(String(entry.content ?? ''));
    if ('error' in body) note.issues.push({ path: where, severity: 'error', message: body.error });
    else {
      note.body = { kind: 'json', json: body.json };
      for (const message of body.warnings) note.issues.push({ path: where, severity: 'warning', message });
    }
    notes.push(note);
  }
  const resolver: LinkResolver = {
    wiki: () => ({ kind: 'missing', reason: 'Evernote links name no note in the file' }),
    href: (href, from) => {
      if (!href.startsWith(ENEX_RESOURCE_SCHEME)) return { kind: 'external' };
      const id = `${from.key}/${href.slice(ENEX_RESOURCE_SCHEME.length)}`;
      const found = files.get(id);
      return found ? { kind: 'file', file: id, name: found.name } : { kind: 'missing', reason: 'the note has no resource with that hash' };
    },
  };
  return {
    notes,
    resolver,
    issues,
    sizeOf: (id) => files.get(id)?.data.length ?? null,
    read: async (id) => {
      const found = files.get(id);
      if (!found) throw new OutpostError('not_found', `No resource ${id}`);
      return found;
    },
  };
}
