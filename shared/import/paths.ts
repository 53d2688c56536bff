/**
 * Source-relative paths, always with "/" (pure: the planner runs without node:path). A path that
 * climbs above the source root is null: nothing outside the source is ever named, let alone read.
 */
export function normalizePath(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

export function dirName(path: string): string {
  const at = path.lastIndexOf('/');
  return at >= 0 ? path.slice(0, at) : '';
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function withoutExtension(name: string, extension = /\.md$/i): string {
  return name.replace(extension, '');
}
