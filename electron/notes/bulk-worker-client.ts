import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BuiltDoc } from '../docs/doc-store';
import type { BulkRequest, BulkResponse, NoteSpec, VectorSource } from './bulk-protocol';
import type { NoteVectors } from './note-vectors';

/** Fewer notes than this are not worth the hop to the worker: the notebook's database computes them. */
const MIN_BATCH = 20;
/** The worker (an in-memory database and the notes' editor schema, about 150 MB) is let go after this long without work. */
const IDLE_MS = 30_000;
/** A batch not answered in this long is given up (and the worker with it). */
const BATCH_TIMEOUT_MS = 120_000;
/** After the worker failed to start or died, the notebook computes vectors itself this long before trying again. */
const RETRY_AFTER_MS = 60_000;

type Answer = Exclude<BulkResponse, { ready: true }>;
/** A request before the client numbers it (`Omit` kept per member of the union). */
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;
type Request = WithoutId<BulkRequest>;

interface Running {
  worker: Worker;
  ready: boolean;
  pending: Map<number, { resolve: (answer: Answer | null) => void; timer: ReturnType<typeof setTimeout> }>;
}

/**
 * A worker thread for bulk writes (imports, corpora, rebuilds, catch-ups), so that they use a
 * second core: it computes notes' search vectors (Postgres's text parser, on a database of its
 * own) while this thread reads and converts the next documents, and builds new notes from their
 * Markdown. Never fails: a request answers null when the worker cannot help (too small a batch,
 * not started yet, gone, or the request failed there), and the caller does the work itself, with
 * the same result: the same code, and for vectors the same expressions in the notebook's database.
 */
export class BulkWorker {
  private running: Running | null = null;
  private nextId = 1;
  private idle: ReturnType<typeof setTimeout> | null = null;
  private failedAt = 0;
  private readyWaiters: Array<(ready: boolean) => void> = [];

  constructor(private readonly file: WorkerFile | null = workerFile()) {}

  /** The notes' vectors in text form, in order; null to compute them in the notebook instead. */
  async vectors(notes: VectorSource[]): Promise<NoteVectors[] | null> {
    if (notes.length < MIN_BATCH) return null;
    // Only the text crosses to the worker (rows carry more).
    const answer = await this.request({ kind: 'vectors', notes: notes.map(({ title, tags, body }) => ({ title, tags, body })) });
    return answer && 'vectors' in answer && answer.vectors.length === notes.length ? answer.vectors : null;
  }

  /**
   * New notes built on the worker: each one's first update and its rows for the projections of
   * `tables` (the notes table's with their vectors), in order; null to build them here instead.
   */
  async buildNotes(notes: NoteSpec[], tables: string[], updatedAt: string): Promise<BuiltDoc[] | null> {
    if (notes.length < MIN_BATCH) return null;
    const answer = await this.request({ kind: 'build', notes, tables, updatedAt });
    if (!answer || !('built' in answer) || answer.built.length !== notes.length) return null;
    return answer.built.every((note, i) => note.docId === notes[i]?.docId && note.rows.length === tables.length) ? answer.built : null;
  }

  /** Whether the worker is up now (a request would be answered there, not declined). */
  get ready(): boolean {
    return !!this.running?.ready;
  }

  private request(request: Request): Promise<Answer | null> {
    const running = this.start();
    if (!running?.ready) return Promise.resolve(null);
    return this.send(running, request);
  }

  /** Starts the worker if needed and resolves once it answers (false if it cannot run here). */
  whenReady(): Promise<boolean> {
    const running = this.start();
    if (!running) return Promise.resolve(false);
    if (running.ready) return Promise.resolve(true);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Ends the worker (pending batches answer null). */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.end(running);
    await running.worker.terminate().catch(() => 0);
  }

  private start(): Running | null {
    if (this.running) return this.running;
    if (!this.file || Date.now() - this.failedAt < RETRY_AFTER_MS) return null;
    let worker: Worker;
    try {
      worker = 'url' in this.file ? new Worker(this.file.url) : new Worker(this.file.code, { eval: true });
    } catch {
      this.failedAt = Date.now();
      return null;
    }
    const running: Running = { worker, ready: false, pending: new Map() };
    this.running = running;
    worker.unref();
    worker.on('message', (message: BulkResponse) => {
      if ('ready' in message) {
        running.ready = true;
        this.settleReady(true);
        this.armIdle(running);
        return;
      }
      const waiting = running.pending.get(message.id);
      if (!waiting) return;
      running.pending.delete(message.id);
      clearTimeout(waiting.timer);
      waiting.resolve('error' in message ? null : message);
      this.armIdle(running);
    });
    worker.on('error', () => this.fail(running));
    worker.on('exit', () => this.fail(running));
    return running;
  }

  private send(running: Running, request: Request): Promise<Answer | null> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    // Work in flight keeps the process alive (a CLI run awaiting its import must not exit under it).
    running.worker.ref();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.fail(running);
        void running.worker.terminate().catch(() => 0);
      }, BATCH_TIMEOUT_MS);
      timer.unref();
      running.pending.set(id, { resolve, timer });
      running.worker.postMessage({ ...request, id } as BulkRequest);
    });
  }

  private armIdle(running: Running): void {
    if (running.pending.size) return;
    running.worker.unref();
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.stop(), IDLE_MS);
    this.idle.unref();
  }

  private fail(running: Running): void {
    if (this.running !== running) return;
    if (!running.ready) this.failedAt = Date.now();
    this.end(running);
  }

  private end(running: Running): void {
    if (this.running === running) this.running = null;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    for (const { resolve, timer } of running.pending.values()) {
      clearTimeout(timer);
      resolve(null);
    }
    running.pending.clear();
    this.settleReady(false);
  }

  private settleReady(ready: boolean): void {
    for (const resolve of this.readyWaiters.splice(0)) resolve(ready);
  }
}

/** The built worker file, or (run from source) code that loads the TypeScript file. */
type WorkerFile = { url: URL } | { code: string };

/**
 * The worker's file is built beside the bundle that imports this module (dist/, dist/cli/chunks/,
 * dist/electron/). Run from source (tests, tsx), the TypeScript file is loaded through tsx's
 * loader, registered in the worker first (a worker does not inherit the parent's loader).
 */
function workerFile(): WorkerFile | null {
  const built = new URL('./bulk-worker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(built))) return { url: built };
  const source = new URL('./bulk-worker.ts', import.meta.url);
  if (!fs.existsSync(fileURLToPath(source))) return null;
  try {
    // The ES module build of tsx's API: its CommonJS build cannot register from a worker.
    const api = createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
    const tsx = pathToFileURL(api).href;
    return { code: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source.href)}); })` };
  } catch {
    return null;
  }
}

/** One worker for the process: it holds no notebook data between requests. */
export const bulkWorker = new BulkWorker();
