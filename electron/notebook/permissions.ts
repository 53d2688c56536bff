import fs from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { OutpostError } from '../../shared/errors';

/**
 * A notebook may hold CUI or worse: no other account on the machine may read or write any of it
 * (the WAL holds note text in the clear). So a notebook folder must belong to the user who opens
 * it, and everything in it is owner-only: folders 0700, files 0600.
 *
 * New files are created so by the process umask (PGlite's files included: its NodeFS creates them
 * with 0666 & ~umask). A worker thread cannot set the umask, so the process that starts one (the
 * Electron main process) sets it first; the sweep on open and close mends anything created looser.
 * Windows has no POSIX modes: a notebook there relies on the per-user profile folder's ACL.
 */
export const OWNER_ONLY_UMASK = 0o077;
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/** Makes files this process creates from now on owner-only (no-op where it cannot: Windows, a worker). */
export function restrictNewFiles(): void {
  if (process.platform === 'win32' || !isMainThread) return;
  process.umask(OWNER_ONLY_UMASK);
}

/** Refuses a notebook folder that belongs to another account (a shared or planted folder). */
export function assertOwnFolder(dir: string): void {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return;
  const stat = fs.statSync(dir);
  const me = process.getuid();
  if (stat.uid !== me) {
    throw new OutpostError(
      'notebook_invalid',
      `The notebook folder ${dir} belongs to another account (uid ${stat.uid}, you are ${me}). Outpost opens only a notebook folder you own: copy it into a folder of yours, or open it as its owner.`,
    );
  }
}

/**
 * Sets every folder under `dir` (itself included) to 0700 and every file to 0600. Symbolic links
 * are not followed: nothing outside the notebook is touched. Returns how many entries it changed.
 */
export function makeOwnerOnly(dir: string): number {
  if (process.platform === 'win32') return 0;
  let changed = 0;
  const visit = (entry: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // gone meanwhile (a WAL segment recycled)
      throw error;
    }
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? FOLDER_MODE : FILE_MODE;
    if ((stat.mode & 0o777) !== wanted) {
      try {
        fs.chmodSync(entry, wanted);
        changed++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw new OutpostError(
          'notebook_invalid',
          `Cannot make ${entry} private to you: ${(error as Error).message}. Every file of a notebook must belong to its owner.`,
        );
      }
    }
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
  };
  visit(dir);
  return changed;
}
