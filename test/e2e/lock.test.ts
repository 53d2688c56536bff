import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, hostArgs, newNotebookDir, newPage, runNode, startHost } from './helpers';

afterAll(cleanup);

describe('one process per notebook', () => {
  it('refuses a second host and the CLI, naming the holder; takes over after a crash', async () => {
    const dir = await newNotebookDir();
    const first = await startHost(dir);
    await cli(dir, 'engagements', 'list').then((r) => expect(r.code).toBe(3));

    const second = await runNode(hostArgs(dir));
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`already open by web host process ${first.pid}`);
    const byCli = await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    expect(byCli.code).toBe(3);
    expect(byCli.stderr).toMatch(/already open by web host process \d+ on .+, since \d{4}-/);

    const page = await newPage();
    await page.goto(first.url);
    await page.getByRole('heading', { name: 'Start your first engagement' }).waitFor();
    await first.kill();

    const third = await startHost(dir);
    await page.goto(third.url);
    await page.getByRole('heading', { name: 'Start your first engagement' }).waitFor();
    await third.stop();
    expect((await cli(dir, 'doctor')).code).toBe(0);
  });
});
