import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, inject } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';

let template: Blob | undefined;

export function migratedTemplate(): Blob {
  template ??= new Blob([fs.readFileSync(inject('templatePath'))]);
  return template;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export function tempDir(prefix = 'outpost-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh notebook in a temporary folder (real PGlite on disk), closed and removed after the test. */
export async function openTempNotebook(dir: string = tempDir()): Promise<Notebook> {
  const notebook = await Notebook.open(dir, { kind: 'test', template: migratedTemplate() });
  cleanups.push(() => notebook.close());
  return notebook;
}
