import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, createEngagementInUi, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

describe('nothing is lost', () => {
  it('keeps what was typed when the host is killed mid-typing, and what is typed while it is down', async () => {
    const dir = await newNotebookDir();
    let host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme', codename: 'HERON' });
    await page.getByRole('link', { name: 'Notes' }).click();
    await page.getByLabel('New note type').selectOption({ label: 'Field log' });
    await page.getByRole('button', { name: 'New note' }).click();
    const body = page.getByRole('textbox', { name: 'Note body' });
    await body.click();
    await page.keyboard.type('Wave 3 released at 06:10. ');
    // On screen for a second, then the host dies without warning.
    await page.waitForTimeout(1000);
    await host.kill();

    await page.getByText('Notebook host unreachable — reconnecting').waitFor();
    await page.keyboard.type('Typed while the host was down.');
    await page.getByText(/Host unreachable — changes are kept in this window/).waitFor();

    // Same port: same origin, so the page (and its IndexedDB replica) reconnects by itself once
    // this browser has opened the new run's address.
    host = await startHost(dir, host.port);
    await page.getByText('Signed out: the host restarted — open the address it printed').waitFor({ timeout: 20_000 });
    const signInTab = await page.context().newPage();
    await signInTab.goto(host.url);
    await signInTab.close();
    await page.getByText('Notebook connected').waitFor({ timeout: 20_000 });
    await page.getByText('Saved to the notebook').waitFor({ timeout: 20_000 });

    await page.reload();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Note body' }).textContent())
      .toBe('Wave 3 released at 06:10. Typed while the host was down.');
    await host.stop();
    const [note] = JSON.parse((await cli(dir, 'notes', 'list', '--json')).stdout);
    const shown = await cli(dir, 'notes', 'show', note.id);
    expect(shown.stdout).toContain('Wave 3 released at 06:10. Typed while the host was down.');
  });

  it('keeps edits made in a tab that is closed before the host comes back', async () => {
    const dir = await newNotebookDir();
    let host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme', codename: 'HERON' });
    await page.getByRole('link', { name: 'Overview' }).click();
    const route = new URL(page.url()).hash;
    await host.kill();
    await page.getByLabel('Summary').fill('Written offline, then the tab was closed.');
    await page.getByText(/Host unreachable — changes are kept in this window/).waitFor();
    await page.waitForTimeout(300);
    await page.close();

    // Later, the host is back and the user opens the app again in the same browser.
    host = await startHost(dir, host.port);
    const again = await page.context().newPage();
    await again.goto(`${host.url}${route}`);
    await expect.poll(() => again.getByLabel('Summary').inputValue()).toBe('Written offline, then the tab was closed.');
    await again.getByText('Saved to the notebook').waitFor();
    await host.stop();
    const shown = JSON.parse((await cli(dir, 'engagements', 'show', 'HERON', '--json')).stdout);
    expect(shown.summary).toBe('Written offline, then the tab was closed.');
  });
});
