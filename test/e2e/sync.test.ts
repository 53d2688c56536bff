import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createTeamKeyFile } from '../../electron/sync/secret-files';
import { signIn } from '../helpers/host-session';
import {
  cleanup,
  cli,
  createEngagementInUi,
  engagementList,
  newNotebookDir,
  newPage,
  noteTitles,
  openSync,
  startHost,
  writeNote,
} from './helpers';

afterAll(cleanup);

const PASSPHRASE = 'river otter lantern forty-two';
const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-bundles-'));
afterAll(() => fs.rmSync(downloads, { recursive: true, force: true }));

/** Exports through the Sync view and returns where the downloaded bundle was saved. */
async function exportBundle(page: Page, codenames: string[], options: { peer?: string } = {}): Promise<string> {
  await openSync(page);
  const form = page.getByRole('form', { name: 'Export a bundle' });
  for (const codename of codenames) await form.getByRole('checkbox', { name: new RegExp(`^${codename}\\b`) }).check();
  if (options.peer) {
    await form.getByRole('radio', { name: 'Only what a peer lacks' }).check();
    const select = form.getByRole('combobox', { name: 'Peer' });
    const labels = await select.getByRole('option').allTextContents();
    await select.selectOption({ index: labels.findIndex((label) => label.startsWith(options.peer as string)) });
  }
  await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await form.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Export bundle' }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${codenames.join('\\+')}-\\d{4}-\\d\\d-\\d\\d\\.outpost$`));
  const file = path.join(fs.mkdtempSync(path.join(downloads, 'download-')), download.suggestedFilename());
  await download.saveAs(file);
  await form.getByRole('status').getByText(`Exported ${download.suggestedFilename()}`).waitFor();
  return file;
}

/** Picks a bundle file in the Sync view's import form and waits for its header. */
async function pickBundle(page: Page, file: string) {
  await openSync(page);
  const form = page.getByRole('form', { name: 'Import a bundle' });
  await form.getByLabel('Bundle file').setInputFiles(file);
  const header = form.getByRole('region', { name: 'Bundle header' });
  await header.waitFor();
  return { form, header };
}

describe('sync view: merge two notebooks by bundle files', () => {
  it('carries notes both ways through exported and imported bundles, refusing a wrong passphrase', async () => {
    const dirA = await newNotebookDir();
    const dirB = await newNotebookDir();
    expect((await cli(dirA, 'device', 'name', "Ana's laptop")).code).toBe(0);
    expect((await cli(dirB, 'device', 'name', "Ben's laptop")).code).toBe(0);
    const [hostA, hostB] = await Promise.all([startHost(dirA), startHost(dirB)]);
    const a = await newPage();
    const b = await newPage();
    await a.goto(hostA.url);
    await b.goto(hostB.url);

    // Each engineer works on their own, with no connection between the notebooks.
    await createEngagementInUi(a, { client: 'Acme Logistics', codename: 'HERON' });
    await writeNote(a, 'Pump station log', 'Valve 3 sticks at 40 psi.');
    await createEngagementInUi(b, { client: 'Kestrel Freight', codename: 'KITE' });
    await writeNote(b, 'Dock door sensors', 'Door 7 reports open while closed.');

    // A → B: export HERON with a passphrase, carry the file, preview and trust in B, import.
    const fromA = await exportBundle(a, ['HERON']);
    const intoB = await pickBundle(b, fromA);
    await expect.poll(() => intoB.header.textContent()).toContain("Ana's laptop");
    const headerText = (await intoB.header.textContent()) ?? '';
    expect(headerText).toContain('Not trusted yet');
    expect(headerText).toContain('HERON (up to');
    const fingerprint = /Key fingerprint([0-9a-f]{4}(?: [0-9a-f]{4}){7})/.exec(headerText)?.[1];
    expect(fingerprint).toBeTruthy();
    await intoB.form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await intoB.form.getByRole('button', { name: 'Preview' }).click();
    const previewB = intoB.form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => previewB.textContent()).toContain('New note “Pump station log”');
    expect(await previewB.textContent()).toContain('New engagement HERON');
    await b.setViewportSize({ width: 1280, height: 1400 });
    await b.screenshot({ path: '/tmp/outpost-sync-preview.png' });
    await b.setViewportSize({ width: 1280, height: 860 });
    const importButton = intoB.form.getByRole('button', { name: 'Import', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    await intoB.form.getByRole('checkbox', { name: `Trust this device (fingerprint ${fingerprint})` }).check();
    await importButton.click();
    await intoB.form.getByRole('status').getByText("Imported from Ana's laptop").waitFor();
    expect(await noteTitles(b, 'HERON')).toEqual(['Pump station log']);
    await b.getByRole('link', { name: /Pump station log/ }).click();
    await expect.poll(() => b.getByRole('textbox', { name: 'Note body' }).textContent()).toContain('Valve 3 sticks at 40 psi.');

    // B → A: only what A's device lacks, so HERON (which A wrote) is not sent back in full.
    const fromB = await exportBundle(b, ['HERON', 'KITE'], { peer: "Ana's laptop" });
    const intoA = await pickBundle(a, fromB);
    await expect.poll(() => intoA.header.textContent()).toContain("Ben's laptop");
    expect(await intoA.header.textContent()).toContain('only what this notebook lacked');

    // A wrong passphrase: the server's message, nothing imported, nothing recorded.
    await intoA.form.getByLabel('Passphrase', { exact: true }).fill('not the passphrase at all');
    await intoA.form.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => intoA.form.getByRole('alert').textContent()).toContain('Wrong passphrase or key');
    expect(await intoA.form.getByRole('region', { name: 'Preview' }).count()).toBe(0);
    expect(await engagementList(a).getByRole('link', { name: /^KITE/ }).count()).toBe(0);
    expect(await a.getByRole('table', { name: 'Bundles sent and received' }).getByRole('cell', { name: 'Received' }).count()).toBe(0);

    await intoA.form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await intoA.form.getByRole('button', { name: 'Preview' }).click();
    const previewA = intoA.form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => previewA.textContent()).toContain('New note “Dock door sensors”');
    expect(await previewA.textContent()).not.toContain('Pump station log');
    await intoA.form.getByRole('checkbox', { name: /^Trust this device \(fingerprint/ }).check();
    await intoA.form.getByRole('button', { name: 'Import', exact: true }).click();
    await intoA.form.getByRole('status').getByText("Imported from Ben's laptop").waitFor();

    // The ledger and the trusted devices, as A sees them.
    const ledger = a.getByRole('table', { name: 'Bundles sent and received' });
    await expect.poll(() => ledger.getByRole('row').count()).toBe(3);
    // The row names engagements by the codenames in A's engagement list, which learns of KITE once
    // the import's projections have caught up (after the ledger row shows): polled.
    await expect.poll(() => ledger.getByRole('row', { name: /Received Ben's laptop/ }).textContent()).toContain('HERON, KITE');
    expect(await ledger.getByRole('row', { name: /^Sent Anyone/ }).count()).toBe(1);
    const trusted = a.getByRole('list', { name: 'Trusted devices' });
    await expect.poll(() => trusted.textContent()).toContain("Ben's laptop");
    // The whole view at once (the app scrolls inside <main>, so make the window tall enough).
    await a.setViewportSize({ width: 1280, height: 1800 });
    await a.getByRole('main').evaluate((main) => main.scrollTo(0, 0));
    await a.screenshot({ path: '/tmp/outpost-sync.png' });
    await a.setViewportSize({ width: 1280, height: 860 });

    // A team key file is read in the browser; a file that is not one is named as such.
    const keyFile = path.join(downloads, 'team.key');
    const keyId = createTeamKeyFile(keyFile);
    const exportForm = a.getByRole('form', { name: 'Export a bundle' });
    await exportForm.getByRole('radio', { name: 'A team key file' }).check();
    await exportForm.getByLabel('Team key file', { exact: true }).setInputFiles(fromA);
    await exportForm.getByText('This is not an Outpost team key file').waitFor();
    await exportForm.getByLabel('Team key file', { exact: true }).setInputFiles(keyFile);
    await exportForm.getByText(`Team key ${keyId} (team.key)`).waitFor();

    // Both notebooks now hold both notes.
    expect(await noteTitles(a, 'KITE')).toEqual(['Dock door sensors']);
    expect(await noteTitles(a, 'HERON')).toEqual(['Pump station log']);
    expect(await noteTitles(b, 'KITE')).toEqual(['Dock door sensors']);

    // Revoking a device (after a confirmation) refuses its bundles, even one imported before.
    await openSync(b);
    await b.getByRole('button', { name: "Revoke Ana's laptop" }).click();
    const confirm = b.getByRole('dialog', { name: "Revoke Ana's laptop?" });
    await confirm.getByRole('button', { name: 'Revoke device' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => b.getByRole('list', { name: 'Trusted devices' }).textContent()).toContain('Revoked on');
    const again = await pickBundle(b, fromA);
    await expect.poll(() => again.header.textContent()).toContain('Revoked');
    expect(await again.form.getByRole('button', { name: 'Preview' }).isDisabled()).toBe(true);

    // The download path: no session is 401, unknown tokens are 404, other sites are refused.
    const token = 'A'.repeat(43);
    const { cookie } = await signIn(hostA.url);
    expect((await fetch(`${hostA.origin}bundles/${token}`)).status).toBe(401);
    expect((await fetch(`${hostA.origin}bundles/${token}`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${hostA.origin}bundles/${token}`, { headers: { cookie, 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect((await fetch(`${hostA.origin}bundles/${token}`, { method: 'POST', headers: { cookie } })).status).toBe(405);

    await Promise.all([hostA.stop(), hostB.stop()]);
  });

  it('lists a title both engineers changed at once after an import, and restores the other one in one click', async () => {
    const [dirA, dirB, work] = [await newNotebookDir(), await newNotebookDir(), fs.mkdtempSync(path.join(downloads, 'conflict-'))];
    await cli(dirA, 'device', 'name', "Ana's laptop");
    await cli(dirB, 'device', 'name', "Ben's laptop");
    // Both start from the same note (carried once by the CLI, B trusting A's key).
    const key = path.join(work, 'team.key');
    createTeamKeyFile(key);
    await cli(dirA, 'engagements', 'create', '--client', 'Acme Logistics', '--codename', 'HERON');
    const body = path.join(work, 'note.md');
    fs.writeFileSync(body, 'Valve 3 sticks at 40 psi.\n');
    expect(
      (await cli(dirA, 'notes', 'add', '--engagement', 'HERON', '--type', 'general', '--title', 'Pump log', '--body-file', body)).code,
    ).toBe(0);
    const first = path.join(work, 'first.outpost');
    expect((await cli(dirA, 'bundle', 'export', '--engagement', 'HERON', '--key-file', key, '-o', first)).code).toBe(0);
    expect((await cli(dirB, 'bundle', 'import', first, '--key-file', key, '--trust')).code).toBe(0);

    const [hostA, hostB] = await Promise.all([startHost(dirA), startHost(dirB)]);
    const a = await newPage();
    const b = await newPage();
    await a.goto(hostA.url);
    await b.goto(hostB.url);
    // Offline, each renames the note.
    for (const [page, title] of [
      [a, 'Pump log: valve 3'],
      [b, 'Pump station 2 log'],
    ] as const) {
      await engagementList(page)
        .getByRole('link', { name: /^HERON/ })
        .click();
      await page.getByRole('link', { name: 'Notes' }).click();
      await page.getByRole('link', { name: /Pump log/ }).click();
      await page.getByLabel('Title', { exact: true }).fill(title);
      await page.getByLabel('Title', { exact: true }).press('Tab');
      await expect.poll(() => noteTitles(page, 'HERON')).toEqual([title]);
    }

    const fromA = await exportBundle(a, ['HERON']);
    const intoB = await pickBundle(b, fromA);
    await intoB.form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await intoB.form.getByRole('button', { name: 'Preview' }).click();
    await intoB.form.getByRole('region', { name: 'Preview' }).waitFor();
    await intoB.form.getByRole('button', { name: 'Import', exact: true }).click();
    await intoB.form.getByRole('status').getByText("Imported from Ana's laptop").waitFor();

    const review = b.getByRole('list', { name: 'Changes made on both sides' });
    const item = review.getByRole('listitem');
    await expect.poll(() => item.count()).toBe(1);
    const shown = (await noteTitles(b, 'HERON'))[0] as string;
    const other = shown === 'Pump log: valve 3' ? 'Pump station 2 log' : 'Pump log: valve 3';
    await openSync(b);
    expect(await item.textContent()).toContain(other);
    await item.scrollIntoViewIfNeeded();
    await b.screenshot({ path: '/tmp/outpost-conflicts.png' });
    await item.getByRole('button', { name: `Restore “${other}”` }).click();
    await expect.poll(() => review.count()).toBe(0);
    await expect.poll(() => noteTitles(b, 'HERON')).toEqual([other]);
    await Promise.all([hostA.stop(), hostB.stop()]);
  });
});
