import fs from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { OutpostError } from '../../shared/errors';
import { JOPLIN_TYPES, type JoplinItem, joplinDate, joplinResolver, parseJoplinItem } from '../../shared/import/joplin';
import { IMPORT_LIMITS, type ImportIssue, type SourceNote } from '../../shared/import/model';
import { normalizePath } from '../../shared/import/paths';
import { readInside, walkFolder } from './folder-walk';
import { type LoadedSource, mimeOf, type SourceBytes } from './source';

const ITEM = /^([0-9a-f]{32})\.md$/;
const RESOURCE = /^resources\/([0-9a-f]{32})(\.[A-Za-z0-9]{1,16})?$/;

export interface JoplinOptions {
  levels: readonly string[];
  fileMaxBytes: number;
  onFile?: (done: number, total: number) => void;
  /** How many bytes an archive may expand to (a tar bomb stops here); IMPORT_LIMITS.archiveBytes by default. */
  archiveMaxBytes?: number;
}

/**
 * A Joplin export: a .jex archive (a tar, read as a stream — never unpacked to disk, names never
 * used as paths) or the RAW export folder. Items are notes, notebooks (folders), resources (files)
 * and tags; every entry's size and the archive's total are bounded.
 */
export async function loadJoplin(source: string, options: JoplinOptions): Promise<LoadedSource> {
  const issues: ImportIssue[] = [];
  const items: JoplinItem[] = [];
  const resourceSizes = new Map<string, number>();
  let read: (file: string) => Promise<SourceBytes>;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const takeItem = (name: string, bytes: Uint8Array) => {
    let item: JoplinItem | null = null;
    try {
      item = parseJoplinItem(decoder.decode(bytes));
    } catch {
      issues.push({ path: name, severity: 'error', message: 'Not UTF-8 text' });
      return;
    }
    if (item) items.push(item);
    else issues.push({ path: name, severity: 'warning', message: 'Not a Joplin item (no id and type_); ignored' });
  };

  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch (error) {
    throw new OutpostError('not_found', `Cannot open ${source}: ${(error as NodeJS.ErrnoException).code}`);
  }
  if (stat.isDirectory()) {
    const walked = walkFolder(source);
    issues.push(...walked.issues);
    const total = walked.files.length;
    for (const [index, file] of walked.files.entries()) {
      options.onFile?.(index, total);
      const resource = RESOURCE.exec(file.path);
      if (resource) {
        resourceSizes.set(file.path, file.size);
        continue;
      }
      if (!ITEM.test(file.path)) continue;
      if (file.size > IMPORT_LIMITS.noteBytes) {
        issues.push({ path: file.path, severity: 'error', message: `Larger than a note may be (${IMPORT_LIMITS.noteBytes} bytes)` });
        continue;
      }
      takeItem(file.path, readInside(walked.root, file.path, IMPORT_LIMITS.noteBytes));
    }
    read = async (file) => ({ data: readInside(walked.root, file, options.fileMaxBytes), name: file, mime: mimeOf(file) });
  } else {
    const limit = options.archiveMaxBytes ?? IMPORT_LIMITS.archiveBytes;
    await scanArchive(
      source,
      limit,
      issues,
      (name, size) => {
        if (RESOURCE.test(name)) {
          resourceSizes.set(name, size);
          return false;
        }
        return ITEM.test(name) && size <= IMPORT_LIMITS.noteBytes ? 'keep' : false;
      },
      takeItem,
    );
    let cache: Map<string, Uint8Array> | null = null;
    read = async (file) => {
      // Resources are read in one more pass over the archive, the first time one is needed: only
      // those some note references, each within the attachment limit.
      if (!cache) {
        const wanted = referenced(items);
        const found = new Map<string, Uint8Array>();
        await scanArchive(
          source,
          limit,
          [],
          (name, size) => (RESOURCE.test(name) && wanted.has(resourceId(name)) && size <= options.fileMaxBytes ? 'keep' : false),
          (name, bytes) => found.set(name, bytes),
        );
        cache = found;
      }
      const data = cache.get(file);
      if (!data) throw new OutpostError('not_found', `${file} is not in the archive`);
      return { data, name: file, mime: mimeOf(file) };
    };
  }

  const byId = new Map(items.map((item) => [item.id, item]));
  const resources = new Map<string, { file: string; name: string }>();
  for (const [file] of resourceSizes) {
    const id = resourceId(file);
    const item = byId.get(id);
    const extension = item?.meta.file_extension ? `.${item.meta.file_extension}` : (file.match(/\.[^.]+$/)?.[0] ?? '');
    const name = item?.title || `${id}${extension}`;
    resources.set(id, { file, name: /\.[A-Za-z0-9]+$/.test(name) ? name : `${name}${extension}` });
  }
  const tagsOf = new Map<string, string[]>();
  for (const item of items) {
    if (item.type !== JOPLIN_TYPES.noteTag) continue;
    const tag = byId.get(item.meta.tag_id ?? '');
    if (tag?.type === JOPLIN_TYPES.tag && item.meta.note_id)
      tagsOf.set(item.meta.note_id, [...(tagsOf.get(item.meta.note_id) ?? []), tag.title]);
  }
  const foldersOf = (parentId: string | undefined): string[] => {
    const path: string[] = [];
    const seen = new Set<string>();
    for (let id = parentId; id && !seen.has(id) && path.length < IMPORT_LIMITS.depth; ) {
      seen.add(id);
      const folder = byId.get(id);
      if (!folder || folder.type !== JOPLIN_TYPES.folder) break;
      path.unshift(folder.title || 'Notebook');
      id = folder.meta.parent_id;
    }
    return path;
  };
  const notes: SourceNote[] = [];
  for (const item of items) {
    if (item.type !== JOPLIN_TYPES.note) continue;
    const folders = foldersOf(item.meta.parent_id);
    const path = `${[...folders, item.title || item.id].join('/')} (${item.id}.md)`;
    const note: SourceNote = {
      key: item.id,
      path,
      title: item.title || 'Untitled',
      names: [item.title],
      folders,
      tags: (tagsOf.get(item.id) ?? [])
        .map((t) =>
          t
            .toLowerCase()
            .replace(/[,#\n\r\t]/g, ' ')
            .trim()
            .slice(0, 50),
        )
        .filter(Boolean),
      body: { kind: 'markdown', text: todoPrefix(item) + item.body },
      issues: [],
    };
    const created = joplinDate(item.meta.user_created_time || item.meta.created_time);
    if (created) note.createdAt = created;
    if (item.meta.markup_language === '2')
      note.issues.push({ path, severity: 'warning', message: 'An HTML note: its HTML is kept as text, not rendered' });
    notes.push(note);
  }
  return {
    notes,
    resolver: joplinResolver(notes, resources),
    issues,
    sizeOf: (file) => resourceSizes.get(file) ?? null,
    read,
  };
}

/** A Joplin to-do keeps its state as a task line on top. */
function todoPrefix(item: JoplinItem): string {
  if (item.meta.is_todo !== '1') return '';
  return `- [${item.meta.todo_completed && item.meta.todo_completed !== '0' ? 'x' : ' '}] ${item.title}\n\n`;
}

function resourceId(file: string): string {
  return RESOURCE.exec(file)?.[1] ?? '';
}

function referenced(items: JoplinItem[]): Set<string> {
  const ids = new Set<string>();
  for (const item of items) for (const match of item.body.matchAll(/:\/([0-9a-f]{32})/g)) ids.add(match[1] as string);
  return ids;
}

/**
 * Streams a tar (gzip is detected by the parser): `pick` decides per entry whether its bytes are
 * kept; the rest is skipped unread where the format allows. Names are checked, never used as
 * paths; links and names that climb out are reported. Stops, with an error, past `limit` bytes in
 * all or IMPORT_LIMITS.files entries.
 */
async function scanArchive(
  file: string,
  limit: number,
  issues: ImportIssue[],
  pick: (name: string, size: number) => 'keep' | false,
  take: (name: string, bytes: Uint8Array) => void,
): Promise<void> {
  let total = 0;
  let entries = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: OutpostError) => {
      if (failed) return;
      failed = true;
      stream.destroy();
      reject(error);
    };
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        entries++;
        if (entries > IMPORT_LIMITS.files) {
          fail(new OutpostError('invalid_request', `The archive holds more than ${IMPORT_LIMITS.files} entries; not imported`));
          return;
        }
        const raw = entry.path;
        const name = normalizePath(raw);
        const size = entry.size ?? 0;
        total += size;
        if (total > limit) {
          fail(
            new OutpostError(
              'invalid_request',
              `The archive expands to more than ${limit} bytes; not imported (a damaged or hostile file?)`,
            ),
          );
          return;
        }
        if (name === null || raw.startsWith('/')) {
          issues.push({ path: raw.slice(0, 200), severity: 'warning', message: 'An entry outside the archive root; ignored' });
          entry.resume();
          return;
        }
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          if (entry.type !== 'Directory')
            issues.push({ path: name, severity: 'warning', message: `A ${entry.type} entry (not a file); ignored` });
          entry.resume();
          return;
        }
        if (!pick(name, size)) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        let got = 0;
        entry.on('data', (chunk: Buffer) => {
          got += chunk.length;
          if (got > size) return fail(new OutpostError('invalid_request', `${name} is longer than its header says; not imported`));
          chunks.push(chunk);
        });
        entry.on('end', () => take(name, new Uint8Array(Buffer.concat(chunks))));
      },
    });
    parser.on('error', (error: Error) =>
      fail(new OutpostError('invalid_request', `Not a readable Joplin export (.jex): ${error.message}`)),
    );
    parser.on('end', () => {
      if (!failed) resolve();
    });
    const stream = fs.createReadStream(file);
    stream.on('error', (error) => fail(new OutpostError('not_found', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`)));
    stream.pipe(parser as unknown as NodeJS.WritableStream);
  });
}
