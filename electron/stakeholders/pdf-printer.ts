import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { OutpostError } from '../../shared/errors';

/** Turns a self-contained HTML document into PDF bytes (Chromium's print to PDF). */
export interface PdfPrinter {
  print(html: string): Promise<Uint8Array>;
  /**
   * Optional: starts the printing engine now, while the document is still being made (a large
   * lessons export spends about a second sanitizing and scanning, and starting Chromium takes as
   * long), for one print. The job must be printed or cancelled.
   */
  start?(): PrintJob;
}

export interface PrintJob {
  print(html: string): Promise<Uint8Array>;
  /** Stops the engine without printing (nothing happens if it already printed). */
  cancel(): Promise<void>;
}

/** Where the system Chromium is looked for when `OUTPOST_CHROMIUM` is not set. */
const DEFAULT_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

const PRINT_TIMEOUT_MS = 60_000;

/** The system Chromium named by `OUTPOST_CHROMIUM`, else the first of the usual paths that exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.OUTPOST_CHROMIUM?.trim();
  if (configured) {
    if (!fs.existsSync(configured)) {
      throw new OutpostError(
        'not_found',
        `OUTPOST_CHROMIUM names ${configured}, which does not exist. Point it at a Chromium or Chrome executable.`,
      );
    }
    return configured;
  }
  const found = DEFAULT_CHROMIUM.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new OutpostError(
      'not_found',
      'PDF briefs need Chromium, and none was found (looked for /usr/bin/chromium and Chrome). Install it (apt-get install chromium) or set OUTPOST_CHROMIUM to its path; HTML and Markdown briefs work without it.',
    );
  }
  return found;
}

/**
 * The options of DevTools' `Page.printToPDF`, as the desktop app's `webContents.printToPDF` uses
 * them: A4 and margins from the document's own `@page` rule, backgrounds, no header or footer.
 * The PDF is tagged (headings, paragraphs, lists and reading order for screen readers; Chromium's
 * default, set here so a later default cannot drop it silently). No document outline: a lessons
 * export would get one bookmark per field heading (thousands), and Chromium builds it with
 * another walk over the whole document.
 */
const PRINT_OPTIONS = {
  printBackground: true,
  preferCSSPageSize: true,
  displayHeaderFooter: false,
  generateTaggedPDF: true,
  generateDocumentOutline: false,
  transferMode: 'ReturnAsStream',
} as const;

/**
 * Prints with the system Chromium in headless mode: used by the CLI and browser mode (the desktop
 * app prints in a hidden window of its own Electron instead). The HTML is written to a private
 * temporary folder (mode 0700) with a throwaway browser profile; Chromium is driven through the
 * DevTools protocol on a pipe (`--remote-debugging-pipe`: no port is opened) so that the print
 * options are explicit, scripts are off, and the PDF comes back as a stream without a second
 * file. There is no network (host resolution disabled; the document's own CSP forbids any load
 * anyway), and the folder is removed afterwards, whatever happened.
 */
export class ChromiumPdfPrinter implements PdfPrinter {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Where the private temporary folder is made (the system's temporary folder). */
    private readonly tmpRoot: string = os.tmpdir(),
  ) {}

  print(html: string): Promise<Uint8Array> {
    return this.start().print(html);
  }

  /** Starts Chromium and opens an empty tab for the document; `print` writes it, loads it and prints. */
  start(): PrintJob {
    let executable: string;
    try {
      executable = findChromium(this.env);
    } catch (error) {
      // Reported when printing, so that a refused export still says why it was refused first.
      return { print: () => Promise.reject(error), cancel: async () => {} };
    }
    const dir = fs.mkdtempSync(path.join(this.tmpRoot, 'outpost-brief-'));
    fs.chmodSync(dir, 0o700);
    const browser = new DevToolsPipe(executable, [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-quic',
      '--host-resolver-rules=MAP * ~NOTFOUND',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      '--remote-debugging-pipe',
      '--no-startup-window',
    ]);
    const tab = browser.openTab();
    // Awaited by print; a failure before then is reported there (or dropped by cancel).
    tab.catch(() => {});
    let finished: Promise<void> | null = null;
    const finish = () => {
      // Chromium is gone before its profile folder is removed.
      finished ??= browser.close().finally(() => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
      return finished;
    };
    return {
      print: async (html) => {
        if (finished) throw new OutpostError('internal', 'This print job was already used or cancelled');
        try {
          const input = path.join(dir, 'brief.html');
          fs.writeFileSync(input, html, { mode: 0o600 });
          const bytes = await browser.printToPdf(await tab, pathToFileURL(input).href);
          if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') {
            throw new OutpostError('internal', `Chromium (${executable}) returned something that is not a PDF`);
          }
          return bytes;
        } finally {
          await finish();
        }
      },
      cancel: finish,
    };
  }
}

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/**
 * One Chromium process and the DevTools protocol on its pipe (fd 3 commands in, fd 4 replies and
 * events out, each message JSON ended by a NUL byte). Every call fails with the same clear error
 * once Chromium has exited, failed to start or run past the time limit.
 */
class DevToolsPipe {
  private readonly child: ChildProcess;
  private readonly toChromium: Writable;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: Array<Pending & { method: string; sessionId: string }> = [];
  private failure: OutpostError | null = null;
  private stderr = '';
  private readonly exited: Promise<void>;
  private readonly timer: NodeJS.Timeout;

  constructor(executable: string, args: string[]) {
    // A process group of its own, so that Chromium and every process it started end together (kill).
    this.child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    this.toChromium = this.child.stdio[3] as Writable;
    const fromChromium = this.child.stdio[4] as Readable;
    // A write after Chromium died fails with EPIPE: the exit handler reports why.
    this.toChromium.on('error', () => {});
    fromChromium.on('error', () => {});
    this.child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 8_000) this.stderr += chunk.toString('utf8');
    });
    let partial: Buffer[] = [];
    fromChromium.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let end = chunk.indexOf(0, start); end >= 0; end = chunk.indexOf(0, start)) {
        partial.push(chunk.subarray(start, end));
        this.dispatch(Buffer.concat(partial).toString('utf8'));
        partial = [];
        start = end + 1;
      }
      if (start < chunk.length) partial.push(chunk.subarray(start));
    });
    this.timer = setTimeout(() => {
      this.fail(`Printing to PDF failed: Chromium did not finish within ${PRINT_TIMEOUT_MS / 1000} s`);
      this.kill();
    }, PRINT_TIMEOUT_MS);
    this.exited = new Promise<void>((resolve) => {
      this.child.on('error', (error) => {
        this.fail(`Chromium could not be started (${executable}): ${error.message}`);
        resolve();
      });
      this.child.on('exit', (code, signal) => {
        const last = this.stderr.trim().split('\n').slice(-3).join(' | ');
        this.fail(`Printing to PDF failed: Chromium exited with code ${code ?? signal}${last ? ` (${last})` : ''}`);
        resolve();
      });
    }).finally(() => clearTimeout(this.timer));
  }

  /** Opens an empty tab with scripts off; its session id. */
  async openTab(): Promise<string> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const session = sessionId as string;
    await this.send('Page.enable', {}, session);
    await this.send('Emulation.setScriptExecutionDisabled', { value: true }, session);
    return session;
  }

  /** Loads the file in the tab, waits for it, prints it and reads the PDF back. */
  async printToPdf(session: string, url: string): Promise<Uint8Array> {
    const loaded = this.event('Page.loadEventFired', session);
    const navigation = await this.send('Page.navigate', { url }, session);
    if (navigation.errorText)
      throw new OutpostError('internal', `Printing to PDF failed: Chromium could not open the document (${navigation.errorText})`);
    await loaded;
    const { stream } = await this.send('Page.printToPDF', PRINT_OPTIONS, session);
    const chunks: Buffer[] = [];
    for (;;) {
      const read = await this.send('IO.read', { handle: stream, size: 4 << 20 }, session);
      chunks.push(Buffer.from(read.data as string, read.base64Encoded ? 'base64' : 'utf8'));
      if (read.eof) break;
    }
    await this.send('IO.close', { handle: stream }, session);
    const bytes = Buffer.concat(chunks);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Ends Chromium and every process it started, and waits for it. Killed rather than asked to
   * quit: nothing of its throwaway profile is kept, and a clean shutdown took another 0.2–0.5 s
   * of a loaded machine after each print.
   */
  async close(): Promise<void> {
    this.kill();
    await this.exited;
  }

  private kill(): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  private send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.toChromium.write(`${JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params })}\0`);
    });
  }

  private event(method: string, sessionId: string): Promise<Record<string, unknown>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ method, sessionId, resolve, reject }));
  }

  private dispatch(text: string): void {
    let message: {
      id?: number;
      method?: string;
      sessionId?: string;
      params?: Record<string, unknown>;
      result?: Record<string, unknown>;
      error?: { message: string };
    };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.error)
        pending.reject(new OutpostError('internal', `Printing to PDF failed: Chromium answered "${message.error.message}"`));
      else pending.resolve(message.result ?? {});
      return;
    }
    const index = this.waiters.findIndex((w) => w.method === message.method && w.sessionId === message.sessionId);
    if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(message.params ?? {});
  }

  private fail(message: string): void {
    if (this.failure) return;
    this.failure = new OutpostError('internal', message);
    for (const pending of [...this.pending.values(), ...this.waiters]) pending.reject(this.failure);
    this.pending.clear();
    this.waiters.length = 0;
  }
}
