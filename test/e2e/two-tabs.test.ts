import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  closePages,
  createEngagementInUi,
  detailsForm,
  engagementList,
  newNotebookDir,
  newPage,
  sameViewOn,
  startHost,
} from './helpers';

afterEach(closePages);
afterAll(cleanup);

describe('two tabs on one notebook', () => {
  it('shows an edit made in one tab in the other, both ways, and new engagements in both lists', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    // Two browser profiles, so nothing can pass between them except through the host.
    const a = await newPage();
    const b = await newPage();
    await a.goto(host.url);
    await createEngagementInUi(a, { client: 'Acme', codename: 'HERON' });
    await b.goto(sameViewOn(host, a));
    const formA = detailsForm(a);
    const formB = detailsForm(b);
    await expect.poll(() => formB.getByRole('textbox', { name: 'Client' }).inputValue()).toBe('Acme');

    // Summary: typed key by key in A, shows in B.
    await formA.getByRole('textbox', { name: 'Summary' }).pressSequentially('Typed in tab A');
    await expect.poll(() => formB.getByRole('textbox', { name: 'Summary' }).inputValue()).toBe('Typed in tab A');

    // Status: changed in B, shows in A's form and in A's list.
    await formB.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Stabilizing' });
    await expect.poll(() => formA.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('stabilizing');
    await expect.poll(() => engagementList(a).getByRole('link', { name: /HERON/ }).textContent()).toContain('Stabilizing');

    // Team: a member added in A shows in B.
    const teamB = b.getByRole('region', { name: 'Team' });
    await a.getByRole('textbox', { name: 'New team member name' }).fill('Ana Ruiz');
    await a.getByRole('textbox', { name: 'New team member role' }).fill('FDE');
    await a.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => teamB.getByRole('textbox', { name: 'Name of team member 1' }).inputValue()).toBe('Ana Ruiz');
    expect(await teamB.getByRole('textbox', { name: 'Role of Ana Ruiz' }).inputValue()).toBe('FDE');
    expect(await teamB.getByRole('button', { name: 'Remove Ana Ruiz' }).isVisible()).toBe(true);

    // A new engagement created in A appears in B's list, without a reload.
    await createEngagementInUi(a, { client: 'Borealis', codename: 'KESTREL' });
    await expect
      .poll(() =>
        engagementList(b)
          .getByRole('link', { name: /KESTREL/ })
          .textContent(),
      )
      .toContain('Borealis');
    expect(await engagementList(b).getByRole('link').count()).toBe(2);
    expect(await host.stop()).toBe(0);
  });
});
