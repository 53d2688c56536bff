import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const webEntry = path.resolve(import.meta.dirname, '..', 'dist/web.js');

export interface BenchHost {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Process start → the host printed its URL (the API is ready). */
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts the browser-mode host on `dir` and times it until it is ready. */
export function startHost(dir: string, timeoutMs = 60_000): Promise<BenchHost> {
  const started = performance.now();
  const child = spawn(process.execPath, [webEntry, '--notebook', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host did not start: ${stderr}`));
    }, timeoutMs);
    child.stdout?.on('data', (data) => {
      out += data;
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        pid: child.pid as number,
        url: match[1] as string,
        readyMs: performance.now() - started,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited (${code}): ${stderr}`));
    });
  });
}

/** Resident and peak memory of a process, from /proc (Linux). */
export function memoryOf(pid: number): { rss_mb: number; peak_rss_mb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss_mb: Math.round(kb('VmRSS') / 1024), peak_rss_mb: Math.round(kb('VmHWM') / 1024) };
}
