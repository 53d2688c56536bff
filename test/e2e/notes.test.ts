import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, createEngagementInUi, newNotebookDir, newPage, sameViewOn, startHost } from './helpers';

afterAll(cleanup);

/** A 1×1 PNG, as a user's screenshot would be pasted. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('notes in the browser twin', () => {
  it('writes an incident from its template, finds it from the palette, links notes both ways, pastes an image', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'HERON' });
    await page.getByRole('link', { name: 'Notes' }).click();

    // A runbook to link to later.
    await page.getByLabel('New note type').selectOption({ label: 'Runbook' });
    await page.getByRole('button', { name: 'New note' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Restart the ERP bridge');
    const body = page.getByRole('textbox', { name: 'Note body' });
    await expect.poll(() => body.textContent()).toContain('Rollback');
    await page.getByRole('link', { name: /All notes of HERON/ }).click();

    // An incident: the template gives its structure.
    await page.getByLabel('New note type').selectOption({ label: 'Incident / debug session' });
    await page.getByRole('button', { name: 'New note' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Late picks at wave release');
    await expect.poll(() => body.textContent()).toContain('Root cause');
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('The ERP throttles the pick API to five requests per second. See ');
    await page.keyboard.type('[[Restart');
    const option = page.getByRole('option', { name: /Restart the ERP bridge/ });
    await option.waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => body.textContent()).toContain('[[Restart the ERP bridge]]');

    // Paste a screenshot: it is stored in the notebook and shown inline.
    await body.evaluate((element, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'error-dialog.png', { type: 'image/png' }));
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PNG_BASE64);
    const image = body.locator('img[alt="error-dialog.png"]');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await page.getByText('Saved to the notebook').waitFor();

    // Search as you type from the palette, and jump.
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search notes and engagements' }).fill('throttl');
    const hit = page.getByRole('option', { name: /Late picks at wave release/ });
    await expect.poll(() => hit.textContent(), { timeout: 10_000 }).toContain('throttles');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: /All notes of HERON/ }).click();
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search notes and engagements' }).fill('five requests');
    await page.getByRole('option', { name: /Late picks at wave release/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Late picks at wave release');

    // Follow the link, then come back through the backlink.
    await body.locator('a.note-link').click();
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Restart the ERP bridge');
    const backlinks = page.getByRole('region', { name: 'Linked from' });
    await backlinks.getByRole('link', { name: 'Late picks at wave release' }).click();
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Late picks at wave release');

    await host.stop();
    const shown = await cli(dir, 'notes', 'show', 'Late picks at wave release');
    expect(shown.stdout).toContain('## Root cause');
    expect(shown.stdout).toContain('five requests per second. See [[Restart the ERP bridge]]');
    expect(shown.stdout).toMatch(/!\[error-dialog\.png\]\(attachments\/[0-9a-f]{64}\)/);
  });

  it('converges when two tabs type into the same note at once', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const a = await newPage();
    const b = await newPage();
    await a.goto(host.url);
    await createEngagementInUi(a, { client: 'Acme', codename: 'HERON' });
    await a.getByRole('link', { name: 'Notes' }).click();
    await a.getByLabel('New note type').selectOption({ label: 'Note' });
    await a.getByRole('button', { name: 'New note' }).click();
    const bodyA = a.getByRole('textbox', { name: 'Note body' });
    await bodyA.waitFor();
    await b.goto(sameViewOn(host, a));
    const bodyB = b.getByRole('textbox', { name: 'Note body' });
    await bodyB.waitFor();

    await bodyA.click();
    await bodyB.click();
    await Promise.all([a.keyboard.type('alpha from A. ', { delay: 15 }), b.keyboard.type('beta from B. ', { delay: 15 })]);
    // Both typed at the same spot at once: the CRDT may interleave the two runs of keystrokes, but
    // both tabs must end with the same text, and no keystroke may be lost. (The ProseMirror binding
    // can occasionally repeat one character at the collision point: yjs/y-prosemirror#161.)
    const texts = async () => [await bodyA.textContent(), await bodyB.textContent()];
    await expect.poll(async () => new Set(await texts()).size).toBe(1);
    const [converged] = await texts();
    const count = (text: string) => [...text].reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());
    const have = count(converged ?? '');
    for (const [char, n] of count('alpha from A. beta from B. '))
      expect(have.get(char) ?? 0, `"${char}" in ${converged}`).toBeGreaterThanOrEqual(n);
    await host.stop();
  });
});
