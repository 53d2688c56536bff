import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, createEngagementInUi, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

describe('two tabs on one notebook', () => {
  it('shows an edit made in one tab in the other, both ways', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const a = await newPage();
    const b = await newPage();
    await a.goto(host.url);
    await createEngagementInUi(a, { client: 'Acme', codename: 'HERON' });
    await a.getByRole('link', { name: 'Overview' }).click();
    await b.goto(a.url());
    await b.getByLabel('Client').waitFor();

    await a.getByLabel('Summary').pressSequentially('Typed in tab A');
    await expect.poll(() => b.getByLabel('Summary').inputValue()).toBe('Typed in tab A');

    await b.getByLabel('Status').selectOption('stabilizing');
    await expect.poll(() => a.getByLabel('Status').inputValue()).toBe('stabilizing');

    await a.getByLabel('New team member name').fill('Ana Ruiz');
    await a.getByLabel('New team member role').fill('FDE');
    await a.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => b.getByLabel('Name of team member 1').inputValue()).toBe('Ana Ruiz');

    await createEngagementInUi(a, { client: 'Borealis', codename: 'KESTREL' });
    await b
      .getByRole('navigation', { name: 'Engagements' })
      .getByRole('link', { name: /KESTREL/ })
      .waitFor();
    await host.stop();
  });
});
