import { createRequire } from 'node:module';
import path from 'node:path';
import type Tesseract from 'tesseract.js';
import { OutpostError } from '../../shared/errors';

/** One image is given this long; a page of small print on this machine takes a few seconds. */
const RECOGNIZE_TIMEOUT_MS = 60_000;
/** The OCR worker (about 100 MB) is let go after this long without an image to read. */
const IDLE_MS = 60_000;

/**
 * Offline OCR with tesseract.js: its WASM build of Tesseract runs on a worker thread of its own
 * (reading an image never blocks this thread), with the English model from its npm data package
 * (`@tesseract.js-data/eng`), so nothing is downloaded, ever. One worker, created on the first
 * image and let go when idle; a worker that failed or timed out is replaced for the next image.
 */
export class OcrEngine {
  private worker: Promise<Tesseract.Worker> | null = null;
  private idle: ReturnType<typeof setTimeout> | null = null;

  async recognize(image: Uint8Array): Promise<string> {
    if (this.idle) clearTimeout(this.idle);
    const worker = await this.start();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new OutpostError('internal', `Reading the image took longer than ${RECOGNIZE_TIMEOUT_MS / 1000} s`)),
          RECOGNIZE_TIMEOUT_MS,
        );
      });
      const result = await Promise.race([worker.recognize(Buffer.from(image)), timeout]);
      return result.data.text;
    } catch (error) {
      // A worker that failed or hangs is not trusted with the next image.
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
      this.idle = setTimeout(() => void this.stop(), IDLE_MS);
      this.idle.unref?.();
    }
  }

  async stop(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) await (await worker.catch(() => null))?.terminate().catch(() => {});
  }

  private start(): Promise<Tesseract.Worker> {
    this.worker ??= (async () => {
      const { createWorker, OEM } = await import('tesseract.js');
      return createWorker('eng', OEM.LSTM_ONLY, {
        langPath: englishModelFolder(),
        gzip: true,
        // The model is read from its package each time a worker starts: nothing is cached elsewhere.
        cacheMethod: 'none',
      });
    })();
    this.worker.catch(() => {
      this.worker = null;
    });
    return this.worker;
  }
}

/** The folder of `eng.traineddata.gz` in the npm data package (the integer "best" model: fast and accurate). */
function englishModelFolder(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}
