import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, createEngagementInUi, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

describe('the command line beside the open app', () => {
  it('logs from a terminal into the open notebook: the field log appears in the page without a reload, and a line lands in the open note', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'HERON' });
    await page.getByRole('link', { name: 'Notes' }).click();

    // The CLI is not refused: it sends its command to the host that holds the notebook.
    const first = await cli(dir, 'log', 'Wave 3 released at 06:10');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('of HERON');
    const logLink = page.getByRole('link', { name: /Field log \d{4}-\d{2}-\d{2}/ });
    await logLink.waitFor({ timeout: 15_000 });
    await logLink.click();
    const body = page.getByRole('textbox', { name: 'Note body' });
    await expect.poll(() => body.textContent()).toMatch(/\d{2}:\d{2} — Wave 3 released at 06:10/);

    // With the note open, the next line appears in the editor as it is written.
    expect((await cli(dir, 'log', 'Pick API throttled to 5 rps', '--engagement', 'HERON')).code).toBe(0);
    await expect.poll(() => body.textContent()).toMatch(/\d{2}:\d{2} — Pick API throttled to 5 rps/);
    await host.stop();
  });
});
