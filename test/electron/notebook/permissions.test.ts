import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Notebook } from '../../../electron/notebook/notebook';
import { notebookLayout } from '../../../electron/notebook/paths';
import { migratedTemplate, tempDir } from '../../helpers/notebook';

/** Every entry under `dir` whose mode lets another account in (group or other bits set). */
function openToOthers(dir: string): string[] {
  const loose: string[] = [];
  const visit = (entry: string) => {
    const stat = fs.lstatSync(entry);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) loose.push(`${path.relative(dir, entry) || '.'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
  };
  visit(dir);
  return loose;
}

const asRoot = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');
/** Runs a command as the `nobody` account (uid/gid 65534), as another user of the laptop would. */
const asNobody = (args: string[]) =>
  spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...args], { encoding: 'utf8', timeout: 30_000 });

async function notebookWithSecretNote(dir: string, word: string): Promise<void> {
  const notebook = await Notebook.open(dir, { kind: 'test', template: migratedTemplate() });
  const engagement = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
  await notebook.notes.create({
    engagementId: engagement.id,
    type: 'incident',
    classification: 'CUI',
    markdown: `The password is ${word}.`,
  });
  await notebook.close();
}

describe.skipIf(process.platform === 'win32')('notebook files are owner-only', () => {
  it('makes a folder the user created (0755, a 0644 file in it) and everything PGlite writes owner-only', async () => {
    const dir = path.join(tempDir(), 'acme');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'notes-from-before.txt'), 'x', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'notes-from-before.txt'), 0o644);
    await notebookWithSecretNote(dir, 'swordfish');
    expect(openToOthers(dir)).toEqual([]);
    // The database really is in there (the check above is not vacuous).
    expect(fs.readdirSync(path.join(notebookLayout(dir).database, 'pg_wal')).length).toBeGreaterThan(0);
  });

  it('keeps files created while open owner-only, even where an old umask would have made them 0644', async () => {
    const dir = tempDir();
    const before = process.umask(0o022);
    try {
      await notebookWithSecretNote(dir, 'marlin');
    } finally {
      process.umask(before);
    }
    expect(openToOthers(dir)).toEqual([]);
  });

  it.skipIf(!asRoot)('refuses a notebook folder that belongs to another account, and writes nothing in it', async () => {
    const dir = path.join(tempDir(), 'planted');
    fs.mkdirSync(dir, { mode: 0o777 });
    fs.chownSync(dir, 65534, 65534);
    await expect(Notebook.open(dir, { kind: 'test', template: migratedTemplate() })).rejects.toThrow(
      /belongs to another account \(uid 65534, you are 0\)/,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it.skipIf(!asRoot)('another account cannot read a note’s words from the notebook folder', async () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o755); // as a parent folder in a home directory might be
    const nb = path.join(dir, 'nb');
    fs.mkdirSync(nb); // made by the user (`mkdir ~/engagements/acme`): 0755
    fs.chmodSync(nb, 0o755);
    const word = 'tangerine-kestrel-4471';
    await notebookWithSecretNote(nb, word);
    // The word is on disk in the clear (the update log, the projection): only the modes protect it.
    const owner = spawnSync('grep', ['-rl', word, nb], { encoding: 'utf8' });
    expect(owner.stdout.trim()).not.toBe('');
    const other = asNobody(['grep', '-rl', word, nb]);
    expect(other.stdout).toBe('');
    expect(other.stderr).toMatch(/Permission denied/);
    expect(asNobody(['ls', path.join(nb, 'db')]).status).not.toBe(0);
    expect(asNobody(['touch', path.join(nb, 'db', 'planted')]).status).not.toBe(0);
  });
});
