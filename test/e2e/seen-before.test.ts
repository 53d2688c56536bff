import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { javaOdbcTimeout, vars } from '../shared/debugging/corpus';
import { cleanup, cli, cliJson, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

describe('seen before', () => {
  it('turns a pasted trace into a log block and lists the note of another engagement that met the error, with its resolution', async () => {
    const dir = await newNotebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON', '--ceiling', 'CUI')).code).toBe(0);
    expect((await cli(dir, 'engagements', 'create', '--client', 'Kestrel', '--codename', 'KITE', '--ceiling', 'CUI')).code).toBe(0);
    const body = path.join(dir, 'incident.md');
    fs.writeFileSync(body, `\`\`\`\n${javaOdbcTimeout(vars(1))}\n\`\`\`\n\n## Resolution\n\nRaise the ODBC query timeout to 300 s.\n`);
    const add = (engagement: string, title: string, file?: string) =>
      cli(dir, 'notes', 'add', '--engagement', engagement, '--type', 'incident', '--title', title, ...(file ? ['--body-file', file] : []));
    expect((await add('HERON', 'Nightly import times out', body)).code).toBe(0);
    const plain = path.join(dir, 'plain.md');
    fs.writeFileSync(plain, 'The billing export stalls every night around 02:00.\n');
    expect((await add('KITE', 'Billing export stalls', plain)).code).toBe(0);
    const kiteNote = (
      await cliJson<Array<{ id: string; title: string; engagementId: string }>>(dir, 'notes', 'list', '--engagement', 'KITE', '--json')
    )[0];

    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(`${host.url.split('#')[0]}#/engagements/${kiteNote?.engagementId}/notes/${kiteNote?.id}`);
    const editor = page.getByRole('textbox', { name: 'Note body' });
    await editor.waitFor();
    await editor.press('Control+End');
    // Paste the same error with other values, as from a terminal.
    await editor.evaluate(
      (el, text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      },
      javaOdbcTimeout(vars(8)),
    );
    const block = editor.locator('pre');
    await block.first().waitFor();
    expect(await block.first().textContent()).toContain('java.sql.SQLTimeoutException');

    const seen = page.getByRole('region', { name: 'Seen before' });
    const match = seen.getByRole('link', { name: 'Nightly import times out' });
    await match.waitFor({ timeout: 15_000 });
    expect(await seen.textContent()).toContain('HERON');
    expect(await seen.textContent()).toContain('same error');
    expect(await seen.textContent()).toContain('Raise the ODBC query timeout to 300 s.');
    await page.screenshot({ path: '/tmp/outpost-seen-before.png', fullPage: true });
    await match.click();
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Nightly import times out');
    await host.stop();

    // The block was kept as a log block, verbatim.
    const shown = await cli(dir, 'notes', 'show', kiteNote?.id as string);
    expect(shown.stdout).toContain('```log:java-trace');
  });
});
