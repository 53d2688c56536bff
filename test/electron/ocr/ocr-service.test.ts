import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { SeenBefore } from '../../../electron/debugging/seen-before';
import type { Notebook } from '../../../electron/notebook/notebook';
import { OcrEngine } from '../../../electron/ocr/ocr-engine';
import { OcrService } from '../../../electron/ocr/ocr-service';
import { docIdFor } from '../../../shared/ids';
import { noteBody } from '../../../shared/notes/doc';
import { attachmentUrl } from '../../../shared/notes/nodes';
import { openTempNotebook } from '../../helpers/notebook';
import { closeScreens, ERROR_SCREEN, screenshotOf, wordAccuracy } from '../../helpers/screenshots';
import { until } from '../../helpers/waiting';

const open: Notebook[] = [];
afterEach(async () => {
  for (const nb of open.splice(0)) await nb.close();
});
afterAll(closeScreens);

/** An engine that counts what it is given (and reads with the real one). */
class CountingEngine extends OcrEngine {
  calls = 0;
  override async recognize(image: Uint8Array): Promise<string> {
    this.calls++;
    return super.recognize(image);
  }
}

/** The text of every image node in a note, in order (null: not read yet). */
async function imageTexts(nb: Notebook, noteId: string): Promise<Array<string | null>> {
  return (
    (await nb.docs.read(docIdFor('note', noteId), (doc: Y.Doc) => {
      const out: Array<string | null> = [];
      for (const block of noteBody(doc).toArray()) {
        const el = block as Y.XmlElement;
        if (el.nodeName === 'image') {
          const text = el.getAttribute('ocrText');
          out.push(typeof text === 'string' ? text : null);
        }
      }
      return out;
    })) ?? []
  );
}

/** A PNG header claiming 16,000 × 16,000 pixels (its size is read from the header, nothing is decoded). */
function hugePngHeader(): Uint8Array {
  const bytes = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(16_000, 16);
  bytes.writeUInt32BE(16_000, 20);
  bytes.set([8, 6, 0, 0, 0], 24);
  return new Uint8Array(bytes);
}

async function notebookWithService(engine = new CountingEngine()) {
  const nb = await openTempNotebook();
  open.push(nb);
  const ocr = new OcrService(nb.db, nb.docs, nb.attachments, engine);
  return { nb, ocr, engine };
}

describe('reading text in screenshots', () => {
  it('reads a full-HD screenshot of an error screen with at least 95 % of its words right', async () => {
    const engine = new OcrEngine();
    try {
      for (const theme of ['light', 'terminal'] as const) {
        const text = await engine.recognize(await screenshotOf(ERROR_SCREEN, { theme }));
        expect(wordAccuracy(ERROR_SCREEN, text), `${theme}: ${text}`).toBeGreaterThanOrEqual(0.95);
      }
    } finally {
      await engine.stop();
    }
  });

  it('writes the text into every note showing the image, once read; search and error signatures find it', async () => {
    const { nb, ocr, engine } = await notebookWithService();
    const heron = await nb.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
    const kite = await nb.engagements.create({ client: 'Bank', codename: 'KITE', ceiling: 'CUI' });
    const shot = await nb.attachments.put('wave-error.png', 'image/png', await screenshotOf(ERROR_SCREEN));
    const image = `![wave-error.png](${attachmentUrl(shot.sha256)})`;
    const first = await nb.notes.create({ engagementId: heron.id, type: 'incident', title: 'Wave release down', markdown: image });
    const second = await nb.notes.create({ engagementId: kite.id, type: 'general', title: 'Same screen at KITE', markdown: image });
    await nb.docs.flush();
    ocr.start();
    await until(async () => (await imageTexts(nb, first.id))[0] != null && (await imageTexts(nb, second.id))[0] != null, 60_000);
    await ocr.idle();
    // Read once for both notes.
    expect(engine.calls).toBe(1);
    const [text] = await imageTexts(nb, first.id);
    expect(text).toContain('QUOKKAWAVE');
    expect(await imageTexts(nb, second.id)).toEqual([text]);
    await nb.docs.flush();
    // Ctrl+K's search finds a word that is only in the screenshot.
    expect((await nb.notes.search('quokkawave')).map((h) => h.note.id).sort()).toEqual([first.id, second.id].sort());
    // The error in the screenshot yields signatures: "seen before" finds the other engagement's note.
    const seen = await new SeenBefore(nb.db, () => nb.settings.classificationLevels).lookup({
      noteId: first.id,
      engagementId: heron.id,
      limit: 20,
    });
    expect(seen.signatures.map((s) => s.signature).join('\n')).toMatch(/ORA-12170|SQLRecoverableException/);
    expect(seen.matches.map((m) => [m.noteId, m.codename, m.match])).toContainEqual([second.id, 'KITE', 'exact']);
    // A note pasted later with the same screenshot gets the text at once, without reading it again.
    const third = await nb.notes.create({ engagementId: heron.id, type: 'general', title: 'Again', markdown: image });
    await until(async () => (await imageTexts(nb, third.id))[0] != null, 20_000);
    expect(engine.calls).toBe(1);
    expect(await ocr.status()).toMatchObject({ total: 1, done: 1, failed: 0, waiting: 0, running: true });
    await ocr.stop();
  });

  it('reports and skips what cannot be read (not an image, 16k × 16k pixels) and reads the rest', async () => {
    const { nb, ocr, engine } = await notebookWithService();
    const heron = await nb.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
    const fake = await nb.attachments.put('not-really.png', 'image/png', new TextEncoder().encode('#!/bin/sh\necho hello\n'));
    const huge = await nb.attachments.put('huge.png', 'image/png', hugePngHeader());
    const good = await nb.attachments.put(
      'ok.png',
      'image/png',
      await screenshotOf(['Disk full on /var/spool/edi'], { width: 800, height: 200 }),
    );
    const markdown = [fake, huge, good].map((a) => `![${a.name}](${attachmentUrl(a.sha256)})`).join('\n\n');
    const note = await nb.notes.create({ engagementId: heron.id, type: 'general', title: 'Screens', markdown });
    await nb.docs.flush();
    ocr.start();
    await until(async () => (await imageTexts(nb, note.id)).every((t) => t !== null), 60_000);
    await ocr.idle();
    const [fakeText, hugeText, goodText] = await imageTexts(nb, note.id);
    expect(fakeText).toBe('');
    expect(hugeText).toBe('');
    expect(goodText).toContain('/var/spool/edi');
    // Only the real image reached the engine.
    expect(engine.calls).toBe(1);
    const status = await ocr.status();
    expect(status).toMatchObject({ total: 3, done: 1, failed: 2, waiting: 0 });
    expect(Object.fromEntries(status.failures.map((f) => [f.name, f.error]))).toEqual({
      'not-really.png': expect.stringContaining('Not an image file'),
      'huge.png': expect.stringContaining('16000 × 16000 pixels'),
    });
    await ocr.stop();
  });
});
