import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import { docIdFor } from '../../shared/ids';
import { updateLesson } from '../../shared/lessons/doc';
import { parseLessonRef } from '../../shared/lessons/model';
import { leaks, seedLessonsFixture } from '../helpers/lessons-export-fixture';
import { isPdf, pdfText } from '../helpers/pdf';
import { cleanup, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-lessons-export-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function shot(page: Page, name: string) {
  const dir = process.env.OUTPOST_E2E_SHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `lessons-export-${name}.png`), fullPage: true });
}

describe('sanitized lessons export in the browser twin', () => {
  it('exports a playbook as a sanitized PDF from the Library: replace one finding, allow another, and the PDF text has pseudonyms only', async () => {
    // The notebook is seeded before the host opens it: two engagements, planted names in every field, a playbook.
    const dir = await newNotebookDir();
    const notebook = await Notebook.open(dir, { kind: 'e2e seed' });
    const f = await seedLessonsFixture(notebook);
    const { engagementId, lessonId } = parseLessonRef(f.refs.l1);
    updateLesson(await notebook.docs.open(docIdFor('engagement', engagementId)), lessonId, {
      whatWorked: 'Reach the box at 10.20.30.40 and quote PO 4500012345.',
    });
    await notebook.docs.flush();
    await notebook.close();

    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(`${host.url}#/library/playbooks/${f.playbookId}`);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Export/ });
    await dialog.getByRole('list', { name: 'Identifiers still in the export' }).waitFor();
    const findings = dialog.getByRole('list', { name: 'Identifiers still in the export' });
    await expect.poll(() => findings.getByRole('listitem').count()).toBe(2);
    const download = dialog.getByRole('button', { name: 'Download PDF' });
    expect(await download.isDisabled()).toBe(true);
    // Every replacement is listed.
    await expect.poll(() => dialog.getByRole('table', { name: 'Replacements' }).textContent()).toContain('Acme Logistics');
    await shot(page, 'findings');

    // Edit the dictionary: a pseudonym of one's own, and a term added by hand.
    const pseudonym = dialog.getByRole('textbox', { name: 'Pseudonym for SAP ECC Reno' });
    await pseudonym.fill('Core ERP');
    await pseudonym.press('Enter');
    await expect.poll(() => dialog.getByRole('table', { name: 'Replacements' }).textContent()).toContain('Core ERP');
    await dialog.getByRole('textbox', { name: 'Add a term' }).fill('shift change');
    await dialog.getByRole('textbox', { name: 'Replace with' }).fill('a handover');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => dialog.getByRole('table', { name: 'Replacements' }).textContent()).toContain('a handover');

    // Replace the IP address (a new dictionary entry), allow the PO number (this export only).
    await dialog.getByRole('textbox', { name: 'Replacement for 10.20.30.40' }).fill('IP-1');
    await findings
      .getByRole('listitem')
      .filter({ has: page.getByText('10.20.30.40', { exact: true }) })
      .getByRole('button', { name: 'Replace' })
      .click();
    await expect.poll(() => findings.getByRole('listitem').count()).toBe(1);
    await findings
      .getByRole('listitem')
      .filter({ has: page.getByText('4500012345', { exact: true }) })
      .getByRole('button', { name: 'Allow' })
      .click();
    await expect.poll(() => dialog.getByText('Nothing left').count()).toBe(1);
    await expect.poll(() => download.isDisabled()).toBe(false);
    await shot(page, 'ready');

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^codename-\d-and-codename-\d-playbook-\d{4}-\d{2}-\d{2}\.pdf$/);
    const saved = path.join(work, file.suggestedFilename());
    await file.saveAs(saved);
    const bytes = new Uint8Array(fs.readFileSync(saved));
    expect(isPdf(bytes)).toBe(true);
    const { text } = await pdfText(bytes);
    expect(text).toMatch(/Client [AB]/);
    expect(text).toContain('Core ERP');
    expect(text).not.toContain('ERP-1');
    expect(text).toContain('locks at a handover');
    expect(text).not.toContain('shift change');
    expect(text).toContain('IP-1');
    expect(text).toContain('4500012345');
    expect(text).not.toContain('10.20.30.40');
    expect(leaks(text)).toEqual([]);
    // The CUI and SECRET lessons were left out, the CUI note withheld without its label.
    expect(text).not.toContain('secret lesson');
    expect(text).not.toContain('sierra tango');
  });
});
