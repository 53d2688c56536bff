import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type RunningHub, startHub } from '../../electron/hub/hub-server';
import {
  cleanup,
  cliJson,
  closePages,
  createEngagementInUi,
  engagementList,
  newNotebookDir,
  newPage,
  noteTitles,
  openSync,
  startHost,
  writeNote,
} from './helpers';
import { tempDirFor } from './hub-fixture';

afterEach(closePages);
afterAll(cleanup);

let hub: RunningHub | null = null;
afterAll(async () => {
  await hub?.close();
});

/** Connects a page's notebook to the hub through the Sync view, trusting its key as a person would. */
async function connectInUi(page: Page, url: string, fingerprint: string): Promise<void> {
  await openSync(page);
  const section = page.getByRole('region', { name: 'Team hub' });
  await section.getByLabel('Hub address').fill(url);
  await section.getByRole('button', { name: 'Connect' }).click();
  const warning = section.getByRole('alert');
  await expect.poll(() => warning.textContent()).toContain(fingerprint);
  await section.getByRole('button', { name: 'Trust this hub and connect' }).click();
  await section.getByText(fingerprint).waitFor();
}

function hubStatus(page: Page) {
  return page.getByRole('region', { name: 'Team hub' }).getByRole('status');
}

describe('team hub in the Sync view', () => {
  it('two notebooks sync through a hub: a note typed in one appears in the other, and the status follows the hub going away', async () => {
    const dataDir = tempDirFor('outpost-e2e-hub-');
    hub = await startHub({ dataDir, ceiling: 'SECRET', storeDebounceMs: 50 });
    const [dirA, dirB] = [await newNotebookDir(), await newNotebookDir()];
    const [hostA, hostB] = await Promise.all([startHost(dirA), startHost(dirB)]);
    const a = await newPage();
    const b = await newPage();
    await a.goto(hostA.url);
    await b.goto(hostB.url);

    await createEngagementInUi(a, { client: 'Acme Logistics', codename: 'HERON' });
    const engagements = await cliJson<Array<{ id: string; codename: string }>>(dirA, 'engagements', 'list', '--json');
    const heron = engagements.find((e) => e.codename === 'HERON')?.id as string;
    for (const dir of [dirA, dirB]) {
      const info = await cliJson<{ device: { fingerprint: string; name: string } }>(dir, 'info', '--json');
      await hub.store.addMember(info.device.fingerprint, heron, info.device.name);
    }

    // Off by default: the section says so and offers a hub address.
    await openSync(a);
    await a.getByRole('region', { name: 'Team hub' }).getByText('opens no network connection').waitFor();
    await connectInUi(a, hub.url, hub.fingerprint);
    await a.getByRole('switch', { name: 'Sync HERON with team hub' }).check();
    await expect.poll(() => hubStatus(a).textContent()).toContain('Connected');

    // B joins HERON by its id: the engagement arrives from the hub.
    await connectInUi(b, hub.url, hub.fingerprint);
    const section = b.getByRole('region', { name: 'Team hub' });
    await section.getByLabel('Join an engagement from the hub: engagement id').fill(heron);
    await section.getByRole('button', { name: 'Join' }).click();
    await engagementList(b)
      .getByRole('link', { name: /^HERON/ })
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => b.getByRole('switch', { name: 'Sync HERON with team hub' }).isChecked()).toBe(true);

    // A note written in A appears in B.
    await engagementList(a)
      .getByRole('link', { name: /^HERON/ })
      .click();
    await writeNote(a, 'Pump station log', 'Valve 3 sticks at 40 psi.');
    await expect.poll(() => noteTitles(b, 'HERON'), { timeout: 20_000 }).toEqual(['Pump station log']);
    await b.getByRole('link', { name: /Pump station log/ }).click();
    await expect.poll(() => b.getByRole('textbox', { name: 'Note body' }).textContent(), { timeout: 20_000 }).toContain('40 psi');

    // The hub goes away: A says offline; it comes back on the same port: connected again.
    const port = hub.port;
    await hub.close();
    hub = null;
    await openSync(a);
    await a.setViewportSize({ width: 1280, height: 1600 });
    await expect.poll(() => hubStatus(a).textContent(), { timeout: 20_000 }).toContain('Offline');
    await a.screenshot({ path: '/tmp/outpost-team-hub.png', fullPage: true });
    hub = await startHub({ dataDir, ceiling: 'SECRET', port, storeDebounceMs: 50 });
    await expect.poll(() => hubStatus(a).textContent(), { timeout: 30_000 }).toContain('Connected');
  });
});
