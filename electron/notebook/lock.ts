import fs from 'node:fs';
import os from 'node:os';
import { OutpostError } from '../../shared/errors';
import { notebookLayout } from './paths';

/**
 * Single-writer lock on a notebook folder. PGlite has no inter-process locking of its own, so a
 * second process (app, browser host or CLI) must be refused before it opens the database.
 *
 * The lock is a file created with O_EXCL naming its holder. A holder is stale when its process
 * is gone (same host, pid not alive) or the machine has rebooted since (Linux boot id differs).
 * Taking over a stale lock is itself guarded by a second O_EXCL file, so two processes that
 * find the same stale lock cannot both win.
 */
export interface LockHolder {
  pid: number;
  hostname: string;
  since: string;
  kind: string;
  bootId?: string;
  /** The holder serves the command channel (the app, the browser host): a CLI sends it commands instead of being refused. */
  commands?: boolean;
}

export interface NotebookLock {
  holder: LockHolder;
  /** The stale holder this lock replaced, if any. */
  tookOverFrom: LockHolder | null;
  release(): void;
}

/** A lock file younger than this with unreadable content is probably being written right now. */
const FRESH_LOCK_MS = 2_000;
/** A takeover guard older than this was left by a process that died mid-takeover. */
const STALE_TAKEOVER_MS = 10_000;

export function acquireNotebookLock(dir: string, kind: string, options: { commands?: boolean } = {}): NotebookLock {
  const { lock: lockPath, lockTakeover } = notebookLayout(dir);
  const holder: LockHolder = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString(), kind };
  if (options.commands) holder.commands = true;
  const bootId = currentBootId();
  if (bootId) holder.bootId = bootId;

  let tookOverFrom: LockHolder | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(lockPath, holder)) return makeLock(lockPath, holder, tookOverFrom);
    const existing = readHolder(lockPath);
    if (existing === 'missing') continue;
    if (existing === 'unreadable') {
      if (ageMs(lockPath) < FRESH_LOCK_MS) throw lockedError(dir, null);
    } else if (!isStale(existing)) {
      throw lockedError(dir, existing);
    }
    // Stale: take it over under the guard, re-checking that nobody replaced it meanwhile.
    if (!tryCreateGuard(lockTakeover)) throw lockedError(dir, existing === 'unreadable' ? null : existing);
    try {
      const again = readHolder(lockPath);
      const unchanged = again === existing || (typeof again === 'object' && typeof existing === 'object' && sameHolder(again, existing));
      if (again !== 'missing' && !unchanged) continue;
      if (again !== 'missing') fs.rmSync(lockPath, { force: true });
      tookOverFrom = typeof existing === 'object' ? existing : null;
      if (tryCreate(lockPath, holder)) return makeLock(lockPath, holder, tookOverFrom);
    } finally {
      fs.rmSync(lockTakeover, { force: true });
    }
  }
  const last = readHolder(lockPath);
  throw lockedError(dir, typeof last === 'object' ? last : null);
}

/** Reads who holds the lock without touching it (for `outpost doctor`). */
export function inspectNotebookLock(dir: string): { holder: LockHolder | null; stale: boolean } | null {
  const existing = readHolder(notebookLayout(dir).lock);
  if (existing === 'missing') return null;
  if (existing === 'unreadable') return { holder: null, stale: ageMs(notebookLayout(dir).lock) >= FRESH_LOCK_MS };
  return { holder: existing, stale: isStale(existing) };
}

function makeLock(lockPath: string, holder: LockHolder, tookOverFrom: LockHolder | null): NotebookLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only remove the file if it is still ours.
    const current = readHolder(lockPath);
    if (typeof current === 'object' && sameHolder(current, holder)) fs.rmSync(lockPath, { force: true });
  };
  process.on('exit', release);
  return { holder, tookOverFrom, release };
}

function tryCreate(lockPath: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeFileSync(fd, `${JSON.stringify(holder)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function tryCreateGuard(guardPath: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.closeSync(fs.openSync(guardPath, 'wx', 0o600));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (ageMs(guardPath) < STALE_TAKEOVER_MS) return false;
      fs.rmSync(guardPath, { force: true });
    }
  }
  return false;
}

function readHolder(lockPath: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.hostname !== 'string' || typeof value.since !== 'string') return 'unreadable';
    return {
      pid: value.pid,
      hostname: value.hostname,
      since: value.since,
      kind: String(value.kind ?? 'unknown'),
      ...(value.bootId ? { bootId: value.bootId } : {}),
      ...(value.commands === true ? { commands: true } : {}),
    };
  } catch {
    return 'unreadable';
  }
}

function isStale(holder: LockHolder): boolean {
  // Another machine (a notebook on a shared drive): we cannot see its processes, so never steal.
  if (holder.hostname !== os.hostname()) return false;
  const bootId = currentBootId();
  if (bootId && holder.bootId && holder.bootId !== bootId) return true;
  return !isProcessAlive(holder.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.since === b.since;
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function currentBootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function lockedError(dir: string, holder: LockHolder | null): OutpostError {
  const who = holder
    ? `${holder.kind} process ${holder.pid} on ${holder.hostname}, since ${holder.since}`
    : 'another process that is starting up';
  return new OutpostError('notebook_locked', `The notebook at ${dir} is already open by ${who}. Close it there first.`);
}
