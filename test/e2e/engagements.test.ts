import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, createEngagementInUi, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

describe('engagements in the browser twin', () => {
  it('creates an engagement that survives a reload and a restart of the host', async () => {
    const dir = await newNotebookDir();
    let host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Start your first engagement' }).waitFor();

    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'HERON', site: 'Reno DC', status: 'Active' });
    const list = page.getByRole('navigation', { name: 'Engagements' });
    await expect.poll(() => list.getByRole('link', { name: /HERON/ }).textContent()).toContain('Acme Logistics · Reno DC');
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByLabel('Summary').fill('Pick suggestions for the morning wave.');
    await page.getByText('Saved to the notebook').waitFor();

    await page.reload();
    await page.getByRole('link', { name: /HERON/ }).click();
    await expect.poll(() => page.getByLabel('Summary').inputValue()).toBe('Pick suggestions for the morning wave.');

    expect(await host.stop()).toBe(0);
    host = await startHost(dir);
    await page.goto(host.url);
    await page.getByRole('link', { name: /HERON/ }).click();
    await expect.poll(() => page.getByLabel('Client').inputValue()).toBe('Acme Logistics');
    expect(await page.getByLabel('Status').inputValue()).toBe('active');
    await expect.poll(() => page.getByLabel('Summary').inputValue()).toBe('Pick suggestions for the morning wave.');
    await host.stop();
  });

  it('shows why an invalid engagement was refused, and creates nothing', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme', codename: 'HERON' });

    await page.keyboard.press('Alt+N');
    const dialog = page.getByRole('dialog', { name: 'New engagement' });
    await dialog.getByLabel('Codename').fill('KESTREL');
    await dialog.getByRole('button', { name: 'Create engagement' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Name the client');

    await dialog.getByLabel('Client').fill('Other client');
    await dialog.getByLabel('Codename').fill('heron');
    await dialog.getByRole('button', { name: 'Create engagement' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('An engagement with the codename "heron" already exists');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await host.stop();
    const listed = await cli(dir, 'engagements', 'list', '--all', '--json');
    expect(JSON.parse(listed.stdout).map((e: { codename: string }) => e.codename)).toEqual(['HERON']);
  });
});
