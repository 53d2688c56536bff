import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';

const root = path.resolve(import.meta.dirname, '../..');
const webEntry = path.join(root, 'dist/web.js');
const cliEntry = path.join(root, 'bin/outpost.js');

export interface Host {
  url: string;
  port: number;
  pid: number;
  stderr(): string;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

const hosts = new Set<ChildProcess>();
const dirs: string[] = [];
let browser: Browser | null = null;

/** A notebook folder initialised from the migrated template (saves initdb's seconds per test). */
export async function newNotebookDir(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-'));
  dirs.push(dir);
  const notebook = await Notebook.open(dir, { kind: 'e2e setup', template: new Blob([fs.readFileSync(inject('templatePath'))]) });
  await notebook.close();
  return dir;
}

/** Starts `node dist/web.js` and resolves once it prints its URL (the API is ready then). */
export function startHost(dir: string, port = 0): Promise<Host> {
  if (!fs.existsSync(webEntry)) throw new Error('dist/web.js is missing: run npm run build first');
  const child = spawn(process.execPath, [webEntry, '--notebook', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  hosts.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      hosts.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The host did not start within 30 s. stderr: ${stderr}`));
    }, 30_000);
    child.stdout.on('data', (data) => {
      stdout += data;
      const match = /running at (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1] as string,
        port: Number(match[2]),
        pid: child.pid as number,
        stderr: () => stderr,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The host exited with code ${code} before it was ready. stderr: ${stderr}`));
    });
  });
}

/** Runs a whole process to completion (e.g. a second host, the CLI) and returns what it printed. */
export function runNode(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, args, { timeout: timeoutMs }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? null,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
}

export function cli(dir: string, ...args: string[]) {
  return runNode([cliEntry, '--notebook', dir, ...args]);
}

export function hostArgs(dir: string): string[] {
  return [webEntry, '--notebook', dir];
}

export async function newPage(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  browser ??= await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return page;
}

/** Kills every host and the browser, removes temp notebooks: call from afterAll. */
export async function cleanup(): Promise<void> {
  for (const child of hosts) child.kill('SIGKILL');
  hosts.clear();
  await browser?.close().catch(() => {});
  browser = null;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Creates an engagement through the UI's dialog. */
export async function createEngagementInUi(page: Page, fields: { client: string; codename: string; site?: string; status?: string }) {
  await page.getByRole('button', { name: 'New engagement' }).click();
  const dialog = page.getByRole('dialog', { name: 'New engagement' });
  await dialog.getByLabel('Client').fill(fields.client);
  await dialog.getByLabel('Codename').fill(fields.codename);
  if (fields.site) await dialog.getByLabel('Site').fill(fields.site);
  if (fields.status) await dialog.getByLabel('Status').selectOption({ label: fields.status });
  await dialog.getByRole('button', { name: 'Create engagement' }).click();
  await page.getByRole('heading', { name: fields.codename, level: 2 }).waitFor();
}
