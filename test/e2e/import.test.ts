import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { obsidianVault } from '../fixtures/import-sources';
import { cleanup, cli, engagementList, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

describe('importing notes from another tool', () => {
  it('previews an Obsidian vault, imports it, finds a word from it with Ctrl+K and follows an imported link', async () => {
    const dir = await newNotebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON')).code).toBe(0);
    const vault = obsidianVault(fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-vault-')));

    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await engagementList(page)
      .getByRole('link', { name: /^HERON/ })
      .click();
    await page.getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('button', { name: 'Import notes…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import notes into HERON' });
    await dialog.getByRole('combobox', { name: 'Source' }).selectOption({ label: 'Obsidian vault' });

    // A path that is not there: a clear refusal, nothing imported.
    await dialog.getByRole('textbox', { name: 'Folder or file' }).fill(path.join(vault, 'missing'));
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/missing/);

    await dialog.getByRole('textbox', { name: 'Folder or file' }).fill(vault);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByRole('region', { name: 'Import preview' });
    await preview.waitFor();
    expect(await preview.textContent()).toContain('Would import 3 notes: 3 new');
    expect(await preview.getByRole('row', { name: /Welcome\.md/ }).textContent()).toContain('Link [[Nowhere]] kept as text');
    await page.screenshot({ path: '/tmp/outpost-import-preview.png' });
    await dialog.getByRole('button', { name: 'Import 3 notes' }).click();
    const result = dialog.getByRole('region', { name: 'Import result' });
    await result.waitFor();
    expect(await result.textContent()).toContain('Imported 3 notes: 3 new');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('list', { name: 'Notes of this engagement' })
      .getByRole('link', { name: /Pump tuning/ })
      .waitFor();

    // A word from the vault is found at once, and the imported [[link]] leads to its note.
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search notes and engagements' }).fill('zanzibar');
    await page.getByRole('option', { name: /Pump tuning/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Pump tuning');
    const body = page.getByRole('textbox', { name: 'Note body' });
    await body.locator('a.note-link').first().click();
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Welcome aboard');
    await host.stop();
  });
});
