import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli/outpost.js');
/** What only the direct path (the CLI opening the notebook itself) may load: the database, map layout, the editor schema. */
const HEAVY = /^(@electric-sql\/pglite|elkjs|@tiptap\/)/;

/** The module specifiers a built file imports statically (`import … from "x"`, `import "x"`), not `import("x")`. */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s[^;]*?from\s*"([^"]+)";|^import\s*"([^"]+)";/gms)].map((m) => (m[1] ?? m[2]) as string);
}

function dynamicImports(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1] as string);
}

/** Every package a file loads before it runs, following its static imports through the chunks. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

describe('the built CLI', () => {
  it('starts without PGlite, elkjs or tiptap: only the direct path (a chunk loaded on demand) has them', () => {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli/outpost.js is missing: run npm run build first');
    const atStart = [...packagesLoadedBy(CLI)];
    expect(atStart.filter((p) => HEAVY.test(p))).toEqual([]);
    expect(atStart).not.toContain('yjs');

    // The check sees what it should: the direct path's chunk does load them.
    const direct = dynamicImports(CLI).find((specifier) => /\/direct-api-[^/]+\.js$/.test(specifier));
    expect(direct).toBeDefined();
    const directPackages = [...packagesLoadedBy(path.resolve(path.dirname(CLI), direct as string))];
    expect(directPackages).toContain('@electric-sql/pglite');
    expect(directPackages.some((p) => p.startsWith('@tiptap/'))).toBe(true);
  });
});
