import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanup, closePages, createEngagementInUi, detailsForm, newNotebookDir, newPage, startHost, syncStatus } from './helpers';

afterEach(closePages);
afterAll(cleanup);

const backgroundOf = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const themeOf = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

/**
 * Screenshots for people to look at (/tmp/outpost-e2e-*.png): the empty notebook, the dialog's
 * errors, the engagement view in each theme. What is asserted is only that the theme switch
 * applies each theme and that the choice is remembered.
 */
describe('themes', () => {
  it('shows the engagement view in the light and the dark theme', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage({ colorScheme: 'light' });
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Start your first engagement' }).waitFor();
    await page.screenshot({ path: '/tmp/outpost-e2e-empty.png' });
    await page.getByRole('button', { name: 'Create an engagement' }).click();
    const dialog = page.getByRole('dialog', { name: 'New engagement' });
    await dialog.getByRole('button', { name: 'Create engagement' }).click();
    await dialog.getByRole('alert').waitFor();
    await page.screenshot({ path: '/tmp/outpost-e2e-dialog-error.png' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'HERON', site: 'Reno DC', status: 'Active' });
    await createEngagementInUi(page, { client: 'Borealis Foods', codename: 'KESTREL', site: 'Fresno plant' });
    await page.getByRole('link', { name: /HERON/ }).click();
    const form = detailsForm(page);
    await form.getByLabel('Start date').fill('2026-03-02');
    await form.getByLabel('End date').fill('2026-05-29');
    await form
      .getByRole('textbox', { name: 'Summary' })
      .fill('Pick suggestions for the morning wave.\nSuccess: wave release under 4 minutes, no missed cut-offs.');
    for (const [name, role] of [
      ['Ana Ruiz', 'FDE lead'],
      ['Sam Okafor', 'Data engineer'],
    ] as const) {
      await page.getByRole('textbox', { name: 'New team member name' }).fill(name);
      await page.getByRole('textbox', { name: 'New team member role' }).fill(role);
      await page.getByRole('button', { name: 'Add member' }).click();
    }
    await page.getByRole('button', { name: `Remove Sam Okafor` }).waitFor();
    await expect.poll(() => syncStatus(page).textContent()).toBe('Saved to the notebook');

    const theme = page.getByRole('combobox', { name: 'Theme' });
    await theme.selectOption({ label: 'Light' });
    await expect.poll(() => themeOf(page)).toBe('light');
    const light = await backgroundOf(page);
    await page.screenshot({ path: '/tmp/outpost-e2e-light.png' });

    await theme.selectOption({ label: 'Dark' });
    await expect.poll(() => themeOf(page)).toBe('dark');
    const dark = await backgroundOf(page);
    expect(dark).not.toBe(light);
    await page.screenshot({ path: '/tmp/outpost-e2e-dark.png' });

    // The choice outlives a reload; "System" follows the OS setting.
    await page.reload();
    await detailsForm(page).waitFor();
    expect(await theme.inputValue()).toBe('dark');
    expect(await backgroundOf(page)).toBe(dark);
    await page.emulateMedia({ colorScheme: 'dark' });
    await theme.selectOption({ label: 'System' });
    await expect.poll(() => themeOf(page)).toBe('system');
    expect(await backgroundOf(page)).toBe(dark);
    await page.screenshot({ path: '/tmp/outpost-e2e-system-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await backgroundOf(page)).toBe(light);
    expect(await host.stop()).toBe(0);
  });
});
