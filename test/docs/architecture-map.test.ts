import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's architecture map must stay true: every folder of the source tree is named (itself or
 * a file in it), and every path the map names exists. A new folder without a line in the map fails
 * here, so the map cannot silently fall behind the code.
 *
 * The map is the first fenced block under "## Architecture": a top-level folder at the start of a
 * line (`electron/`), its entries indented by two spaces and relative to it (`cli/`, `api/wire.ts`,
 * `sync/{ledger,trust-store}.ts`); deeper-indented lines continue a description.
 */
const root = path.resolve(import.meta.dirname, '../..');
const MAPPED_ROOTS = ['electron', 'renderer', 'shared', 'bench', 'docs', 'scripts', 'resources'];

function expandBraces(entry: string): string[] {
  const match = /\{([^{}]+)\}/.exec(entry);
  if (!match) return [entry];
  return match[1]?.split(',').flatMap((part) => expandBraces(entry.replace(match[0], part.trim()))) ?? [];
}

function mapEntries(readme: string): string[] {
  const section = readme.slice(readme.indexOf('\n## Architecture'));
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no fenced architecture map under "## Architecture"');
  const entries: string[] = [];
  let top = '';
  for (const line of block.split('\n')) {
    const topLevel = /^([A-Za-z0-9._-]+\/?)(?:\s|$)/.exec(line);
    if (topLevel) {
      top = topLevel[1] as string;
      entries.push(top.replace(/\/$/, ''));
      continue;
    }
    const child = /^ {2}([A-Za-z0-9._{},/-]+)(?:\s|$)/.exec(line);
    if (child && top.endsWith('/')) for (const name of expandBraces(child[1] as string)) entries.push(`${top}${name}`.replace(/\/$/, ''));
  }
  return entries;
}

function folders(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const rel = `${dir}/${entry.name}`;
    found.push(rel, ...folders(rel));
  }
  return found;
}

describe('README architecture map', () => {
  const entries = mapEntries(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));

  it('names every folder of the source tree (itself or something in it)', () => {
    const unnamed = MAPPED_ROOTS.flatMap((top) => [top, ...folders(top)]).filter(
      (folder) => !entries.some((entry) => entry === folder || entry.startsWith(`${folder}/`)),
    );
    expect(unnamed, 'folders the README architecture map does not name').toEqual([]);
  });

  it('names only paths that exist', () => {
    const missing = entries.filter((entry) => !fs.existsSync(path.join(root, entry)));
    expect(missing, 'paths in the README architecture map that do not exist').toEqual([]);
  });
});
