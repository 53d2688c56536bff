import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { LessonExportService } from '../../../electron/lessons/lesson-export';
import type { Notebook } from '../../../electron/notebook/notebook';
import { ChromiumPdfPrinter, type PdfPrinter } from '../../../electron/stakeholders/pdf-printer';
import { docIdFor } from '../../../shared/ids';
import { updateLesson } from '../../../shared/lessons/doc';
import { htmlText } from '../../../shared/lessons/export-format';
import { parseLessonRef } from '../../../shared/lessons/model';
import { leaks, seedLessonsFixture } from '../../helpers/lessons-export-fixture';
import { openTempNotebook, tempDir } from '../../helpers/notebook';
import { isPdf, pdfText } from '../../helpers/pdf';

function service(notebook: Notebook, printer: PdfPrinter = new ChromiumPdfPrinter()) {
  return new LessonExportService(
    notebook.db,
    notebook.docs,
    () => notebook.settings.classificationLevels,
    () => printer,
  );
}

async function plant(notebook: Notebook, ref: string, text: string) {
  const { engagementId, lessonId } = parseLessonRef(ref);
  const doc = await notebook.docs.open(docIdFor('engagement', engagementId));
  updateLesson(doc, lessonId, { whatWorked: text });
  await notebook.docs.flush();
}

describe('LessonExportService', { timeout: 120_000 }, () => {
  it('exports a playbook in chapter order, follows merged refs, leaves out lessons above the cap and withholds evidence without its label', async () => {
    const notebook = await openTempNotebook();
    const f = await seedLessonsFixture(notebook);
    const exports = service(notebook);
    const { preview, prepared } = await exports.prepare({ selection: { playbookId: f.playbookId }, format: 'md', date: '2026-11-29' });
    expect(preview).toMatchObject({ cap: 'UNCLASSIFIED', sanitized: true, lessons: 2, missing: 0, findings: [] });
    // l5 was merged into l1: the playbook shows the survivor.
    expect(prepared.document.chapters.map((c) => c.lessons.map((l) => l.ref))).toEqual([[f.refs.l1], [f.refs.l4]]);
    expect(preview.leftOut.map((l) => [l.ref, l.classification])).toEqual([
      [f.refs.l2, 'CUI'],
      [f.refs.l3, 'SECRET'],
    ]);
    // The CUI note, the deleted note and the system of a CUI engagement's map (the map is marked with the
    // engagement's ceiling) are withheld; their labels appear nowhere.
    expect(preview.withheldEvidence).toBe(3);
    const all = prepared.files.map((x) => x.content).join('\n');
    expect(all).not.toContain('sierra tango');
    expect(all).not.toContain('whiskey foxtrot');
    const { entries } = await exports.dictionary({ playbookId: f.playbookId });
    const alias = (term: string) => entries.find((e) => e.term === term)?.replacement as string;
    expect(all).toContain(`Note: ${alias('Reno DC')} outage with ${alias('Maria Lopez')}`);
    expect(all).toContain('System: *withheld');
    expect(leaks(all)).toEqual([]);
    expect(preview.replacements.find((r) => r.term === 'Acme Logistics')).toMatchObject({ replacement: alias('Acme Logistics') });
    expect(preview.replacements.find((r) => r.term === 'Jürgen Müller')?.count).toBe(2);
    expect(preview.files[0]).toMatch(/^codename-\d-and-codename-\d-playbook-2026-11-29\/index\.md$/);

    const cui = await exports.prepare({ selection: { playbookId: f.playbookId }, format: 'md', maxClassification: 'CUI' });
    expect(cui.preview.lessons).toBe(3);
    expect(cui.preview.withheldEvidence).toBe(1); // only the deleted note
    // Nothing within the cap: refused, nothing written.
    const empty = path.join(tempDir(), 'empty');
    await expect(exports.writeTo(empty, { selection: { refs: [f.refs.l3] }, format: 'md' })).rejects.toThrow(
      /every chosen lesson is marked above UNCLASSIFIED/,
    );
    expect(fs.existsSync(empty)).toBe(false);
    await expect(exports.prepare({ selection: { playbookId: f.playbookId }, format: 'md', maxClassification: 'TOP' })).rejects.toThrow(
      /not one of this notebook's classification levels/,
    );
  });

  it('writes the Markdown folder atomically, refuses a non-empty folder, and writes nothing while findings remain', async () => {
    const notebook = await openTempNotebook();
    const f = await seedLessonsFixture(notebook);
    const exports = service(notebook);
    const root = tempDir();
    const busy = path.join(root, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'keep.txt'), 'mine');
    await expect(exports.writeTo(busy, { selection: { playbookId: f.playbookId }, format: 'md' })).rejects.toThrow(/not empty/);
    expect(fs.readdirSync(busy)).toEqual(['keep.txt']);

    await plant(notebook, f.refs.l1, 'ssh erp01.acme.local or 10.20.30.40, mail ops@acme-logistics.com, PO 4500012345.');
    const target = path.join(root, 'out');
    const refused = await exports.writeTo(target, { selection: { playbookId: f.playbookId }, format: 'md' }).catch((e) => e);
    expect(refused.code).toBe('invalid_request');
    expect(refused.details.join('\n')).toMatch(/IP address: "10.20.30.40"/);
    expect(refused.details.join('\n')).toMatch(/E-mail address: "ops@acme-logistics.com"/);
    expect(refused.details.join('\n')).toMatch(/Long number: "4500012345"/);
    expect(refused.details.join('\n')).toMatch(/Host name: "erp01/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(root)).toEqual(['busy']);

    // Replace two (remembered), allow the others (this run only).
    await exports.addOverrides([
      { term: '10.20.30.40', replacement: 'IP-1' },
      { term: 'ops@acme-logistics.com', replacement: 'a support mailbox' },
    ]);
    const findings = (await exports.prepare({ selection: { playbookId: f.playbookId }, format: 'md' })).preview.findings;
    expect(findings.map((x) => x.kind).sort()).toEqual(['hostname', 'number']);
    await exports.writeTo(target, { selection: { playbookId: f.playbookId }, format: 'md', allow: findings.map((x) => x.text) });
    const files = fs.readdirSync(target).sort();
    expect(files).toContain('index.md');
    expect(files).toHaveLength(3);
    const text = files.map((name) => fs.readFileSync(path.join(target, name), 'utf8')).join('\n');
    expect(text).toContain('IP-1');
    expect(text).toContain('a support mailbox');
    expect(leaks(text)).toEqual([]);
    expect(fs.readdirSync(root).sort()).toEqual(['busy', 'out']);
    expect(await exports.overrides()).toHaveLength(2);
  });

  it('produces a zip of the folder, HTML and a PDF whose text has pseudonyms and none of the planted names', async () => {
    const notebook = await openTempNotebook();
    const f = await seedLessonsFixture(notebook);
    const chromium = new ChromiumPdfPrinter();
    const printed: string[] = [];
    const exports = service(notebook, {
      print: (html) => {
        printed.push(html);
        return chromium.print(html);
      },
    });
    const selection = { refs: [f.refs.l1, f.refs.l4, f.refs.l3] };
    const zip = await exports.produce({ selection, format: 'md', date: '2026-11-29' });
    expect(zip.fileName).toBe('lessons-learned-2026-11-29.zip');
    const entries = unzipSync(zip.bytes);
    const { entries: dictionary } = await exports.dictionary(selection);
    const alias = (term: string) => dictionary.find((e) => e.term === term)?.replacement as string;
    const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    expect(Object.keys(entries).sort()).toEqual([
      `lessons-learned-2026-11-29/${slug(alias('Acme Logistics'))}-erp-1-locks-at-shift-change.md`,
      'lessons-learned-2026-11-29/index.md',
      `lessons-learned-2026-11-29/${slug(alias('Łódź Plant'))}-batch-drift.md`,
    ]);
    const zipText = Object.values(entries)
      .map((b) => new TextDecoder().decode(b))
      .join('\n');
    expect(leaks(zipText)).toEqual([]);
    expect(zipText).toContain(`title: "${alias('Acme Logistics')}: ERP-1 locks at shift change"`);

    const html = new TextDecoder().decode((await exports.produce({ selection, format: 'html' })).bytes);
    expect(html).toContain(`default-src 'none'`);
    expect(leaks(html)).toEqual([]);

    const pdf = await exports.produce({ selection, format: 'pdf' });
    expect(isPdf(pdf.bytes)).toBe(true);
    const { text } = await pdfText(pdf.bytes);
    expect(text).toContain(alias('Acme Logistics'));
    expect(text).toContain(alias('Jürgen Müller'));
    expect(text).toContain('ERP-1');
    expect(leaks(text)).toEqual([]);
    // Every lesson, in the document's order, in a tagged PDF.
    const titles = pdf.outcome.prepared.document.chapters.flatMap((c) => c.lessons.map((l) => l.title));
    expect(titles).toHaveLength(2);
    const at = titles.map((title) => text.lastIndexOf(title));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(await (await getDocumentProxy(new Uint8Array(pdf.bytes))).getMarkInfo()).toMatchObject({ Marked: true });
    // The copy handed to the printer differs from the HTML download only by hiding itself on screen
    // (Chromium then skips a screen layout of the whole export); the download shows on screen.
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('@media not print { body { display: none; } }');
    expect(html).not.toContain('@media not print');
    expect(htmlText(printed[0] as string)).toBe(htmlText(html));

    // Unsanitized, the same export does carry the names (the check above can fail).
    const raw = new TextDecoder().decode((await exports.produce({ selection, format: 'html', sanitize: false })).bytes);
    expect(leaks(raw).length).toBeGreaterThan(8);
  });

  it('a refused PDF export stops the Chromium it started ahead and leaves no temporary folder', async () => {
    const notebook = await openTempNotebook();
    const f = await seedLessonsFixture(notebook);
    const tmp = tempDir();
    const exports = service(notebook, new ChromiumPdfPrinter({}, tmp));
    await plant(notebook, f.refs.l1, 'Mail ops@acme-logistics.com for access.');
    const selection = { playbookId: f.playbookId };
    const refused = await exports.produce({ selection, format: 'pdf' }).catch((e) => e);
    expect(refused.code).toBe('invalid_request');
    expect(refused.details.join('\n')).toMatch(/E-mail address: "ops@acme-logistics.com"/);
    expect(fs.readdirSync(tmp)).toEqual([]);
    // Allowed, the export prints with the Chromium started ahead, and cleans up after it too.
    const pdf = await exports.produce({ selection, format: 'pdf', allow: ['ops@acme-logistics.com'] });
    expect((await pdfText(pdf.bytes)).text).toContain('Mail ops@acme-logistics.com for access.');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('builds the dictionary of every engagement involved, with the notebook-wide overrides', async () => {
    const notebook = await openTempNotebook();
    const f = await seedLessonsFixture(notebook);
    const exports = service(notebook);
    const before = await exports.dictionary({ playbookId: f.playbookId });
    const alias = (term: string) => before.entries.find((e) => e.term === term)?.replacement;
    // Engagements are taken in id order (random here): which client is A depends on it, not the pairs.
    expect(new Set([alias('Acme Logistics'), alias('Müller Pharma GmbH')])).toEqual(new Set(['Client A', 'Client B']));
    expect(new Set([alias('Reno DC'), alias('Łódź Plant')])).toEqual(new Set(['Site 1', 'Site 2']));
    expect(new Set([alias('Dana Whitfield'), alias('Zoë Kowalczyk')])).toEqual(new Set(['Person 1', 'Person 2']));
    expect(new Set([alias('Maria Lopez'), alias('Jürgen Müller')])).toEqual(new Set(['Stakeholder 1', 'Stakeholder 2']));
    expect(alias('SAP ECC Reno')).toBe('ERP-1');
    expect(alias('Floor OT')).toBe('Zone 1');
    expect(alias('green screen')).toBe('Term 1');
    // Stable: asked again, the same pseudonyms.
    expect((await exports.dictionary({ playbookId: f.playbookId })).entries).toEqual(before.entries);
    await exports.setOverrides([
      { term: 'Acme Logistics', replacement: 'A retailer' },
      { term: 'Floor OT', enabled: false },
      { term: 'Project Bluebird', replacement: 'Project X' },
    ]);
    const after = await exports.dictionary({ playbookId: f.playbookId });
    expect(after.entries.find((e) => e.term === 'Acme Logistics')?.replacement).toBe('A retailer');
    expect(after.entries.find((e) => e.term === 'Floor OT')?.enabled).toBe(false);
    expect(after.entries.find((e) => e.term === 'Project Bluebird')?.category).toBe('custom');
    // A disabled entry is neither replaced nor reported.
    const { prepared } = await exports.prepare({ selection: { playbookId: f.playbookId }, format: 'html' });
    expect(prepared.files[0]?.content).toContain('Floor OT');
    expect(prepared.findings).toEqual([]);
    await expect(exports.setOverrides([{ term: 'x' }])).rejects.toThrow(/at least 2 characters/);
    await expect(exports.prepare({ selection: { playbookId: '00000000-0000-4000-8000-000000000009' }, format: 'md' })).rejects.toThrow(
      /No such playbook/,
    );
  });
});
