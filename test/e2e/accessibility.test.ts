import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import { docIdFor } from '../../shared/ids';
import { addCard, readStakeholders, setRendering } from '../../shared/stakeholders/doc';
import { obsidianVault } from '../fixtures/import-sources';
import { type LessonsFixture, seedLessonsFixture } from '../helpers/lessons-export-fixture';
import { cleanup, type Host, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

/** What a failing scan prints: enough to find the element and the rule without rerunning. */
interface Finding {
  view: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
  summary: string;
}

/**
 * Runs axe-core (every rule it has, WCAG 2.x A/AA and best practices) on the page as it is, and
 * returns the serious and critical violations. Minor and moderate ones are left to people.
 */
async function scan(page: Page, view: string, include?: string): Promise<Finding[]> {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      view,
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
      summary: v.nodes[0]?.failureSummary?.replace(/\s+/g, ' ') ?? '',
    }));
}

function report(findings: Finding[]): string {
  return findings
    .map((f) => `[${f.view}] ${f.id} (${f.impact}): ${f.help}\n    ${f.summary}\n    at ${f.targets.slice(0, 6).join('\n       ')}`)
    .join('\n');
}

async function seed(): Promise<{ dir: string; fixture: LessonsFixture }> {
  const dir = await newNotebookDir();
  const notebook = await Notebook.open(dir, { kind: 'e2e seed' });
  const fixture = await seedLessonsFixture(notebook);
  // A translation card with a rendering for the stakeholder, so the Brief dialog has something to show.
  const doc = await notebook.docs.open(docIdFor('engagement', fixture.acme));
  const maria = readStakeholders(doc).stakeholders.find((s) => s.name === 'Maria Lopez');
  if (!maria) throw new Error('The fixture has no Maria Lopez');
  const card = addCard(doc, { title: 'Pick suggestions arrive late', finding: 'The ERP API throttles us to 5 requests per second.' });
  setRendering(doc, card, { type: 'stakeholder', id: maria.id }, { explanation: 'Pick suggestions arrive late in the morning wave.' });
  await notebook.docs.flush();
  await notebook.close();
  return { dir, fixture };
}

/** Waits for `locator`, then lets pending renders and transitions settle before the scan. */
async function ready(page: Page, locator: Locator) {
  await locator.first().waitFor();
  await page.waitForTimeout(250);
}

/** --bg of each theme in renderer/styles.css: proof that the scan saw the theme it names. */
const BACKGROUNDS = { light: 'rgb(247, 247, 245)', dark: 'rgb(22, 24, 27)' };

async function scanEveryView(page: Page, host: Host, f: LessonsFixture, theme: 'light' | 'dark'): Promise<Finding[]> {
  const findings: Finding[] = [];
  const go = async (hash: string) => page.goto(`${host.url}${hash}`);
  const view = (name: string) => `${theme} · ${name}`;
  const acme = `#/engagements/${f.acme}`;

  await go(acme);
  await ready(page, page.getByRole('form', { name: 'Engagement details' }));
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(BACKGROUNDS[theme]);
  findings.push(...(await scan(page, view('engagement overview'))));

  await go(`${acme}/notes`);
  await ready(page, page.getByRole('link', { name: 'Reno DC outage with Maria Lopez' }));
  findings.push(...(await scan(page, view('notes list'))));

  await page.getByRole('button', { name: 'Import notes…' }).click();
  const importDialog = page.getByRole('dialog', { name: /^Import notes into/ });
  await importDialog
    .getByRole('textbox', { name: 'Folder or file' })
    .fill(obsidianVault(fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-a11y-vault-'))));
  await importDialog.getByRole('button', { name: 'Preview' }).click();
  await ready(page, importDialog.getByRole('region', { name: 'Import preview' }));
  findings.push(...(await scan(page, view('import dialog'))));
  await page.keyboard.press('Escape');
  await importDialog.waitFor({ state: 'detached' });

  await go(`${acme}/notes/${f.notes.open}`);
  await ready(page, page.getByRole('textbox', { name: 'Note body' }));
  findings.push(...(await scan(page, view('a note'))));

  await go(`${acme}/map`);
  await ready(page, page.getByRole('group', { name: 'System SAP ECC Reno' }));
  findings.push(...(await scan(page, view('map'))));

  await go(`${acme}/stakeholders`);
  const stakeholders = page.getByRole('region', { name: 'Stakeholders' });
  await ready(page, stakeholders.getByRole('form', { name: 'Add a stakeholder' }));
  findings.push(...(await scan(page, view('stakeholders'))));

  await stakeholders.getByRole('button', { name: 'Brief…' }).click();
  const brief = page.getByRole('dialog', { name: 'Brief' });
  await ready(page, brief.getByRole('region', { name: 'Brief preview' }));
  findings.push(...(await scan(page, view('brief dialog'))));
  await page.keyboard.press('Escape');
  await brief.waitFor({ state: 'detached' });

  await go(`${acme}/lessons`);
  await ready(page, page.getByText(/SAP ECC Reno locks at shift change/));
  findings.push(...(await scan(page, view('lessons'))));

  await go('#/library');
  await ready(page, page.getByText(/SAP ECC Reno locks at shift change/));
  findings.push(...(await scan(page, view('library'))));

  await go(`#/library/playbooks/${f.playbookId}`);
  await page.getByRole('button', { name: 'Export…' }).click();
  const exportDialog = page.getByRole('dialog', { name: /^Export/ });
  await ready(page, exportDialog.getByRole('table', { name: 'Replacements' }));
  findings.push(...(await scan(page, view('export dialog'))));
  await page.keyboard.press('Escape');
  await exportDialog.waitFor({ state: 'detached' });

  await go('#/sync');
  await ready(page, page.getByRole('heading', { name: 'Trusted devices' }));
  findings.push(...(await scan(page, view('sync'))));

  await page.getByRole('banner').getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await ready(page, settings);
  findings.push(...(await scan(page, view('settings'))));
  await page.keyboard.press('Escape');
  await settings.waitFor({ state: 'detached' });

  await go(acme);
  await ready(page, page.getByRole('form', { name: 'Engagement details' }));
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Search notes and engagements' }).fill('Reno');
  await ready(page, page.getByRole('listbox', { name: 'Results' }).getByRole('option'));
  findings.push(...(await scan(page, view('command palette'))));
  return findings;
}

describe('accessibility (axe-core) of every view', () => {
  it('has no serious or critical violations in the light and the dark theme', async () => {
    const { dir, fixture } = await seed();
    const host = await startHost(dir);
    const findings: Finding[] = [];
    for (const theme of ['light', 'dark'] as const) {
      // The theme follows the OS by default: emulate each OS setting, as a user's system would set it.
      const page = await newPage({ colorScheme: theme });
      findings.push(...(await scanEveryView(page, host, fixture, theme)));
      await page.context().close();
    }
    if (findings.length) console.error(`axe-core found ${findings.length} serious or critical violations:\n${report(findings)}`);
    expect(findings.map((f) => `${f.view}: ${f.id}`)).toEqual([]);
    expect(await host.stop()).toBe(0);
  }, 240_000);
});
