import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  cli,
  cliJson,
  closePages,
  createEngagementInUi,
  engagementList,
  hostArgs,
  newNotebookDir,
  newPage,
  readDetails,
  runNode,
  startHost,
  syncStatus,
} from './helpers';

afterEach(closePages);
afterAll(cleanup);

describe('one process per notebook', () => {
  it('refuses a second host, naming the holder, and answers the CLI; a new host takes over after a crash, data intact', async () => {
    const dir = await newNotebookDir();
    const first = await startHost(dir);
    const page = await newPage();
    await page.goto(first.url);
    await createEngagementInUi(page, { client: 'Acme', codename: 'HERON', site: 'Reno DC' });

    const second = await runNode(hostArgs(dir));
    expect(second.code, second.stderr).toBe(3);
    expect(second.stderr).toContain(`already open by web host process ${first.pid}`);
    expect(second.stdout).not.toContain('running at');

    // The CLI is not refused: it sends its calls to the holder, through the same contract as the page.
    const listByCli = await cli(dir, 'engagements', 'list');
    expect(listByCli.code, listByCli.stderr).toBe(0);
    expect(listByCli.stdout).toMatch(/HERON\s+Acme\s+Reno DC/);
    expect((await cliJson<{ answeredBy: string }>(dir, 'info')).answeredBy).toBe(`web host process ${first.pid}`);

    // Neither the refused host nor the CLI disturbed the holder: it still serves and saves.
    await page.getByRole('textbox', { name: 'Summary' }).fill('Written after the refusals.');
    await expect.poll(() => syncStatus(page).textContent()).toBe('Saved to the notebook');

    // A crash leaves a stale lock behind; the next host takes over.
    await first.kill();
    const third = await startHost(dir);
    const fresh = await newPage();
    await fresh.goto(third.url);
    await engagementList(fresh).getByRole('link', { name: /HERON/ }).click();
    await expect
      .poll(() => readDetails(fresh))
      .toEqual({ client: 'Acme', codename: 'HERON', site: 'Reno DC', status: 'planned', summary: 'Written after the refusals.' });
    expect(await engagementList(fresh).getByRole('link').count()).toBe(1);
    // …and now it is the holder that others are told about.
    const refused = await runNode(hostArgs(dir));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`already open by web host process ${third.pid}`);

    expect(await third.stop()).toBe(0);
    const shown = await cliJson<{ client: string; summary: string }>(dir, 'engagements', 'show', 'HERON');
    expect(shown).toMatchObject({ client: 'Acme', summary: 'Written after the refusals.' });
  });

  it('a host that cannot listen on its port exits with a clear error instead of hanging', async () => {
    const dir = await newNotebookDir();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const error = await startHost(dir, port).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/exited with code 1 before it was ready/);
      expect(error?.message).toContain(`Cannot listen on 127.0.0.1:${port}`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
