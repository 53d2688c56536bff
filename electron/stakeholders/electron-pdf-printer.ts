import { BrowserWindow, session } from 'electron';
import { OutpostError } from '../../shared/errors';
import type { PdfPrinter } from './pdf-printer';

/** An in-memory session of its own: nothing but the brief's data: URL may load in it. */
const PRINT_PARTITION = 'outpost-print';

/**
 * Prints with the desktop app's own Chromium: the brief is loaded into a hidden, sandboxed window
 * with JavaScript off, in a session that refuses every request but the brief itself, and printed
 * with `webContents.printToPDF` (A4 from the brief's @page rule, backgrounds, no header/footer).
 * Only the Electron main process imports this file.
 */
export class ElectronPdfPrinter implements PdfPrinter {
  private configured = false;

  async print(html: string): Promise<Uint8Array> {
    const printSession = session.fromPartition(PRINT_PARTITION);
    if (!this.configured) {
      printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:') }));
      printSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      this.configured = true;
    }
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
      await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
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
    }
  }
}
