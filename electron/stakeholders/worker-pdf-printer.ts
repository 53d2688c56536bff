import { type ErrorInfo, fromErrorInfo } from '../../shared/errors';
import type { PdfPrinter } from './pdf-printer';

/**
 * The services worker's printer in the desktop app: a worker thread has no windows, so it asks the
 * Electron main thread (which prints in a hidden window) and waits for the bytes or the error.
 */
export class WorkerPdfPrinter implements PdfPrinter {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();

  constructor(private readonly ask: (requestId: number, html: string) => void) {}

  print(html: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const requestId = this.next++;
      this.waiting.set(requestId, { resolve, reject });
      this.ask(requestId, html);
    });
  }

  /** The main thread's answer to a request. */
  settle(requestId: number, bytes: Uint8Array | null, error: ErrorInfo | null): void {
    const waiter = this.waiting.get(requestId);
    if (!waiter) return;
    this.waiting.delete(requestId);
    if (bytes) waiter.resolve(bytes);
    else waiter.reject(fromErrorInfo(error ?? { code: 'internal', message: 'Printing the brief to PDF failed' }));
  }
}
