import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../electron/notebook/database';

declare module 'vitest' {
  export interface ProvidedContext {
    templatePath: string;
  }
}

/**
 * initdb takes seconds; a dump of a migrated database loads in a fraction of that. Made once per
 * run, then every test notebook starts from it (see helpers/notebook.ts).
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-template-'));
  const db = await openDatabase(path.join(dir, 'db'));
  const dump = await db.dumpDataDir('none');
  await db.close();
  const file = path.join(dir, 'template.tar');
  fs.writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide('templatePath', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
