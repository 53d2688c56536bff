import { readFrontMatter, splitFrontMatter } from '../../shared/import/front-matter';
import { IMPORT_LIMITS, type ImportIssue, type SourceNote } from '../../shared/import/model';
import { baseName, dirName, withoutExtension } from '../../shared/import/paths';
import { vaultResolver } from '../../shared/import/vault';
import { readInside, walkFolder } from './folder-walk';
import { type LoadedSource, mimeOf } from './source';

const MARKDOWN = /\.(md|markdown)$/i;

/**
 * A Markdown folder or an Obsidian vault: every .md file is a note (front matter read by `yaml`),
 * every other file may be referenced by one. `fileMaxBytes` is the notebook's attachment limit.
 */
export function loadMarkdownFolder(
  root: string,
  options: { levels: readonly string[]; fileMaxBytes: number; onFile?: (done: number, total: number) => void },
): LoadedSource {
  const walked = walkFolder(root);
  const markdown = walked.files.filter((f) => MARKDOWN.test(f.path));
  const others = walked.files.filter((f) => !MARKDOWN.test(f.path));
  const notes: SourceNote[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const [index, file] of markdown.entries()) {
    options.onFile?.(index, markdown.length);
    const name = withoutExtension(baseName(file.path), MARKDOWN);
    const folders = dirName(file.path) ? dirName(file.path).split('/') : [];
    const note: SourceNote = {
      key: file.path,
      path: file.path,
      title: name,
      names: [name, withoutExtension(file.path, MARKDOWN)],
      folders,
      tags: [],
      body: { kind: 'markdown', text: '' },
      issues: [],
    };
    notes.push(note);
    const error = (message: string) => note.issues.push({ path: file.path, severity: 'error', message });
    if (file.size > IMPORT_LIMITS.noteBytes) {
      error(`The file is ${file.size} bytes; a note is at most ${IMPORT_LIMITS.noteBytes}`);
      continue;
    }
    let text: string;
    try {
      const bytes = readInside(walked.root, file.path, IMPORT_LIMITS.noteBytes);
      if (bytes.includes(0)) throw new Error('it holds binary data (NUL bytes), not text');
      text = decoder.decode(bytes);
    } catch (e) {
      error(
        `Cannot read it: ${(e as Error).message.includes('not UTF-8') || e instanceof TypeError ? 'it is not UTF-8 text' : (e as Error).message}`,
      );
      continue;
    }
    const split = splitFrontMatter(text);
    if ('error' in split) {
      error(split.error);
      continue;
    }
    const { fields, warnings } = readFrontMatter(split.data, options.levels);
    for (const message of warnings) note.issues.push({ path: file.path, severity: 'warning', message });
    if (fields.title) note.title = fields.title;
    note.names.push(...(fields.title ? [fields.title] : []), ...fields.aliases);
    note.tags = fields.tags;
    if (fields.type) note.type = fields.type;
    if (fields.classification) note.classification = fields.classification;
    if (fields.createdAt) note.createdAt = fields.createdAt;
    note.body = { kind: 'markdown', text: split.body };
  }
  const sizes = new Map(others.map((f) => [f.path, f.size]));
  const issues: ImportIssue[] = walked.issues;
  return {
    notes,
    resolver: vaultResolver(notes, others),
    issues,
    sizeOf: (file) => sizes.get(file) ?? null,
    read: async (file) => ({ data: readInside(walked.root, file, options.fileMaxBytes), name: baseName(file), mime: mimeOf(file) }),
  };
}
