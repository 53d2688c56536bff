import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IncidentTimeline } from '../../../electron/debugging/incident-timeline';
import type { Notebook } from '../../../electron/notebook/notebook';
import { docIdFor } from '../../../shared/ids';
import { noteBody } from '../../../shared/notes/doc';
import { openTempNotebook } from '../../helpers/notebook';

const open: Notebook[] = [];
afterEach(async () => {
  for (const nb of open.splice(0)) await nb.close();
});

const INCIDENT = `## Symptom

Wave release stalls at 07:00 every day.

\`\`\`
2026-12-04T06:58:44+01:00 INFO wave 118 released
2026-12-04 06:01:02,113 ERROR [pool-3] SQLState 08001: connection refused
Dec  4 06:03:10 erp-db-03 kernel: nfs: server not responding
12/4/2026 6:04:00 AM Service Control Manager: OutpostAgent timed out
2026-12-04T06:10:00Z INFO wave 118 done
\`\`\`

## Hypotheses tried

- [ ] Listener restarted by the night job
- [ ] NFS mount hangs the DB host

## Resolution

Moved the NFS backup to 05:00.
`;

describe('incident timeline', () => {
  it('orders log timestamps in UTC with what was assumed, and dates hypotheses, their ticking off and the resolution', async () => {
    const nb = await openTempNotebook();
    open.push(nb);
    const heron = await nb.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
    const note = await nb.notes.create({ engagementId: heron.id, type: 'incident', title: 'Wave stall', markdown: INCIDENT });
    await nb.docs.flush();
    const before = Date.now();
    // Later: the second hypothesis is ticked off as tried.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const doc = await nb.docs.open(docIdFor('note', note.id));
    const items: Y.XmlElement[] = [];
    const walk = (node: Y.XmlFragment | Y.XmlElement) => {
      for (const child of node.toArray())
        if (child instanceof Y.XmlElement) {
          if (child.nodeName === 'taskItem') items.push(child);
          walk(child);
        }
    };
    walk(noteBody(doc));
    expect(items).toHaveLength(2);
    doc.transact(() => items[1]?.setAttribute('checked', true as never));
    await nb.docs.flush();

    const { entries, flagged } = await new IncidentTimeline(nb.db, nb.docs).of(note.id);
    const logs = entries.filter((e) => e.kind === 'log');
    expect(logs.map((e) => [e.at, e.flags])).toEqual([
      ['2026-12-04T05:58:44.000Z', []],
      ['2026-12-04T06:01:02.113Z', ['no time zone: read as UTC']],
      ['2026-12-04T06:03:10.000Z', ['no year: read as 2026', 'no time zone: read as UTC']],
      ['2026-12-04T06:04:00.000Z', ['12/4 could be day/month or month/day: read as month/day', 'no time zone: read as UTC']],
      ['2026-12-04T06:10:00.000Z', []],
    ]);
    expect(logs[1]?.text).toContain('connection refused');
    // The note's own moments come after the logs (written today), in the order they happened.
    const own = entries.filter((e) => e.kind !== 'log');
    expect(own.map((e) => [e.kind, e.text])).toEqual([
      ['hypothesis', 'Listener restarted by the night job'],
      ['hypothesis', 'NFS mount hangs the DB host'],
      ['resolution', 'Moved the NFS backup to 05:00.'],
      ['tried', 'NFS mount hangs the DB host'],
    ]);
    const tried = own.find((e) => e.kind === 'tried');
    expect(Date.parse(tried?.at as string)).toBeGreaterThanOrEqual(before);
    for (const e of own.filter((e) => e.kind !== 'tried')) expect(Date.parse(e.at as string)).toBeLessThan(Date.parse(tried?.at as string));
    expect(flagged).toBe(3);
  });

  it('gives an empty timeline for a note without logs or sections, and refuses an unknown note', async () => {
    const nb = await openTempNotebook();
    open.push(nb);
    const heron = await nb.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
    const note = await nb.notes.create({ engagementId: heron.id, type: 'incident', title: 'Quiet', markdown: 'Nothing yet.' });
    expect(await new IncidentTimeline(nb.db, nb.docs).of(note.id)).toEqual({ entries: [], flagged: 0 });
    await expect(new IncidentTimeline(nb.db, nb.docs).of('00000000-0000-4000-8000-000000000000')).rejects.toThrow('No note');
  });
});
