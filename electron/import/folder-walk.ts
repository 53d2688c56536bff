import fs from 'node:fs';
import path from 'node:path';
import { OutpostError } from '../../shared/errors';
import { IMPORT_LIMITS, type ImportIssue } from '../../shared/import/model';

export interface WalkedFile {
  /** Relative to the root, with "/". */
  path: string;
  size: number;
}

/**
 * Lists a source folder without leaving it: symbolic links are reported and never followed (a
 * link may point anywhere on the machine), hidden folders (.obsidian, .git, .trash) are skipped,
 * and nesting and file counts are bounded.
 */
export function walkFolder(root: string): { root: string; files: WalkedFile[]; issues: ImportIssue[] } {
  let real: string;
  try {
    real = fs.realpathSync(root);
    if (!fs.statSync(real).isDirectory()) throw new OutpostError('invalid_request', `${root} is not a folder`);
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError(
      'not_found',
      `Cannot open the folder ${root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const files: WalkedFile[] = [];
  const issues: ImportIssue[] = [];
  const visit = (dir: string, rel: string, depth: number) => {
    if (depth > IMPORT_LIMITS.depth) {
      issues.push({ path: rel, severity: 'warning', message: `Folders nest deeper than ${IMPORT_LIMITS.depth} levels; not read` });
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      issues.push({ path: rel || '.', severity: 'warning', message: `Cannot read the folder: ${(error as NodeJS.ErrnoException).code}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        issues.push({ path: childRel, severity: 'warning', message: 'A symbolic link: not followed (it may lead outside the source)' });
        continue;
      }
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) visit(path.join(dir, entry.name), childRel, depth + 1);
        continue;
      }
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      if (files.length >= IMPORT_LIMITS.files)
        throw new OutpostError('invalid_request', `The source holds more than ${IMPORT_LIMITS.files} files; import it in parts`);
      files.push({ path: childRel, size: fs.lstatSync(path.join(dir, entry.name)).size });
    }
  };
  visit(real, '', 0);
  return { root: real, files, issues };
}

/**
 * Reads a file of the walked source: the path must stay inside the root once resolved, and the
 * file must still be a regular file (not replaced by a link since the walk) of at most `maxBytes`.
 */
export function readInside(root: string, rel: string, maxBytes: number): Uint8Array {
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(root + path.sep)) throw new OutpostError('invalid_request', `${rel} is outside the source folder`);
  const fd = fs.openSync(full, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new OutpostError('invalid_request', `${rel} is not a file`);
    if (stat.size > maxBytes) throw new OutpostError('invalid_request', `${rel} is larger than the limit`);
    const data = new Uint8Array(stat.size);
    let at = 0;
    while (at < data.length) {
      const read = fs.readSync(fd, data, at, data.length - at, at);
      if (!read) break;
      at += read;
    }
    return data.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}
