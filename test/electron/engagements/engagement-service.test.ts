import { describe, expect, it } from 'vitest';
import { engagementProjection } from '../../../electron/engagements/engagement-projection';
import { applyEngagementPatch } from '../../../shared/engagements/doc';
import { docIdFor } from '../../../shared/ids';
import { openTempNotebook } from '../../helpers/notebook';

describe('EngagementService', () => {
  it('creates, edits, archives and lists engagements from the projection', async () => {
    const notebook = await openTempNotebook();
    const service = notebook.engagements;
    const heron = await service.create({
      client: 'Acme Logistics',
      codename: 'HERON',
      site: 'Reno DC',
      status: 'active',
      startDate: '2026-03-02',
    });
    const kestrel = await service.create({ client: 'Borealis Bank', codename: 'KESTREL', ceiling: 'CONFIDENTIAL' });
    expect(heron.ceiling).toBe('UNCLASSIFIED');
    expect(kestrel.ceiling).toBe('CONFIDENTIAL');

    await service.update(heron.id, { team: [{ name: 'Ana', role: 'FDE' }], summary: 'Pick suggestions' });
    expect((await service.get(heron.id)).team.map((m) => m.name)).toEqual(['Ana']);

    const byCodename = await service.list({ sort: 'codename' });
    expect(byCodename.map((e) => e.codename)).toEqual(['HERON', 'KESTREL']);
    expect(byCodename[0]).toMatchObject({
      client: 'Acme Logistics',
      site: 'Reno DC',
      status: 'active',
      teamSize: 1,
      startDate: '2026-03-02',
    });
    // The most recently changed comes first by default.
    await service.update(kestrel.id, { status: 'stabilizing' });
    expect((await service.list()).map((e) => e.codename)).toEqual(['KESTREL', 'HERON']);
    expect((await service.list({ sort: 'status' })).map((e) => e.codename)).toEqual(['HERON', 'KESTREL']);

    await service.update(kestrel.id, { archived: true });
    expect((await service.list()).map((e) => e.codename)).toEqual(['HERON']);
    expect((await service.list({ includeArchived: true })).map((e) => e.codename).sort()).toEqual(['HERON', 'KESTREL']);
  });

  it('resolves an engagement by id or codename, case-insensitively', async () => {
    const notebook = await openTempNotebook();
    const { id } = await notebook.engagements.create({ client: 'Acme', codename: 'Blue Heron' });
    expect(await notebook.engagements.resolve('blue heron')).toBe(id);
    expect(await notebook.engagements.resolve(id)).toBe(id);
    await expect(notebook.engagements.resolve('nope')).rejects.toThrow(/No engagement with id or codename "nope"/);
    await expect(notebook.engagements.resolve('00000000-0000-4000-8000-000000000000')).rejects.toThrow(/No engagement/);
  });

  it('rejects bad input with a clear error and writes nothing', async () => {
    const notebook = await openTempNotebook();
    const { id } = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
    const before = await notebook.db.query('SELECT count(*)::int AS n FROM doc_updates');
    await expect(notebook.engagements.create({ client: 'Other', codename: 'heron' })).rejects.toThrow(/already exists/);
    await expect(notebook.engagements.create({ client: 'Other', codename: 'X', ceiling: 'TOP' })).rejects.toThrow(
      /Unknown classification level "TOP"/,
    );
    await expect(notebook.engagements.update(id, { status: 'finished' as never })).rejects.toThrow(/status/);
    await expect(notebook.engagements.update(id, { startDate: '2026-05-01', endDate: '2026-01-01' })).rejects.toThrow(/before the start/);
    await expect(notebook.engagements.update(id, { client: 'x'.repeat(201) })).rejects.toThrow(/at most 200/);
    const after = await notebook.db.query('SELECT count(*)::int AS n FROM doc_updates');
    expect(after.rows).toEqual(before.rows);
    expect(await notebook.engagements.list()).toHaveLength(1);
  });

  it('rebuilds projections from the update log to exactly the same rows', async () => {
    const notebook = await openTempNotebook();
    for (let i = 0; i < 12; i++) {
      const created = await notebook.engagements.create({ client: `Client ${i}`, codename: `CODE-${i}`, site: `Site ${i % 3}` });
      if (i % 2) await notebook.engagements.update(created.id, { status: 'active', team: [{ name: `Person ${i}`, role: 'FDE' }] });
      if (i % 5 === 0) await notebook.engagements.update(created.id, { archived: true, endDate: '2026-12-31' });
    }
    // Edits that arrive through a live doc (the renderer's path) too.
    const [first] = await notebook.engagements.list();
    const doc = await notebook.docs.open(docIdFor('engagement', first?.id as string));
    applyEngagementPatch(doc, { summary: 'edited live' });
    await notebook.docs.flush();

    const original = await engagementProjection.readAll(notebook.db);
    expect(original).toHaveLength(12);
    expect(await notebook.checkProjections()).toEqual([]);

    // Damage the projection: a wrong value, a deleted row.
    await notebook.db.query(`UPDATE engagements SET client = 'wrong' WHERE codename = 'CODE-3'`);
    await notebook.db.query(`DELETE FROM engagements WHERE codename = 'CODE-4'`);
    const problems = await notebook.checkProjections();
    expect(problems).toHaveLength(2);

    const report = await notebook.rebuildProjections();
    expect(report).toEqual([
      { table: 'engagements', rows: 12 },
      { table: 'notes', rows: 0 },
      { table: 'lessons', rows: 0 },
      { table: 'playbooks', rows: 0 },
      { table: 'error_signatures', rows: 0 },
    ]);
    expect(await engagementProjection.readAll(notebook.db)).toEqual(original);
    expect(await notebook.checkProjections()).toEqual([]);
  });
});
