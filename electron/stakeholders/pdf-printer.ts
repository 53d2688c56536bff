import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OutpostError } from '../../shared/errors';

/** Turns a self-contained HTML document into PDF bytes (Chromium's print to PDF). */
export interface PdfPrinter {
  print(html: string): Promise<Uint8Array>;
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
 * Prints with the system Chromium in headless mode: used by the CLI and browser mode (the desktop
 * app prints in a hidden window of its own Electron instead). The HTML is written to a private
 * temporary folder (mode 0700) with a throwaway browser profile, Chromium prints it with no
 * header or footer and no network (host resolution disabled; the brief's own CSP forbids any
 * load anyway), and the folder is removed afterwards, whatever happened.
 */
export class ChromiumPdfPrinter implements PdfPrinter {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Where the private temporary folder is made (the system's temporary folder). */
    private readonly tmpRoot: string = os.tmpdir(),
  ) {}

  async print(html: string): Promise<Uint8Array> {
    const executable = findChromium(this.env);
    const dir = fs.mkdtempSync(path.join(this.tmpRoot, 'outpost-brief-'));
    try {
      fs.chmodSync(dir, 0o700);
      const input = path.join(dir, 'brief.html');
      const output = path.join(dir, 'brief.pdf');
      fs.writeFileSync(input, html, { mode: 0o600 });
      const args = [
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
        '--no-pdf-header-footer',
        `--print-to-pdf=${output}`,
        `file://${input}`,
      ];
      await run(executable, args);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(output);
      } catch {
        throw new OutpostError('internal', `Chromium (${executable}) finished without writing a PDF`);
      }
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new OutpostError('internal', `Chromium (${executable}) wrote something that is not a PDF`);
      }
      return new Uint8Array(bytes);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function run(executable: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8_000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PRINT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new OutpostError('internal', `Chromium could not be started (${executable}): ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const why = signal === 'SIGKILL' ? `did not finish within ${PRINT_TIMEOUT_MS / 1000} s` : `exited with code ${code ?? signal}`;
        const last = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new OutpostError('internal', `Printing the brief to PDF failed: Chromium ${why}${last ? ` (${last})` : ''}`));
      }
    });
  });
}
