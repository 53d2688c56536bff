import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { ChromiumPdfPrinter, findChromium } from '../../../electron/stakeholders/pdf-printer';
import { WorkerPdfPrinter } from '../../../electron/stakeholders/worker-pdf-printer';
import { OutpostError } from '../../../shared/errors';
import { isPdf, pdfText } from '../../helpers/pdf';

describe('PDF printers', () => {
  it('prints with the system Chromium and leaves no temporary files', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-test-'));
    const bytes = await new ChromiumPdfPrinter({}, tmp).print(
      '<!doctype html><meta charset="utf-8"><h1>Briefing for Ana Núñez</h1><p>Late picks: 40 a day.</p>',
    );
    expect(isPdf(bytes)).toBe(true);
    const { text } = await pdfText(bytes);
    expect(text).toContain('Briefing for Ana Núñez');
    expect(text).toContain('Late picks: 40 a day.');
    expect(fs.readdirSync(tmp)).toEqual([]);
    fs.rmdirSync(tmp);
  }, 60_000);

  it('prints through DevTools as the desktop app does: tagged, @page size, scripts off, print media only', async () => {
    const bytes = await new ChromiumPdfPrinter().print(
      [
        '<!doctype html><meta charset="utf-8">',
        // The lessons export hides its body on screen (it is only ever printed): print media must show it.
        '<style>@page { size: A4; margin: 16mm; } @media not print { body { display: none; } }</style>',
        '<h1>Playbook</h1><p>Printed page.</p>',
        '<script>document.body.append("SCRIPT RAN")</script>',
      ].join(''),
    );
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    // Tagged: a screen reader gets headings and paragraphs, not a bag of glyphs.
    expect(await pdf.getMarkInfo()).toMatchObject({ Marked: true });
    const page = await pdf.getPage(1);
    const { width, height } = page.getViewport({ scale: 1 });
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    const { text } = await pdfText(bytes);
    expect(text).toContain('Playbook Printed page.');
    expect(text).not.toContain('SCRIPT RAN');
  }, 60_000);

  it('names a missing or wrong Chromium clearly', async () => {
    expect(() => findChromium({ OUTPOST_CHROMIUM: '/nope/chromium' })).toThrow(/OUTPOST_CHROMIUM names \/nope\/chromium/);
    const notChromium = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-test-')), 'fake-chromium');
    fs.writeFileSync(notChromium, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    try {
      await expect(new ChromiumPdfPrinter({ OUTPOST_CHROMIUM: notChromium }).print('<p>x</p>')).rejects.toThrow(/exited with code 3/);
    } finally {
      fs.rmSync(path.dirname(notChromium), { recursive: true, force: true });
    }
  });

  it('the services worker’s printer waits for the main thread’s answer, bytes or error', async () => {
    const asked: Array<{ requestId: number; html: string }> = [];
    const printer = new WorkerPdfPrinter((requestId, html) => asked.push({ requestId, html }));
    const first = printer.print('<p>one</p>');
    const second = printer.print('<p>two</p>');
    expect(asked.map((a) => a.html)).toEqual(['<p>one</p>', '<p>two</p>']);
    printer.settle(asked[1]?.requestId as number, null, { code: 'internal', message: 'Printing the brief to PDF failed: no window' });
    printer.settle(asked[0]?.requestId as number, new Uint8Array([37, 80, 68, 70, 45]), null);
    expect(await first).toEqual(new Uint8Array([37, 80, 68, 70, 45]));
    await expect(second).rejects.toBeInstanceOf(OutpostError);
    await expect(second).rejects.toThrow('no window');
  });
});
