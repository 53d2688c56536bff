import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireNotebookLock, inspectNotebookLock } from '../../../electron/notebook/lock';
import { notebookLayout } from '../../../electron/notebook/paths';
import { OutpostError } from '../../../shared/errors';
import { tempDir } from '../../helpers/notebook';

const run = promisify(execFile);
const fixture = path.join(import.meta.dirname, 'fixtures', 'acquire-lock.ts');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function writeLock(dir: string, pid: number, extra: Record<string, unknown> = {}) {
  fs.writeFileSync(
    notebookLayout(dir).lock,
    JSON.stringify({ pid, hostname: os.hostname(), since: '2026-01-01T00:00:00.000Z', kind: 'web host', ...extra }),
  );
}

function deadPid(): number {
  // A process that has exited: its pid is free (and very unlikely to be reused within the test).
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid as number;
  return pid;
}

describe('notebook lock', () => {
  it('is exclusive within a process and released on release()', () => {
    const dir = tempDir();
    const lock = acquireNotebookLock(dir, 'test');
    expect(() => acquireNotebookLock(dir, 'test')).toThrow(/already open by test process \d+/);
    lock.release();
    const again = acquireNotebookLock(dir, 'test');
    expect(again.tookOverFrom).toBeNull();
    again.release();
    expect(fs.existsSync(notebookLayout(dir).lock)).toBe(false);
  });

  it('refuses while a live process holds it, naming the holder', () => {
    const dir = tempDir();
    const holder = spawn('sleep', ['30']);
    children.push(holder);
    writeLock(dir, holder.pid as number);
    let error: unknown;
    try {
      acquireNotebookLock(dir, 'cli');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutpostError);
    expect((error as OutpostError).code).toBe('notebook_locked');
    expect((error as OutpostError).message).toContain(`web host process ${holder.pid} on ${os.hostname()}, since 2026-01-01T00:00:00.000Z`);
    expect(inspectNotebookLock(dir)?.stale).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = tempDir();
    const pid = deadPid();
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeLock(dir, pid);
    expect(inspectNotebookLock(dir)?.stale).toBe(true);
    const lock = acquireNotebookLock(dir, 'test');
    expect(lock.tookOverFrom?.pid).toBe(pid);
    expect(JSON.parse(fs.readFileSync(notebookLayout(dir).lock, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('treats a lock from before a reboot as stale even if its pid is alive now', () => {
    const dir = tempDir();
    if (!fs.existsSync('/proc/sys/kernel/random/boot_id')) return;
    writeLock(dir, process.ppid, { bootId: 'a-previous-boot' });
    const lock = acquireNotebookLock(dir, 'test');
    expect(lock.tookOverFrom?.bootId).toBe('a-previous-boot');
    lock.release();
  });

  it('never steals a lock held on another machine', () => {
    const dir = tempDir();
    writeLock(dir, 1, { hostname: 'another-laptop' });
    expect(() => acquireNotebookLock(dir, 'test')).toThrow(/on another-laptop/);
  });

  it('refuses a fresh unreadable lock (being written) and takes over an old one', () => {
    const dir = tempDir();
    const file = notebookLayout(dir).lock;
    fs.writeFileSync(file, '');
    expect(() => acquireNotebookLock(dir, 'test')).toThrow(/starting up/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    acquireNotebookLock(dir, 'test').release();
  });

  it('lets exactly one of several processes win a stale lock', async () => {
    const dir = tempDir();
    writeLock(dir, deadPid());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => run(process.execPath, ['--import', 'tsx', fixture, dir, '1500'], { timeout: 20_000 })),
    );
    const outputs = results.map((r) => r.stdout.trim());
    expect(outputs.filter((o) => o === 'won')).toHaveLength(1);
    expect(outputs.filter((o) => o.startsWith('locked:'))).toHaveLength(4);
  });
});
