import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  cliJson,
  closePages,
  createEngagementInUi,
  engagementList,
  newNotebookDir,
  newPage,
  readDetails,
  startHost,
  syncStatus,
} from './helpers';

afterEach(closePages);
afterAll(cleanup);

const HERON = { client: 'Acme Logistics', codename: 'HERON', site: 'Reno DC', status: 'Active' };
const HERON_DETAILS = { client: 'Acme Logistics', codename: 'HERON', site: 'Reno DC', status: 'active' };

describe('engagements in the browser', () => {
  it('creates an engagement on an empty notebook; it survives a reload and a restart of the host', async () => {
    const dir = await newNotebookDir();
    let host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Start your first engagement' }).waitFor();
    expect(await engagementList(page).getByRole('link').count()).toBe(0);

    await page.getByRole('button', { name: 'Create an engagement' }).click();
    await page.getByRole('dialog', { name: 'New engagement' }).getByRole('button', { name: 'Cancel' }).click();
    await createEngagementInUi(page, HERON);

    // Listed in the sidebar (and marked as the current one), and shown.
    const link = engagementList(page).getByRole('link', { name: /HERON/ });
    await expect.poll(() => link.textContent()).toMatch(/HERON.*Acme Logistics · Reno DC.*Active/);
    expect(await link.getAttribute('aria-current')).toBe('page');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^#\/engagements\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new URL(page.url()).hash).toBe(href);
    expect(await readDetails(page)).toMatchObject(HERON_DETAILS);
    await page.getByRole('textbox', { name: 'Summary' }).fill('Pick suggestions for the morning wave.');
    await expect.poll(() => syncStatus(page).textContent()).toBe('Saved to the notebook');

    await page.reload();
    await page.getByRole('heading', { name: 'HERON', level: 2 }).waitFor();
    await expect.poll(() => readDetails(page)).toEqual({ ...HERON_DETAILS, summary: 'Pick suggestions for the morning wave.' });

    expect(await host.stop()).toBe(0);
    host = await startHost(dir);
    // A new browser profile: what it shows can only come from the notebook, not from the first
    // page's IndexedDB replica.
    const fresh = await newPage();
    await fresh.goto(host.url);
    await fresh.getByRole('heading', { name: 'Pick an engagement' }).waitFor();
    const again = engagementList(fresh).getByRole('link', { name: /HERON/ });
    expect(await again.textContent()).toMatch(/HERON.*Acme Logistics · Reno DC.*Active/);
    expect(await again.getAttribute('href')).toBe(href);
    await again.click();
    await expect.poll(() => readDetails(fresh)).toEqual({ ...HERON_DETAILS, summary: 'Pick suggestions for the morning wave.' });
    expect(await host.stop()).toBe(0);
  });

  it('shows why an invalid engagement was refused, and creates nothing', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme', codename: 'HERON' });
    const links = engagementList(page).getByRole('link');
    expect(await links.count()).toBe(1);

    // No client: refused in the dialog, which stays open with the problem listed.
    await page.keyboard.press('Alt+N');
    const dialog = page.getByRole('dialog', { name: 'New engagement' });
    await dialog.getByRole('textbox', { name: 'Codename' }).fill('KESTREL');
    await dialog.getByRole('button', { name: 'Create engagement' }).click();
    const alert = dialog.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('The engagement was not created:');
    expect(await alert.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Name the client')]);
    expect(await dialog.isVisible()).toBe(true);

    // A codename already taken (in another case): refused by the notebook.
    await dialog.getByRole('textbox', { name: 'Client' }).fill('Other client');
    await dialog.getByRole('textbox', { name: 'Codename' }).fill('heron');
    await dialog.getByRole('button', { name: 'Create engagement' }).click();
    await expect.poll(() => alert.textContent()).toContain('An engagement with the codename "heron" already exists');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    expect(await links.allTextContents()).toEqual([expect.stringMatching(/^HERON/)]);
    expect(await host.stop()).toBe(0);
    const listed = await cliJson<Array<{ codename: string; client: string }>>(dir, 'engagements', 'list', '--all');
    expect(listed.map((e) => [e.codename, e.client])).toEqual([['HERON', 'Acme']]);
  });
});
