import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  cliJson,
  closePages,
  connectionStatus,
  createEngagementInUi,
  detailsForm,
  engagementList,
  newNotebookDir,
  newPage,
  startHost,
  syncStatus,
} from './helpers';

afterEach(closePages);
afterAll(cleanup);

describe('editing while the host is down', () => {
  it('keeps what is typed while the host is gone and saves it to the notebook once a new host is up', async () => {
    const dir = await newNotebookDir();
    const first = await startHost(dir);
    const page = await newPage();
    await page.goto(first.url);
    await createEngagementInUi(page, { client: 'Acme', codename: 'HERON' });
    const summary = detailsForm(page).getByRole('textbox', { name: 'Summary' });
    await summary.pressSequentially('Online line.');
    await expect.poll(() => syncStatus(page).textContent()).toBe('Saved to the notebook');
    expect(await connectionStatus(page).textContent()).toBe('Notebook connected');

    // The host crashes.
    await first.kill();
    await expect.poll(() => connectionStatus(page).textContent()).toBe('Notebook host unreachable — reconnecting');
    await expect.poll(() => syncStatus(page).textContent()).toMatch(/^Host unreachable/);

    // Typing goes on: the page keeps it (in memory and in its IndexedDB replica).
    await summary.press('Control+End');
    await summary.pressSequentially(' Typed while the host was down.');
    expect(await summary.inputValue()).toBe('Online line. Typed while the host was down.');
    expect(await syncStatus(page).textContent()).toMatch(/^Host unreachable/);

    // A new host on the same folder and the same port (same origin, so the same replica). Its run
    // has new secrets: the tab says it is signed out until the address the new host printed is
    // opened in this browser, then reconnects by itself and hands over what it kept.
    const second = await startHost(dir, first.port);
    expect(second.origin).toBe(first.origin);
    expect(second.url).not.toBe(first.url);
    await expect
      .poll(() => connectionStatus(page).textContent(), { timeout: 20_000 })
      .toBe('Signed out: the host restarted — open the address it printed');
    expect(await summary.inputValue()).toBe('Online line. Typed while the host was down.');
    const signInTab = await page.context().newPage();
    await signInTab.goto(second.url);
    await signInTab.close();
    await expect.poll(() => connectionStatus(page).textContent(), { timeout: 20_000 }).toBe('Notebook connected');
    await expect.poll(() => syncStatus(page).textContent(), { timeout: 20_000 }).toBe('Saved to the notebook');

    // The same page after a reload, and a browser profile that never saw the edit (so it can only
    // have it from the notebook).
    await page.reload();
    await expect.poll(() => summary.inputValue()).toBe('Online line. Typed while the host was down.');
    const fresh = await newPage();
    await fresh.goto(second.url);
    await engagementList(fresh).getByRole('link', { name: /HERON/ }).click();
    await expect
      .poll(() => detailsForm(fresh).getByRole('textbox', { name: 'Summary' }).inputValue())
      .toBe('Online line. Typed while the host was down.');

    expect(await second.stop()).toBe(0);
    const shown = await cliJson<{ codename: string; summary: string }>(dir, 'engagements', 'show', 'HERON');
    expect(shown.summary).toBe('Online line. Typed while the host was down.');
  });
});
