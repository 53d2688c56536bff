import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { isPdf, pdfText } from '../helpers/pdf';
import { cleanup, cli, engagementList, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-stakeholders-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Screenshots for a person to look at, when OUTPOST_E2E_SHOTS names a folder. */
async function shot(page: Page, name: string) {
  const dir = process.env.OUTPOST_E2E_SHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `stakeholders-${name}.png`), fullPage: true });
}

async function addStakeholder(page: Page, name: string, role: string, kind: string) {
  const form = page.getByRole('form', { name: 'Add a stakeholder' });
  await form.getByRole('textbox', { name: 'Name' }).fill(name);
  await form.getByRole('textbox', { name: 'Role' }).fill(role);
  await form.getByRole('combobox', { name: 'Kind' }).selectOption({ label: kind });
  await form.getByRole('button', { name: 'Add stakeholder' }).click();
  await page.getByRole('table', { name: 'Stakeholders' }).getByRole('button', { name, exact: true }).waitFor();
}

describe('stakeholder translations in the browser twin', () => {
  it('adds stakeholders, writes a card with two renderings, marks one delivered and downloads a PDF brief', async () => {
    const dir = await newNotebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme Logistics', '--codename', 'HERON', '--site', 'Reno DC')).code).toBe(
      0,
    );
    const body = path.join(work, 'log.md');
    fs.writeFileSync(body, 'The second wave stalled at 07:10.\n');
    expect(
      (await cli(dir, 'notes', 'add', '--engagement', 'HERON', '--type', 'field-log', '--title', 'Monday log', '--body-file', body)).code,
    ).toBe(0);
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await engagementList(page)
      .getByRole('link', { name: /^HERON/ })
      .click();
    await page.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Stakeholders' }).click();
    const pane = page.getByRole('region', { name: 'Stakeholders' });
    await pane.getByRole('form', { name: 'Add a stakeholder' }).waitFor();

    // Registry: two people; a duplicate name is refused with a clear message.
    await addStakeholder(page, 'Maria Lopez', 'Operations director', 'Operations');
    await addStakeholder(page, 'Dev Patel', 'ERP administrator', 'IT / security');
    const form = page.getByRole('form', { name: 'Add a stakeholder' });
    await form.getByRole('textbox', { name: 'Name' }).fill('maria lopez');
    await form.getByRole('button', { name: 'Add stakeholder' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('A stakeholder called "Maria Lopez" already exists');
    await form.getByRole('textbox', { name: 'Name' }).fill('');
    await shot(page, 'registry');

    // Glossary: a client term, shown on hover in card text.
    await pane.getByRole('tab', { name: /Glossary/ }).click();
    const glossaryForm = page.getByRole('form', { name: 'Add a glossary term' });
    await glossaryForm.getByRole('textbox', { name: 'Term' }).fill('wave');
    await glossaryForm.getByRole('textbox', { name: 'Meaning' }).fill('a batch of picks released together');
    await glossaryForm.getByRole('button', { name: 'Add term' }).click();
    await page.getByRole('list', { name: 'Glossary' }).getByRole('listitem', { name: 'wave' }).waitFor();
    await shot(page, 'glossary');

    // A card with two audience renderings.
    await pane.getByRole('tab', { name: /Translation cards/ }).click();
    const newCard = page.getByRole('form', { name: 'New translation card' });
    await newCard.getByRole('textbox', { name: 'Card title' }).fill('Pick suggestions arrive late');
    await newCard.getByRole('button', { name: 'Add card' }).click();
    const card = page.getByRole('region', { name: 'Card Pick suggestions arrive late' });
    await card
      .getByRole('textbox', { name: 'The precise statement' })
      .fill('p99 inference latency exceeds 2 s because the ERP API throttles us to 5 req/s.');
    await expect
      .poll(() => card.getByRole('paragraph').filter({ hasText: 'Not yet told' }).textContent())
      .toBe('Not yet told: Dev Patel, Maria Lopez');

    await card.getByRole('combobox', { name: 'Write a rendering for' }).selectOption({ label: 'Maria Lopez' });
    await card.getByRole('button', { name: 'Add rendering' }).click();
    const forMaria = card.getByRole('group', { name: 'For Maria Lopez' });
    await forMaria
      .getByRole('textbox', { name: 'Plain-language explanation' })
      .fill('During the morning wave, pick suggestions arrive late. About 40 picks a day are late.');
    await forMaria.getByRole('textbox', { name: 'What we need from them' }).fill('Agree to a Sunday change window.');
    await card.getByRole('combobox', { name: 'Write a rendering for' }).selectOption({ label: 'Dev Patel' });
    await card.getByRole('button', { name: 'Add rendering' }).click();
    const forDev = card.getByRole('group', { name: 'For Dev Patel' });
    await forDev
      .getByRole('textbox', { name: 'Plain-language explanation' })
      .fill('The ERP API throttles us to 5 requests per second; p99 latency exceeds 2 s.');

    // Readability and jargon hints, never a block.
    await expect.poll(() => forDev.getByRole('note', { name: 'Readability of plain-language explanation' }).textContent()).toContain('API');
    await expect
      .poll(() => forMaria.getByRole('note', { name: 'Readability of plain-language explanation' }).textContent())
      .toMatch(/Readability \d+/);
    // Hover definition of a glossary term in the card text.
    const term = forMaria
      .getByRole('note', { name: 'Plain-language explanation with glossary terms' })
      .locator('.glossary-term', { hasText: 'wave' });
    await term.hover();
    await expect.poll(() => term.getByRole('tooltip').isVisible()).toBe(true);
    expect(await term.getByRole('tooltip').textContent()).toContain('a batch of picks released together');

    // Delivered to Maria: only Dev is left to tell.
    await forMaria.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Delivered' });
    await forMaria.getByRole('textbox', { name: 'Delivered how' }).fill('Stand-up, Monday');
    await expect.poll(() => card.getByRole('paragraph').filter({ hasText: 'Not yet told' }).textContent()).toBe('Not yet told: Dev Patel');
    expect(await forMaria.getByLabel('Delivered on').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await shot(page, 'card');
    await card.getByRole('heading', { name: 'Technical finding' }).scrollIntoViewIfNeeded();
    await shot(page, 'finding');

    // The brief: preview, then a PDF download that holds the text.
    await pane.getByRole('button', { name: 'Brief…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Brief' });
    await dialog.getByRole('combobox', { name: 'Audience' }).selectOption({ label: 'Maria Lopez (Operations director)' });
    const preview = dialog.getByRole('region', { name: 'Brief preview' });
    await expect.poll(() => preview.textContent()).toContain('Briefing for Maria Lopez');
    expect(await preview.textContent()).toContain('During the morning wave, pick suggestions arrive late.');
    await shot(page, 'brief');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^HERON-brief-Maria-Lopez-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = path.join(work, download.suggestedFilename());
    await download.saveAs(file);
    await dialog.getByRole('status').filter({ hasText: 'Downloaded' }).waitFor();
    const bytes = new Uint8Array(fs.readFileSync(file));
    expect(isPdf(bytes)).toBe(true);
    const { text } = await pdfText(bytes);
    expect(text).toContain('Briefing for Maria Lopez');
    expect(text).toContain('During the morning wave, pick suggestions arrive late.');
    expect(text).toContain('Agree to a Sunday change window.');
    expect(text).toContain('a batch of picks released together');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // In a note, the glossary's terms are underlined with their definition on hover.
    await page.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('link', { name: /Monday log/ }).click();
    const inNote = page.getByRole('textbox', { name: 'Note body' }).locator('.glossary-term', { hasText: 'wave' });
    await expect.poll(() => inNote.getAttribute('title')).toBe('wave: a batch of picks released together');
    // `[[` offers glossary terms too: picking one writes the term, underlined with its definition.
    const noteBody = page.getByRole('textbox', { name: 'Note body' });
    await noteBody.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Next [[wav');
    await page.getByRole('option', { name: /^wave glossary/ }).click();
    await expect.poll(() => noteBody.textContent()).toContain('Next wave');
    await expect.poll(() => noteBody.locator('.glossary-term').count()).toBe(2);
  });
});
