import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTeamKeyFile } from '../../electron/sync/secret-files';
import { cleanup, cli, engagementList, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-history-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('note history in the browser twin', () => {
  it('lists an imported version and a local edit, shows what changed since, and restores the imported one', async () => {
    // Versions split at imports (one device's edits within ten minutes form one): Ana writes the
    // note, Ben imports it and edits it in the UI, so Ben's note has two versions.
    const [dirA, dirB] = [await newNotebookDir(), await newNotebookDir()];
    await cli(dirA, 'device', 'name', "Ana's laptop");
    await cli(dirB, 'device', 'name', "Ben's laptop");
    const key = path.join(work, 'team.key');
    createTeamKeyFile(key);
    expect((await cli(dirA, 'engagements', 'create', '--client', 'Acme Logistics', '--codename', 'HERON')).code).toBe(0);
    const bodyFile = path.join(work, 'note.md');
    fs.writeFileSync(bodyFile, 'Valve 3 sticks at 40 psi.\n\nPressure drops after the night shift.\n');
    const add = await cli(
      dirA,
      'notes',
      'add',
      '--engagement',
      'HERON',
      '--type',
      'general',
      '--title',
      'Pump log',
      '--body-file',
      bodyFile,
    );
    expect(add.code).toBe(0);
    const bundle = path.join(work, 'heron.outpost');
    expect((await cli(dirA, 'bundle', 'export', '--engagement', 'HERON', '--key-file', key, '-o', bundle)).code).toBe(0);
    expect((await cli(dirB, 'bundle', 'import', bundle, '--key-file', key, '--trust')).code).toBe(0);

    const host = await startHost(dirB);
    const page = await newPage();
    await page.goto(host.url);
    await engagementList(page)
      .getByRole('link', { name: /^HERON/ })
      .click();
    await page.getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('link', { name: /Pump log/ }).click();
    const body = page.getByRole('textbox', { name: 'Note body' });
    await expect.poll(() => body.textContent()).toContain('Valve 3 sticks');
    await page.getByLabel('Title', { exact: true }).fill('Pump log: valve 3');
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Replaced the seal; holds at 60 psi.');
    await expect.poll(() => body.textContent()).toContain('holds at 60 psi');
    await page.getByText('Saved to the notebook').waitFor();

    await page.getByRole('button', { name: 'History' }).click();
    const dialog = page.getByRole('dialog', { name: 'History of Pump log: valve 3' });
    await dialog.waitFor();
    const versions = dialog.getByRole('list', { name: 'Versions' }).getByRole('button');
    await expect.poll(() => versions.count()).toBe(2);
    const [edited, imported] = [versions.nth(0), versions.nth(1)];
    expect(await edited.textContent()).toMatch(/^Edited · current.*by Ben's laptop · \d+ changes?$/);
    expect(await imported.textContent()).toMatch(/^Imported.*from Ana's laptop · \d+ changes?$/);
    // The version before the current one is shown first: what changed since it.
    expect(await imported.getAttribute('aria-pressed')).toBe('true');
    const changes = dialog.getByRole('region', { name: 'Changes since this version' });
    const marked = async (tag: 'ins' | 'del') => (await changes.locator(tag).allTextContents()).filter((line) => line.trim());
    await expect.poll(() => marked('ins')).toEqual(['# Pump log: valve 3', 'Replaced the seal; holds at 60 psi.']);
    expect(await marked('del')).toEqual(['# Pump log']);
    const restore = dialog.getByRole('button', { name: 'Restore this version' });
    expect(await restore.getAttribute('aria-describedby')).toBeTruthy();
    expect(await dialog.textContent()).toContain("Brings back this version's title and text as a new edit; nothing is lost.");
    await page.screenshot({ path: '/tmp/outpost-history.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: '/tmp/outpost-history-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    // The current version has nothing to restore.
    await edited.click();
    expect(await edited.getAttribute('aria-pressed')).toBe('true');
    await dialog.getByText('This is the note as it is now.').waitFor();
    expect(await restore.count()).toBe(0);

    await imported.click();
    await restore.click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => body.textContent()).not.toContain('holds at 60 psi');
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Pump log');
    expect(await body.textContent()).toContain('Pressure drops after the night shift.');

    // Nothing was lost: the restore is a third version, after the edit.
    await page.getByRole('button', { name: 'History' }).click();
    await expect
      .poll(() =>
        page.getByRole('dialog', { name: 'History of Pump log' }).getByRole('list', { name: 'Versions' }).getByRole('button').count(),
      )
      .toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Escape');
    await host.stop();
    const shown = await cli(dirB, 'notes', 'show', 'Pump log');
    expect(shown.stdout).not.toContain('holds at 60 psi');
  });
});
