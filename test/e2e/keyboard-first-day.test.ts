import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

/**
 * Presses Tab (or Shift+Tab) until the control is focused, as someone without a mouse would: the
 * locator only tells whether focus has arrived; nothing is clicked or filled.
 */
async function tabTo(page: Page, target: Locator, { back = false, max = 120 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

describe('the first day, from the keyboard alone', () => {
  it('creates an engagement, writes a note, adds a system to the map and finds the note with the palette, with no mouse', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await page.getByRole('heading', { name: /first engagement|Pick an engagement/i }).waitFor();

    // Alt+N: the new engagement dialog takes focus in its first field.
    await page.keyboard.press('Alt+n');
    const dialog = page.getByRole('dialog', { name: 'New engagement' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Client' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Kestrel Freight');
    await tabTo(page, dialog.getByRole('textbox', { name: 'Codename' }));
    await page.keyboard.type('KITE');
    await tabTo(page, dialog.getByRole('button', { name: 'Create engagement' }));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('article').getByRole('heading', { name: 'KITE', level: 2 }).waitFor();

    // A note: the Notes tab, New note, its title and its body.
    const tabs = page.getByRole('navigation', { name: 'Engagement sections' });
    await tabTo(page, tabs.getByRole('link', { name: 'Notes' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('button', { name: 'New note' }));
    await page.keyboard.press('Enter');
    const title = page.getByLabel('Title', { exact: true });
    await title.waitFor();
    await tabTo(page, title);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Dock scanners drop at shift change');
    const body = page.getByRole('textbox', { name: 'Note body' });
    await tabTo(page, body);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('The handhelds lose the quokkaband network when the shift changes.');
    await expect.poll(() => body.textContent()).toContain('quokkaband');

    // The map: Add system, then name it in the side panel.
    await tabTo(page, tabs.getByRole('link', { name: 'Map' }), { back: true });
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('button', { name: 'Add system' }));
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'System properties' });
    await panel.waitFor();
    await tabTo(page, panel.getByRole('textbox', { name: 'Name' }));
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Handheld gateway');
    await expect.poll(() => panel.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Handheld gateway');
    await expect.poll(() => page.getByRole('region', { name: 'Environment map' }).getByText('1 systems').count()).toBe(1);

    // Ctrl+K: the palette says how many results it has, and Enter opens the note.
    await page.keyboard.press('Control+k');
    const search = page.getByRole('combobox', { name: 'Search notes and engagements' });
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('quokkaband');
    await page.getByRole('option', { name: /Dock scanners drop at shift change/ }).waitFor();
    await expect.poll(() => page.getByRole('dialog', { name: 'Search and jump' }).getByRole('status').textContent()).toBe('1 result');
    expect(await search.getAttribute('aria-activedescendant')).toBe(
      await page.getByRole('option', { name: /Dock scanners/ }).getAttribute('id'),
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => title.inputValue()).toBe('Dock scanners drop at shift change');
    await host.stop();
  });
});
