import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect, inject, vi } from 'vitest';
import { launchChromium } from '../helpers/chromium';

/**
 * Shared machinery of the end-to-end tests: real `node dist/web.js` hosts on temporary notebook
 * folders, the real CLI, and Debian's Chromium through playwright-core. Every process and browser
 * started here is tracked, so `closePages` (afterEach) and `cleanup` (afterAll) leave nothing
 * behind, whether the test passed or failed; an exit hook kills the hosts if the worker dies.
 */

const root = path.resolve(import.meta.dirname, '../..');
const webEntry = path.join(root, 'dist/web.js');
const cliEntry = path.join(root, 'bin/outpost.js');

/** How long a host may take to print its URL before the test fails (PGlite boots in ~3 s). */
const HOST_START_MS = 20_000;
/** How long a host may take to exit after SIGTERM. */
const HOST_STOP_MS = 15_000;

export interface Host {
  /** The address the host printed: its origin and this run's login token (see electron/host/host-auth.ts). */
  url: string;
  /** http://127.0.0.1:PORT/ — the page's origin. */
  origin: string;
  port: number;
  pid: number;
  dir: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM and wait for the exit; returns the exit code. Throws if it does not exit in time. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash or a power cut would: the lock and the port are left behind as they are. */
  kill(): Promise<void>;
}

const hosts = new Set<ChildProcess>();
const dirs: string[] = [];
const contexts = new Set<BrowserContext>();
let browser: Browser | null = null;

// expect.poll gives up after 1 s by default; a 2-core machine running PGlite hosts and Chromium
// side by side is slower than that at times. Failing polls still fail, after 10 s.
vi.setConfig({ expect: { poll: { timeout: 10_000, interval: 50 } } });

// If the worker itself goes away, do not leave hosts holding notebooks and ports.
process.once('exit', () => {
  for (const child of hosts) child.kill('SIGKILL');
});

/**
 * A new notebook folder: a copy of one notebook made from the migrated template once per run (a
 * PGlite boot costs ~3 s of CPU; a copy costs nothing). Each copy gets its own device identity on
 * first open; they share the notebook id, so within a run they also share the preferred port.
 */
export async function newNotebookDir(): Promise<string> {
  const dir = newTempDir();
  fs.cpSync(await templateNotebook(), dir, { recursive: true });
  return dir;
}

/** The run's template notebook, next to the template dump (the global teardown removes both). */
async function templateNotebook(): Promise<string> {
  const templateDump = inject('templatePath');
  const made = path.join(path.dirname(templateDump), 'e2e-notebook');
  if (fs.existsSync(made)) return made;
  const staging = fs.mkdtempSync(`${made}-staging-`);
  const { Notebook } = await import('../../electron/notebook/notebook');
  const notebook = await Notebook.open(staging, { kind: 'e2e setup', template: new Blob([fs.readFileSync(templateDump)]) });
  await notebook.close();
  fs.rmSync(path.join(staging, 'device.json'));
  try {
    fs.renameSync(staging, made);
  } catch {
    // Made by another worker meanwhile.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return made;
}

function newTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-'));
  dirs.push(dir);
  return dir;
}

/**
 * Starts `node dist/web.js --notebook DIR --port PORT` and resolves once it prints its URL (the API
 * is ready then). Rejects, with the host's output, if it exits first or is not ready in time.
 */
export function startHost(dir: string, port = 0): Promise<Host> {
  if (!fs.existsSync(webEntry)) return Promise.reject(new Error('dist/web.js is missing: run `node scripts/build.mjs` first'));
  const child = spawn(process.execPath, [webEntry, '--notebook', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  hosts.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (data: string) => {
    stderr += data;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      hosts.delete(child);
      resolve(code);
    });
  });
  const describe = () => `notebook ${dir}, port ${port}\n--- host stdout ---\n${stdout}\n--- host stderr ---\n${stderr}`;

  return new Promise<Host>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${message} (${describe()})`));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`The host did not print its URL within ${HOST_START_MS / 1000} s`);
    }, HOST_START_MS);
    child.once('error', (error) => fail(`The host could not be spawned: ${error.message}`));
    void exited.then((code) => fail(`The host exited with code ${code} before it was ready`));

    child.stdout.on('data', (data: string) => {
      stdout += data;
      const match = /Outpost \(browser mode\) is running at ((http:\/\/127\.0\.0\.1:(\d+)\/)\S*)/.exec(stdout);
      if (!match || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        url: match[1] as string,
        origin: match[2] as string,
        port: Number(match[3]),
        pid: child.pid as number,
        dir,
        stdout: () => stdout,
        stderr: () => stderr,
        exited,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
          child.kill('SIGTERM');
          let timeout: NodeJS.Timeout | undefined;
          const code = await Promise.race([
            exited,
            new Promise<'timeout'>((done) => {
              timeout = setTimeout(() => done('timeout'), HOST_STOP_MS);
            }),
          ]);
          clearTimeout(timeout);
          if (code === 'timeout') {
            child.kill('SIGKILL');
            await exited;
            throw new Error(`The host did not exit within ${HOST_STOP_MS / 1000} s of SIGTERM (${describe()})`);
          }
          return code;
        },
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}

/**
 * The address to open another browser profile on the view `page` shows: the host's printed
 * address (a new profile must sign in with its token) with that page's route.
 */
export function sameViewOn(host: Host, page: Page): string {
  return `${host.url}${new URL(page.url()).hash}`;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node ARGS` to completion (a second host, the CLI) and returns its exit code and output. */
export function runNode(args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (!error) resolve({ code: 0, stdout, stderr });
      else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr });
      else resolve({ code: null, stdout, stderr: `${stderr}\n[${error.killed ? `killed after ${timeoutMs} ms` : error.message}]` });
    });
  });
}

/** The `outpost` CLI on a notebook folder. */
export function cli(dir: string, ...args: string[]): Promise<RunResult> {
  return runNode([cliEntry, '--notebook', dir, ...args]);
}

/** `outpost … --json`, parsed; throws with the CLI's stderr when it fails. */
export async function cliJson<T>(dir: string, ...args: string[]): Promise<T> {
  const result = await cli(dir, ...args, '--json');
  if (result.code !== 0) throw new Error(`outpost ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function hostArgs(dir: string, port?: number): string[] {
  return [webEntry, '--notebook', dir, ...(port === undefined ? [] : ['--port', String(port)])];
}

/** A page in a new browser context (its own IndexedDB and localStorage), on this file's one browser. */
export async function newPage(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  browser ??= await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: options.colorScheme ?? 'light' });
  contexts.add(context);
  context.once('close', () => contexts.delete(context));
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return page;
}

/** Closes the pages and kills the hosts a test left behind: call from afterEach. */
export async function closePages(): Promise<void> {
  for (const child of hosts) child.kill('SIGKILL');
  await Promise.all([...contexts].map((context) => context.close().catch(() => {})));
  contexts.clear();
}

/** Kills every host and the browser, removes temp notebooks: call from afterAll. */
export async function cleanup(): Promise<void> {
  const exits = [...hosts].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of hosts) child.kill('SIGKILL');
  hosts.clear();
  await Promise.all(exits);
  await browser?.close().catch(() => {});
  browser = null;
  contexts.clear();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface EngagementFields {
  client: string;
  codename: string;
  site?: string;
  status?: string;
}

/** Creates an engagement through the New engagement dialog, and waits until it is shown. */
export async function createEngagementInUi(page: Page, fields: EngagementFields) {
  await page.getByRole('button', { name: 'New engagement' }).click();
  const dialog = page.getByRole('dialog', { name: 'New engagement' });
  await dialog.getByRole('textbox', { name: 'Client' }).fill(fields.client);
  await dialog.getByRole('textbox', { name: 'Codename' }).fill(fields.codename);
  if (fields.site) await dialog.getByRole('textbox', { name: 'Site' }).fill(fields.site);
  if (fields.status) await dialog.getByRole('combobox', { name: 'Status' }).selectOption({ label: fields.status });
  await dialog.getByRole('button', { name: 'Create engagement' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('article').getByRole('heading', { name: fields.codename, level: 2 }).waitFor();
}

/** The sidebar's list of engagements. */
export function engagementList(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Engagements' }).getByRole('list');
}

/** The top bar's connection status ("Notebook connected", …). */
export function connectionStatus(page: Page): Locator {
  return page.getByRole('banner').getByRole('status');
}

/**
 * The open engagement's (or note's) save state ("Saved to the notebook", "Saving…", "Host
 * unreachable — …"), by what it says: a note also has the "Also editing" live region.
 */
export function syncStatus(page: Page): Locator {
  return page
    .getByRole('article')
    .getByRole('status')
    .filter({ hasText: /notebook|Saving|unreachable/ });
}

/** The engagement details form of the open engagement. */
export function detailsForm(page: Page): Locator {
  return page.getByRole('form', { name: 'Engagement details' });
}

/** What the open engagement's details form shows, field by field (status as its value, e.g. "active"). */
export async function readDetails(page: Page) {
  const form = detailsForm(page);
  return {
    client: await form.getByRole('textbox', { name: 'Client' }).inputValue(),
    codename: await form.getByRole('textbox', { name: 'Codename' }).inputValue(),
    site: await form.getByRole('textbox', { name: 'Site' }).inputValue(),
    status: await form.getByRole('combobox', { name: 'Status' }).inputValue(),
    summary: await form.getByRole('textbox', { name: 'Summary' }).inputValue(),
  };
}

/** A new plain note in the open engagement, typed like a person would, saved to the notebook. */
export async function writeNote(page: Page, title: string, text: string): Promise<void> {
  await page.getByRole('link', { name: 'Notes' }).click();
  await page.getByLabel('New note type').selectOption({ label: 'Note' });
  await page.getByRole('button', { name: 'New note' }).click();
  await page.getByLabel('Title', { exact: true }).fill(title);
  const body = page.getByRole('textbox', { name: 'Note body' });
  await body.click();
  await page.keyboard.type(text);
  await expect.poll(() => body.textContent()).toContain(text);
  await page.getByText('Saved to the notebook').waitFor();
}

export async function openSync(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('link', { name: 'Sync', exact: true }).click();
  await page.getByRole('heading', { name: 'Sync', level: 2 }).waitFor();
}

/** The notes list of an engagement, by codename, as its titles. */
export async function noteTitles(page: Page, codename: string): Promise<string[]> {
  await engagementList(page)
    .getByRole('link', { name: new RegExp(`^${codename}`) })
    .click();
  await page.getByRole('link', { name: 'Notes' }).click();
  const list = page.getByRole('list', { name: 'Notes of this engagement' }).getByRole('listitem');
  await list.first().waitFor();
  // Each entry's first line is the title; the rest (type, marking, words, time) follows it.
  return Promise.all((await list.all()).map(async (item) => (await item.locator('.note-title').textContent()) ?? ''));
}
