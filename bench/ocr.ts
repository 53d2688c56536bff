/**
 * `npm run bench`: reading text in screenshots (OCR), as JSON lines.
 * - ocr_screenshot: a 1920×1080 screenshot of an error screen (rendered by Chromium), read by the
 *   notebook's engine: the first read (the worker and model starting) and the median of 5 warm
 *   reads (target ≤ 3 s); word accuracy against the rendered text;
 * - ocr_catch_up: BENCH_OCR_IMAGES (default 200) distinct 1920×1080 screenshots in 200 notes of a
 *   notebook, read in the background by the OCR service until none is waiting: total time, per
 *   image, and the main thread's event-loop delay meanwhile (p99: what typing would feel);
 *   baseline in the same run: the bare tesseract.js worker reading 20 of the same images
 *   (the service's cost on top is the checks, the note writes and their projections).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Notebook } from '../electron/notebook/notebook';
import { OcrEngine } from '../electron/ocr/ocr-engine';
import { OcrService } from '../electron/ocr/ocr-service';
import { attachmentUrl } from '../shared/notes/nodes';
import { closeScreens, ERROR_SCREEN, screenshotOf, wordAccuracy } from '../test/helpers/screenshots';

const IMAGES = Number(process.env.BENCH_OCR_IMAGES ?? 200);
const emit = (record: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'ocr', ...record, load: os.loadavg().map((l) => Math.round(l * 100) / 100) })}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const screen = (i: number) => [
  `WMS WAVE RELEASE ${i} - ERROR`,
  `ORA-${12_000 + (i % 900)}: TNS:Connect timeout occurred on erp-db-${i % 7}.acme.local`,
  `java.sql.SQLRecoverableException: IO Error at wave ${i * 37}`,
  `at com.acme.wms.WaveRelease.run(WaveRelease.java:${200 + (i % 50)})`,
  `Operator ${['ana', 'bea', 'carl', 'dana'][i % 4]} pressed F3 to retry at dock ${i % 12}`,
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-ocr-'));
try {
  // --- one screenshot ----------------------------------------------------------------------------
  const shot = await screenshotOf(ERROR_SCREEN);
  const engine = new OcrEngine();
  let started = performance.now();
  const text = await engine.recognize(shot);
  const coldMs = performance.now() - started;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    started = performance.now();
    await engine.recognize(shot);
    warm.push(performance.now() - started);
  }
  emit({
    figure: 'ocr_screenshot',
    width: 1920,
    height: 1080,
    first_ms: Math.round(coldMs),
    warm_median_ms: Math.round(median(warm)),
    target_ms: 3000,
    word_accuracy: Math.round(wordAccuracy(ERROR_SCREEN, text) * 1000) / 1000,
  });

  // --- background catch-up -----------------------------------------------------------------------
  const images: Uint8Array[] = [];
  for (let i = 0; i < IMAGES; i++) images.push(await screenshotOf(screen(i)));
  await closeScreens();
  const raw: number[] = [];
  for (const image of images.slice(0, 20)) {
    started = performance.now();
    await engine.recognize(image);
    raw.push(performance.now() - started);
  }
  await engine.stop();
  emit({ figure: 'baseline_bare_tesseract', images: raw.length, per_image_median_ms: Math.round(median(raw)) });

  const nb = await Notebook.open(path.join(work, 'nb'), { kind: 'bench' });
  const heron = await nb.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
  for (let i = 0; i < IMAGES; i++) {
    const stored = await nb.attachments.put(`wave-${i}.png`, 'image/png', images[i] as Uint8Array);
    await nb.notes.create({
      engagementId: heron.id,
      type: 'incident',
      title: `Wave ${i} stuck`,
      markdown: `Seen at the dock.\n\n![wave-${i}.png](${attachmentUrl(stored.sha256)})`,
    });
  }
  await nb.docs.flush();
  const ocr = new OcrService(nb.db, nb.docs, nb.attachments);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  started = performance.now();
  ocr.start();
  for (;;) {
    const status = await ocr.status();
    if (status.waiting === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await ocr.idle();
  const catchUpMs = performance.now() - started;
  delay.disable();
  const status = await ocr.status();
  await nb.docs.flush();
  const found = await nb.notes.search('operator pressed retry', {}, 100);
  emit({
    figure: 'ocr_catch_up',
    images: IMAGES,
    done: status.done,
    failed: status.failed,
    total_s: Math.round(catchUpMs / 100) / 10,
    per_image_ms: Math.round(catchUpMs / IMAGES),
    event_loop_p99_ms: Math.round(delay.percentile(99) / 1e6),
    searchable_notes: found.length,
  });
  await ocr.stop();
  await nb.close();
} finally {
  await closeScreens();
  fs.rmSync(work, { recursive: true, force: true });
}
