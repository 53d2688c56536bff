import type { LinkResolver, LinkTarget, SourceNote } from './model';
import { baseName, dirName, normalizePath, withoutExtension } from './paths';

/** A file of the source folder that is not a note (a picture, a PDF), by its relative path. */
export interface SourceFile {
  path: string;
  size: number;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const key = (name: string) => name.normalize('NFC').toLowerCase();

/**
 * Links of a Markdown folder or Obsidian vault. A wiki link names a note by its path without .md,
 * its file name, its title or an alias (the nearest to the linking note wins when names repeat,
 * as in Obsidian; otherwise it is ambiguous and kept as text); a name with another extension is a
 * file. A Markdown link or image is relative to the linking note (or the vault root, Obsidian's
 * "absolute in vault"). Nothing above the source folder resolves.
 */
export function vaultResolver(notes: SourceNote[], files: SourceFile[]): LinkResolver {
  const byPath = new Map<string, SourceNote>();
  const byName = new Map<string, SourceNote[]>();
  for (const note of notes) {
    byPath.set(key(withoutExtension(note.key)), note);
    for (const name of new Set(note.names.map(key))) byName.set(name, [...(byName.get(name) ?? []), note]);
  }
  const fileByPath = new Map(files.map((f) => [key(f.path), f]));
  const fileByName = new Map<string, SourceFile[]>();
  for (const file of files) fileByName.set(key(baseName(file.path)), [...(fileByName.get(key(baseName(file.path))) ?? []), file]);

  const nearest = <T extends { path: string }>(candidates: T[], from: SourceNote): T | 'ambiguous' => {
    if (candidates.length === 1) return candidates[0] as T;
    const folder = dirName(from.key);
    const same = candidates.filter((c) => dirName(c.path) === folder);
    return same.length === 1 ? (same[0] as T) : 'ambiguous';
  };

  const fileTarget = (file: SourceFile): LinkTarget => ({ kind: 'file', file: file.path, name: baseName(file.path) });

  const wiki = (target: string, from: SourceNote): LinkTarget => {
    const name = target.replace(/^\/+/, '');
    const path = normalizePath(name);
    if (path === null) return { kind: 'missing', reason: 'it points outside the source folder' };
    const notePath = byPath.get(key(withoutExtension(path)));
    if (notePath) return { kind: 'note', key: notePath.key };
    const named = byName.get(key(withoutExtension(baseName(path))));
    if (named?.length) {
      const pick = nearest(
        named.map((n) => ({ ...n, path: n.key })),
        from,
      );
      if (pick === 'ambiguous') return { kind: 'missing', reason: `more than one note is named "${name}"` };
      return { kind: 'note', key: pick.key };
    }
    const file = fileByPath.get(key(path)) ?? fileByName.get(key(baseName(path)));
    if (file) {
      const pick = Array.isArray(file) ? nearest(file, from) : file;
      if (pick === 'ambiguous') return { kind: 'missing', reason: `more than one file is named "${name}"` };
      return fileTarget(pick);
    }
    return { kind: 'missing', reason: 'no note or file of that name in the source' };
  };

  const href = (raw: string, from: SourceNote): LinkTarget => {
    if (SCHEME.test(raw) || raw.startsWith('#')) return { kind: 'external' };
    let reference = raw.split('#')[0]?.split('?')[0] ?? '';
    try {
      reference = decodeURIComponent(reference);
    } catch {
      // kept as written
    }
    if (!reference) return { kind: 'external' };
    const relative = normalizePath(`${dirName(from.key)}/${reference}`);
    const rooted = normalizePath(reference);
    if (relative === null && rooted === null) return { kind: 'missing', reason: 'it points outside the source folder' };
    for (const path of [relative, rooted]) {
      if (path === null) continue;
      const note = byPath.get(key(withoutExtension(path)));
      if (note && /\.md$/i.test(path)) return { kind: 'note', key: note.key };
      const file = fileByPath.get(key(path));
      if (file) return fileTarget(file);
    }
    if (relative === null) return { kind: 'missing', reason: 'it points outside the source folder' };
    return { kind: 'missing', reason: 'no such file in the source' };
  };

  return { wiki, href };
}
