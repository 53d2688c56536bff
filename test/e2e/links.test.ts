import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, engagementList, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

describe('links in a note leave the app only on purpose', () => {
  it('opens nothing in offline mode; once allowed, asks naming the host before opening; a javascript: link is inert', async () => {
    const dir = await newNotebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON')).code).toBe(0);
    const body = path.join(dir, 'body.md');
    fs.writeFileSync(body, 'Vendor docs: [ERP manual](https://docs.vendor.example/erp) and [free prize](javascript:alert(1)).\n');
    expect(
      (await cli(dir, 'notes', 'add', '--engagement', 'HERON', '--type', 'general', '--title', 'Links', '--body-file', body)).code,
    ).toBe(0);

    const host = await startHost(dir);
    const page = await newPage();
    const dialogs: string[] = [];
    const popups: string[] = [];
    // What leaves the app is seen as a request of the browser (there is no network here to answer).
    page.context().on('request', (request) => {
      if (!request.url().startsWith(host.origin)) popups.push(request.url());
    });
    await page.goto(host.url);
    await engagementList(page)
      .getByRole('link', { name: /^HERON/ })
      .click();
    await page.getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('link', { name: /Links/ }).click();
    const note = page.getByRole('textbox', { name: 'Note body' });
    const manual = note.getByRole('link', { name: 'ERP manual' });
    await manual.waitFor();
    // The script link lost its href on the way in; only its text is left.
    expect(await note.locator('a', { hasText: 'free prize' }).count()).toBe(0);
    await expect.poll(() => note.textContent()).toContain('free prize');

    // Offline mode (the default): a Ctrl+click says why nothing opens.
    await manual.click({ modifiers: ['Control'] });
    await page.getByText(/Outpost is in offline mode: it opens nothing outside the app/).waitFor();
    expect(popups).toEqual([]);

    // Allowed in Settings: the page asks, naming the host, and opens only when confirmed.
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Notebook settings' });
    await settings.getByRole('checkbox', { name: /Open a note’s links in my browser/ }).check();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.waitFor({ state: 'detached' });

    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await manual.click({ modifiers: ['Control'] });
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toContain('Open docs.vendor.example in your browser?');
    expect(popups).toEqual([]);

    page.once('dialog', (dialog) => void dialog.accept());
    await manual.click({ modifiers: ['Control'] });
    await expect.poll(() => popups).toEqual(['https://docs.vendor.example/erp']);
    // A plain click edits: it opens nothing.
    await manual.click();
    expect(popups).toHaveLength(1);
    await host.stop();
  });
});
