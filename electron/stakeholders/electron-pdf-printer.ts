import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';
import { OutpostError } from '../../shared/errors';
import type { PdfPrinter } from './pdf-printer';

/** An in-memory session of its own: nothing but the brief being printed may load in it. */
const PRINT_PARTITION = 'outpost-print';

/**
 * Prints with the desktop app's own Chromium: the brief is written to a private temporary folder
 * (a data: URL would cap its size at 2 MB) and loaded into a hidden, sandboxed window with
 * JavaScript off, in a session that refuses every request but that one file, and printed
 * with `webContents.printToPDF` (A4 from the brief's @page rule, backgrounds, no header/footer).
 * Only the Electron main process imports this file.
 */
export class ElectronPdfPrinter implements PdfPrinter {
  private configured = false;
  /** The file URLs being printed right now: the only requests the print session allows. */
  private readonly allowed = new Set<string>();

  async print(html: string): Promise<Uint8Array> {
    const printSession = session.fromPartition(PRINT_PARTITION);
    if (!this.configured) {
      printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !this.allowed.has(details.url) }));
      printSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      this.configured = true;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-brief-'));
    fs.chmodSync(dir, 0o700);
    const file = path.join(dir, 'brief.html');
    fs.writeFileSync(file, html, { mode: 0o600 });
    const url = pathToFileURL(file).href;
    this.allowed.add(url);
    const win = new BrowserWindow({
      show: false,
      width: 794,
      height: 1123,
      webPreferences: {
        session: printSession,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        javascript: false,
        webviewTag: false,
        spellcheck: false,
      },
    });
    try {
      await win.loadURL(url);
      const pdf = await win.webContents.printToPDF({
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: false,
        generateDocumentOutline: true,
      });
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } catch (error) {
      throw new OutpostError('internal', `Printing the brief to PDF failed: ${(error as Error).message}`);
    } finally {
      win.destroy();
      this.allowed.delete(url);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
