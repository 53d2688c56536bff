import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, createEngagementInUi, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

const TIMESTAMPED_LINE = /\d{2}:\d{2} — /g;

describe('quick field-log capture', () => {
  it('opens today’s field log from the shortcut and from the desktop app’s capture route, one note per day', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'HERON' });

    // The in-window shortcut: today's log is created and a timestamped line is ready to type on.
    await page.keyboard.press('Control+Shift+L');
    const body = page.getByRole('textbox', { name: 'Note body' });
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toMatch(/^Field log \d{4}-\d{2}-\d{2}$/);
    await expect.poll(async () => ((await body.textContent()) ?? '').match(TIMESTAMPED_LINE)?.length ?? 0).toBe(1);
    await page.keyboard.type('scanner firmware 4.2 on dock 3');
    await expect.poll(() => body.textContent()).toMatch(/\d{2}:\d{2} — scanner firmware 4\.2 on dock 3/);

    // A window opened by the system-wide shortcut (Electron) lands on #/capture: same note, one more line.
    const second = await newPage();
    await second.goto(`${host.url}#/capture`);
    const secondBody = second.getByRole('textbox', { name: 'Note body' });
    await expect.poll(async () => ((await secondBody.textContent()) ?? '').match(TIMESTAMPED_LINE)?.length ?? 0).toBe(2);
    await expect.poll(() => secondBody.textContent()).toContain('scanner firmware 4.2 on dock 3');
    await expect.poll(() => second.evaluate(() => location.hash)).toMatch(/^#\/engagements\/[0-9a-f-]+\/notes\/[0-9a-f-]+$/);

    // Still one field log for today in the list.
    await second.getByRole('link', { name: /All notes of HERON/ }).click();
    await expect.poll(() => second.locator('ul[aria-label="Notes of this engagement"] li', { hasText: 'Field log' }).count()).toBe(1);
  });
});
