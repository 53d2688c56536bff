import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanup, cli, closePages, createEngagementInUi, engagementList, newNotebookDir, newPage, startHost } from './helpers';

afterEach(closePages);
afterAll(cleanup);

const INCIDENT = `## Symptom

\`\`\`
2026-12-04T07:58:44+01:00 INFO wave 118 released
2026-12-04 07:01:02,113 ERROR [pool-3] SQLState 08001: connection refused
Dec  4 07:03:10 erp-db-03 kernel: nfs: server not responding
\`\`\`

## Hypotheses tried

- [ ] Listener restarted by the night job

## Resolution

Moved the NFS backup to 05:00.
`;

describe('incident timeline', () => {
  it('lists the log times in UTC with their assumptions flagged, and a hypothesis ticked off as tried', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'HERON' });
    const body = path.join(dir, '..', `incident-${Date.now()}.md`);
    fs.writeFileSync(body, INCIDENT);
    // Written from a terminal beside the open app, as an engineer pastes a log.
    const added = await cli(
      dir,
      'notes',
      'add',
      '--engagement',
      'HERON',
      '--type',
      'incident',
      '--title',
      'Wave stall',
      '--body-file',
      body,
    );
    expect(added.code, added.stderr).toBe(0);
    await engagementList(page)
      .getByRole('link', { name: /^HERON/ })
      .click();
    await page.getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('link', { name: /Wave stall/ }).click();

    const timeline = page.getByRole('region', { name: 'Timeline' });
    const entries = timeline.getByRole('listitem');
    await expect.poll(() => entries.count(), { timeout: 20_000 }).toBe(5);
    const texts = await entries.allTextContents();
    expect(texts[0]).toContain('2026-12-04 06:58:44 UTC');
    expect(texts[1]).toMatch(/2026-12-04 07:01:02 UTC.*\+2 min.*connection refused.*no time zone: read as UTC/);
    expect(texts[2]).toMatch(/07:03:10 UTC.*no year: read as 2026/);
    expect(texts.slice(3).join('|')).toMatch(/Hypothesis.*Listener restarted.*\|.*Resolution.*Moved the NFS backup/);
    await expect.poll(() => timeline.textContent()).toContain('2 moments are read with an assumption');

    // Ticked off in the editor: the timeline says when it was tried.
    await page.getByRole('textbox', { name: 'Note body' }).getByRole('checkbox').first().check();
    await expect.poll(() => entries.count(), { timeout: 20_000 }).toBe(6);
    expect((await entries.allTextContents()).at(-1)).toMatch(/Tried.*Listener restarted/);
    await timeline.screenshot({ path: '/tmp/incident-timeline.png' });
  });
});
