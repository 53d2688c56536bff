import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanup, cli, closePages, engagementList, newNotebookDir, newPage, startHost } from './helpers';

afterEach(closePages);
afterAll(cleanup);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-lessons-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Screenshots for a person to look at, when OUTPOST_E2E_SHOTS names a folder. */
async function shot(page: Page, name: string) {
  const dir = process.env.OUTPOST_E2E_SHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `lessons-${name}.png`), fullPage: false });
}

async function addNote(dir: string, type: string, title: string, body: string) {
  const file = path.join(work, `${title.replace(/\W+/g, '-')}.md`);
  fs.writeFileSync(file, body);
  const result = await cli(dir, 'notes', 'add', '--engagement', 'HERON', '--type', type, '--title', title, '--body-file', file);
  expect(result.code, result.stderr).toBe(0);
}

const incident = (symptom: string, cause: string, fix: string, followUp: string) =>
  `## Symptom\n\n${symptom}\n\n## Root cause\n\n${cause}\n\n## Resolution\n\n${fix}\n\n## Follow-ups\n\n${followUp}\n`;

describe('lessons in the browser twin', () => {
  it('turns an incident into a lesson, runs the retrospective and merges two similar lessons in the library', async () => {
    const dir = await newNotebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme Logistics', '--codename', 'HERON', '--site', 'Reno DC')).code).toBe(
      0,
    );
    await addNote(
      dir,
      'incident',
      'ERP API throttles pick suggestions at the morning wave',
      incident(
        'Pick suggestions arrive 2 s late between 07:00 and 07:30.',
        'The ERP API gateway throttles our service account to 5 requests per second.',
        'Batched the lookups: one call per wave instead of one per pick.',
        'Ask the client for the ERP API quota of every service account before go-live.',
      ),
    );
    await addNote(
      dir,
      'incident',
      'ERP API throttling delays pick suggestions in the morning wave',
      incident(
        'Suggestions late at the morning wave again, after the second site went live.',
        'The second site shares the same ERP service account and its quota.',
        'A service account per site.',
        'Ask the client for the ERP API quota of each service account before go-live.',
      ),
    );
    await addNote(dir, 'decision', 'Move the nightly export to the Sunday window', '## Context\n\nThe export collides with the wave.\n');

    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await engagementList(page)
      .getByRole('link', { name: /^HERON/ })
      .click();
    await page.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('link', { name: 'ERP API throttles pick suggestions at the morning wave' }).click();

    await shot(page, 'note');
    // Turn into lesson: the draft carries the incident's root cause and opens in the Lessons tab.
    await page.getByRole('button', { name: 'Turn into lesson' }).click();
    const editor = page.getByRole('region', { name: 'Lesson Lesson: ERP API throttles pick suggestions at the morning wave' });
    await editor.waitFor();
    expect(page.url()).toMatch(/#\/engagements\/[0-9a-f-]{36}\/lessons\/[0-9a-f-]{36}$/);
    expect(await editor.getByRole('textbox', { name: 'Root cause' }).inputValue()).toContain(
      'The ERP API gateway throttles our service account to 5 requests per second.',
    );
    expect(await editor.getByRole('textbox', { name: 'Recommendation' }).inputValue()).toContain('Ask the client for the ERP API quota');
    expect(await editor.getByRole('list', { name: 'Evidence' }).getByRole('link').allTextContents()).toEqual([
      'ERP API throttles pick suggestions at the morning wave',
    ]);
    // Edited like any field: a tag, what it applies to from the map's vocabulary, the status.
    await editor.getByRole('textbox', { name: 'Tags' }).fill('erp, throttling');
    await editor.getByRole('textbox', { name: 'Tags' }).press('Enter');
    await editor.getByRole('combobox', { name: 'Add what it applies to' }).fill('API (system)');
    await editor.getByRole('button', { name: 'Add', exact: true }).click();
    await editor.getByRole('listitem').filter({ hasText: 'API (system)' }).waitFor();
    await editor.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Reviewed' });
    await editor.getByRole('heading', { name: 'Evidence' }).scrollIntoViewIfNeeded();
    await shot(page, 'tab-evidence');
    await editor.getByRole('textbox', { name: 'Title' }).scrollIntoViewIfNeeded();
    await shot(page, 'tab');

    // Outcome metrics: baseline → achieved, with the improvement.
    const sections = page.getByRole('tablist', { name: 'Lesson sections' });
    await sections.getByRole('tab', { name: /Outcome metrics/ }).click();
    const newMetric = page.getByRole('form', { name: 'New outcome metric' });
    await newMetric.getByRole('textbox', { name: 'Metric name' }).fill('Late picks per day');
    await newMetric.getByRole('button', { name: 'Add metric' }).click();
    const metric = page.getByRole('group', { name: 'Metric Late picks per day' });
    await metric.getByRole('textbox', { name: 'Baseline' }).fill('140');
    await metric.getByRole('textbox', { name: 'Achieved' }).fill('12');
    await metric.getByRole('combobox', { name: 'Better when' }).selectOption({ label: 'Lower' });
    await expect
      .poll(() => metric.getByRole('status', { name: 'Improvement of Late picks per day' }).textContent())
      .toBe('Improved by 128 (91.43 %)');
    await shot(page, 'outcomes');

    // The retrospective: create a lesson from the second incident, skip the decision, finish.
    await sections.getByRole('tab', { name: 'Retrospective' }).click();
    const items = page.getByRole('list', { name: 'Retrospective items' });
    await items.getByRole('listitem').first().waitFor();
    expect(await items.getByRole('listitem').count()).toBe(3);
    await items.getByRole('button', { name: /ERP API throttling delays pick suggestions/ }).click();
    const draft = page.getByRole('form', { name: 'Drafted lesson' });
    expect(await draft.getByRole('textbox', { name: 'Root cause' }).inputValue()).toContain('shares the same ERP service account');
    await draft
      .getByRole('textbox', { name: 'Lesson title' })
      .fill('Lesson: ERP API throttling delays pick suggestions in the morning wave');
    await shot(page, 'retrospective');
    await draft.getByRole('button', { name: 'Create lesson' }).click();
    await items.getByRole('button', { name: /Move the nightly export/ }).click();
    await page.getByRole('button', { name: 'Skip', exact: true }).click();
    await expect.poll(() => page.getByText(/^\d+ of 3 decided$/).textContent()).toBe('2 of 3 decided');
    await expect
      .poll(() => items.getByRole('button', { name: /ERP API throttling delays/ }).textContent())
      .toContain('Created “Lesson: ERP API throttling delays');
    expect(await items.getByRole('button', { name: /Move the nightly export/ }).textContent()).toContain('Skipped');
    await page.getByRole('button', { name: 'Finish retrospective' }).click();
    await page.getByText(/^Finished /).waitFor();
    await shot(page, 'retrospective-finished');

    // Resumable: the decisions are in the engagement's doc, so a reload shows them again.
    await page.reload();
    await page.getByRole('tablist', { name: 'Lesson sections' }).getByRole('tab', { name: 'Retrospective' }).click();
    await expect.poll(() => page.getByText(/^\d+ of 3 decided$/).textContent()).toBe('2 of 3 decided');

    // The library: both lessons found; the similar pair merged into the first one.
    await page.getByRole('banner').getByRole('link', { name: 'Library' }).click();
    const results = page.getByRole('list', { name: 'Lessons found' });
    await expect.poll(() => results.getByRole('listitem').count()).toBe(2);
    await page
      .getByRole('group', { name: 'Skill area' })
      .getByRole('checkbox', { name: /Production debugging/ })
      .check();
    await expect.poll(() => results.getByRole('listitem').count()).toBe(2);
    await shot(page, 'library');
    await page.getByRole('navigation', { name: 'Library sections' }).getByRole('link', { name: 'Similar lessons' }).click();
    const pairs = page.getByRole('list', { name: 'Similar pairs' });
    await pairs.getByRole('listitem').first().waitFor();
    await shot(page, 'similar');
    await pairs.getByRole('listitem').first().getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge lessons' });
    await dialog.getByRole('radio', { name: /ERP API throttles pick suggestions at the morning wave/ }).check();
    expect(await dialog.getByRole('region', { name: 'What is kept' }).textContent()).toContain('Every evidence link of both');
    await shot(page, 'merge');
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .filter({ hasText: 'Merged into “Lesson: ERP API throttles pick suggestions at the morning wave”' })
      .waitFor();

    await page.getByRole('navigation', { name: 'Library sections' }).getByRole('link', { name: 'Lessons', exact: true }).click();
    await expect.poll(() => results.getByRole('listitem').count()).toBe(1);
    await results.getByRole('button', { name: 'Lesson: ERP API throttles pick suggestions at the morning wave' }).click();
    const detail = page.getByRole('region', { name: 'Lesson: ERP API throttles pick suggestions at the morning wave' });
    const evidence = detail.getByRole('list', { name: 'Evidence' });
    await expect
      .poll(async () => (await evidence.getByRole('link').allTextContents()).sort())
      .toEqual([
        'ERP API throttles pick suggestions at the morning wave',
        'ERP API throttling delays pick suggestions in the morning wave',
      ]);
    await shot(page, 'library-detail');

    // A playbook with a chapter holding the surviving lesson.
    await page.getByRole('navigation', { name: 'Library sections' }).getByRole('link', { name: 'Playbooks' }).click();
    const newPlaybook = page.getByRole('form', { name: 'New playbook' });
    await newPlaybook.getByRole('textbox', { name: 'Playbook title' }).fill('Warehouse deployments');
    await newPlaybook.getByRole('button', { name: 'Create playbook' }).click();
    const playbook = page.getByRole('region', { name: 'Playbook Warehouse deployments' });
    await playbook.waitFor();
    await playbook
      .getByRole('form', { name: 'New chapter' })
      .getByRole('textbox', { name: 'Chapter title' })
      .fill('Integrating with the ERP');
    await playbook.getByRole('button', { name: 'Add chapter' }).click();
    const chapter = playbook.getByRole('group', { name: 'Chapter Integrating with the ERP' });
    await chapter.waitFor();
    await playbook
      .getByRole('region', { name: 'Add lessons from the library' })
      .getByRole('button', { name: /^Add Lesson: ERP API throttles pick suggestions/ })
      .click();
    await chapter
      .getByRole('list', { name: 'Lessons in Integrating with the ERP' })
      .getByRole('link', { name: 'Lesson: ERP API throttles pick suggestions at the morning wave' })
      .waitFor();
    await shot(page, 'playbook');
    await playbook.getByRole('textbox', { name: 'Playbook title' }).scrollIntoViewIfNeeded();
    await shot(page, 'playbook-top');
    await playbook.getByRole('button', { name: 'Export…' }).click();
    const exportDialog = page.getByRole('dialog', { name: /Export/ });
    await exportDialog.waitFor();
    await exportDialog.press('Escape');
    await exportDialog.waitFor({ state: 'detached' });

    // In its engagement, the absorbed lesson says where it went.
    await engagementList(page)
      .getByRole('link', { name: /^HERON/ })
      .click();
    await page.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Lessons' }).click();
    await page
      .getByRole('list', { name: 'Lessons' })
      .getByRole('button', { name: /ERP API throttling delays/ })
      .click();
    await expect
      .poll(() => page.getByRole('note').filter({ hasText: 'Merged into' }).textContent())
      .toContain('“Lesson: ERP API throttles pick suggestions at the morning wave”');
    await shot(page, 'merged-lesson');

    // Turn into lesson on a translation card: the card is the lesson's evidence.
    await page.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Stakeholders' }).click();
    await page.getByRole('tab', { name: /Translation cards/ }).click();
    const newCard = page.getByRole('form', { name: 'New translation card' });
    await newCard.getByRole('textbox', { name: 'Card title' }).fill('Pick suggestions arrive late');
    await newCard.getByRole('button', { name: 'Add card' }).click();
    const card = page.getByRole('region', { name: 'Card Pick suggestions arrive late' });
    await card.getByRole('textbox', { name: 'The precise statement' }).fill('The ERP API throttles us to 5 requests per second.');
    await card.getByRole('button', { name: 'Turn into lesson' }).click();
    const fromCard = page.getByRole('region', { name: 'Lesson Lesson: Pick suggestions arrive late' });
    await fromCard.waitFor();
    await expect.poll(() => fromCard.getByRole('textbox', { name: 'What happened' }).inputValue()).toContain('5 requests per second');
    expect(await fromCard.getByRole('list', { name: 'Evidence' }).getByRole('link').allTextContents()).toEqual([
      'Pick suggestions arrive late',
    ]);
  }, 240_000);
});
