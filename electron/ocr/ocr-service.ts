import type { OcrProgress } from '../../shared/debugging/calls';
import { noteBody } from '../../shared/notes/doc';
import type { AttachmentStore } from '../attachments/attachment-store';
import { INLINE_IMAGE_TYPES } from '../attachments/attachment-store';
import type { DocStore } from '../docs/doc-store';
import type { Database } from '../notebook/database';
import { checkOcrImage } from './image-check';
import { setImageText, textOfImage, tidyOcrText, unreadImages } from './image-nodes';
import { OcrEngine } from './ocr-engine';

/** Progress events are sent at most this often. */
const PROGRESS_EVERY_MS = 250;
/** A note's images are checked against what was read this long after it last changed. */
const NOTE_SETTLE_MS = 500;

/** The writes OCR makes to notes: not typing, not an import (history names them as this device's). */
export const OCR_ORIGIN = 'ocr';

const IMAGE_TYPES = [...INLINE_IMAGE_TYPES];

/** Images in some note, not read yet: the newest first (a screenshot just pasted comes before the backlog). */
const NEXT_IMAGE = `
  SELECT a.sha256, a.name FROM attachments a
  WHERE a.mime = ANY($1::text[])
    AND NOT EXISTS (SELECT 1 FROM attachment_ocr o WHERE o.sha256 = a.sha256)
    AND EXISTS (SELECT 1 FROM notes n WHERE n.attachments @> ARRAY[a.sha256])
  ORDER BY a.created_at DESC, a.sha256 LIMIT 1`;

/**
 * Reads the text in the notebook's screenshots, in the background: each image attachment that
 * some note shows is read once by OCR (OcrEngine, on a worker thread), and the text is written
 * into every note's image node of it, as an edit of this device. From there it is searchable,
 * yields error signatures, and travels with the note; a note that arrives with the text already
 * read elsewhere is not read again. An image that cannot be read (not an image, too large,
 * damaged) is recorded with the reason, reported, and skipped. Runs only in a process that keeps
 * the notebook open (the app, the browser host).
 */
export class OcrService {
  private running = false;
  private working: Promise<void> | null = null;
  private wakeAgain = false;
  private readonly listeners = new Set<(progress: OcrProgress) => void>();
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly settling = new Map<string, ReturnType<typeof setTimeout>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly attachments: AttachmentStore,
    private readonly engine = new OcrEngine(),
  ) {}

  onProgress(listener: (progress: OcrProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.docs.onChange((docId, kind) => {
      if (kind === 'note') this.noteChanged(docId);
    });
    this.wake();
  }

  /** Stops reading; resolves once the image being read (if any) is done and recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const timer of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
    if (this.progressTimer) clearTimeout(this.progressTimer);
    await this.working;
    await this.engine.stop();
  }

  /** Resolves once every image some note shows has been read (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.working || this.settling.size) {
      await this.working;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async status(): Promise<OcrProgress> {
    const counts = await this.db.query<{ total: number; done: number; failed: number }>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE o.status = 'done')::int AS done,
              count(*) FILTER (WHERE o.status = 'failed')::int AS failed
       FROM attachments a LEFT JOIN attachment_ocr o ON o.sha256 = a.sha256
       WHERE a.mime = ANY($1::text[]) AND EXISTS (SELECT 1 FROM notes n WHERE n.attachments @> ARRAY[a.sha256])`,
      [IMAGE_TYPES],
    );
    const failures = await this.db.query<{ sha256: string; name: string; error: string; read_at: Date }>(
      `SELECT o.sha256, coalesce(a.name, '') AS name, o.error, o.read_at FROM attachment_ocr o
       LEFT JOIN attachments a ON a.sha256 = o.sha256 WHERE o.status = 'failed' ORDER BY o.read_at DESC LIMIT 20`,
    );
    const { total, done, failed } = counts.rows[0] ?? { total: 0, done: 0, failed: 0 };
    return {
      total,
      done,
      failed,
      waiting: total - done - failed,
      running: this.running,
      failures: failures.rows.map((r) => ({ sha256: r.sha256, name: r.name, error: r.error, at: new Date(r.read_at).toISOString() })),
    };
  }

  /** Looks for images to read (after a start, or when a note changed). */
  private wake(): void {
    if (!this.running) return;
    if (this.working) {
      this.wakeAgain = true;
      return;
    }
    this.working = this.drain()
      .catch(() => {
        // The database went away (closing): the next wake starts over.
      })
      .finally(() => {
        this.working = null;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    while (this.running) {
      const next = await this.db.query<{ sha256: string; name: string }>(NEXT_IMAGE, [IMAGE_TYPES]);
      const image = next.rows[0];
      if (!image) break;
      this.progressChanged();
      await this.read(image.sha256);
      this.progressChanged();
    }
  }

  /** Reads one attachment (or adopts the text a note already carries) and gives it to its notes. */
  private async read(sha256: string): Promise<void> {
    const noteIds = await this.notesShowing(sha256);
    let text: string | null = null;
    for (const docId of noteIds) {
      text = (await this.docs.read(docId, (doc) => textOfImage(noteBody(doc), sha256))) ?? null;
      if (text !== null) break;
    }
    let record: { status: 'done' | 'failed'; text: string; error: string; ms: number };
    if (text !== null) record = { status: 'done', text, error: '', ms: 0 };
    else record = await this.recognize(sha256);
    await this.db.query(
      `INSERT INTO attachment_ocr (sha256, status, text, error, ms) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sha256) DO UPDATE SET status = EXCLUDED.status, text = EXCLUDED.text, error = EXCLUDED.error,
         ms = EXCLUDED.ms, read_at = now()`,
      [sha256, record.status, record.text, record.error, record.ms],
    );
    // A failure leaves '' in the notes: "no text could be read" (the reason is in the record).
    await this.giveToNotes(noteIds, new Map([[sha256, record.text]]));
  }

  private async recognize(sha256: string): Promise<{ status: 'done' | 'failed'; text: string; error: string; ms: number }> {
    const file = await this.attachments.read(sha256).catch(() => null);
    if (!file) return { status: 'failed', text: '', error: 'The image file is missing from the notebook', ms: 0 };
    const check = checkOcrImage(file.data);
    if (!check.ok) return { status: 'failed', text: '', error: check.reason, ms: 0 };
    const started = performance.now();
    try {
      const text = tidyOcrText(await this.engine.recognize(file.data));
      return { status: 'done', text, error: '', ms: Math.round(performance.now() - started) };
    } catch (error) {
      return {
        status: 'failed',
        text: '',
        error: `The image could not be read: ${(error as Error).message}`,
        ms: Math.round(performance.now() - started),
      };
    }
  }

  private async notesShowing(sha256: string): Promise<string[]> {
    const result = await this.db.query<{ doc_id: string }>('SELECT doc_id FROM notes WHERE attachments @> ARRAY[$1]::text[]', [sha256]);
    return result.rows.map((r) => r.doc_id);
  }

  /** Writes the text of each attachment into the notes' images that have none yet, one edit per note. */
  private async giveToNotes(docIds: string[], texts: Map<string, string>): Promise<void> {
    for (const docId of docIds) {
      if (!this.running) return;
      const missing = await this.docs.read(docId, (doc) => [...unreadImages(noteBody(doc))].some((sha) => texts.has(sha)));
      if (!missing) continue;
      const doc = await this.docs.open(docId);
      doc.transact(() => setImageText(noteBody(doc), texts), OCR_ORIGIN);
      await this.docs.flush(docId, { projections: false });
    }
  }

  /**
   * A note changed (typed, imported, arrived from the hub): its images of attachments read before
   * get their text at once; new attachments are read in turn.
   */
  private noteChanged(docId: string): void {
    const pending = this.settling.get(docId);
    if (pending) clearTimeout(pending);
    this.settling.set(
      docId,
      setTimeout(() => {
        this.settling.delete(docId);
        void this.catchUpNote(docId).catch(() => {});
      }, NOTE_SETTLE_MS),
    );
  }

  private async catchUpNote(docId: string): Promise<void> {
    if (!this.running) return;
    // One query per change of a note, and nothing more for a note without attachments (most of
    // them, and the one being typed in).
    const held = await this.db.query<{ sha256: string; read: boolean; text: string }>(
      `SELECT a.sha256, o.sha256 IS NOT NULL AS read, coalesce(o.text, '') AS text
       FROM notes n CROSS JOIN unnest(n.attachments) AS a(sha256) LEFT JOIN attachment_ocr o ON o.sha256 = a.sha256
       WHERE n.doc_id = $1`,
      [docId],
    );
    const read = held.rows.filter((r) => r.read);
    if (read.length) await this.giveToNotes([docId], new Map(read.map((r) => [r.sha256, r.text])));
    // Attachments not read yet (a file that is no image is skipped by the queue's query).
    if (read.length < held.rows.length) this.wake();
  }

  private progressChanged(): void {
    if (this.progressTimer || !this.listeners.size) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = null;
      void this.status()
        .then((progress) => {
          for (const listener of this.listeners) listener(progress);
        })
        .catch(() => {});
    }, PROGRESS_EVERY_MS);
  }
}
