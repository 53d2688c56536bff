import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const cli = path.resolve(import.meta.dirname, '../../bin/outpost.js');

export interface HubProcess {
  url: string;
  port: number;
  fingerprint: string;
  /** SIGKILL, as a crash would: nothing pending is stored. */
  kill(): Promise<void>;
  /** SIGTERM: stores what is pending, then exits. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `outpost hub serve` as its own process (the built CLI), so a test can kill it for real. */
export async function spawnHub(args: string[]): Promise<HubProcess> {
  const child = spawn(process.execPath, [cli, 'hub', 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  const started = await new Promise<{ url: string; fingerprint: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The hub did not start: ${out}`)), 30_000);
    const read = (data: Buffer) => {
      out += data;
      const url = /listening on (\S+)/.exec(out)?.[1];
      const fingerprint = /Key fingerprint: (.+)/.exec(out)?.[1];
      if (url && fingerprint) {
        clearTimeout(timer);
        resolve({ url, fingerprint: fingerprint.trim() });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The hub exited (${code}): ${out}`));
    });
  });
  const ended = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return { ...started, port: Number(new URL(started.url).port), kill: () => ended('SIGKILL'), stop: () => ended('SIGTERM') };
}
