import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Notebook } from '../../../electron/notebook/notebook';
import { applyEngagementPatch, readEngagement } from '../../../shared/engagements/doc';
import { docIdFor } from '../../../shared/ids';
import { openTempNotebook, tempDir } from '../../helpers/notebook';

async function count(notebook: Notebook, sql: string, params: unknown[] = []): Promise<number> {
  const result = await notebook.db.query<{ n: number }>(sql, params);
  return Number(result.rows[0]?.n ?? 0);
}

describe('DocStore', () => {
  it('persists every change of a live doc and replays it after reopening the notebook', async () => {
    const dir = tempDir();
    const notebook = await openTempNotebook(dir);
    const { id } = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
    const docId = docIdFor('engagement', id);
    const doc = await notebook.docs.open(docId);
    applyEngagementPatch(doc, { summary: 'Line one.' });
    applyEngagementPatch(doc, { status: 'active' });
    await notebook.docs.flush(docId);
    await notebook.close();

    const reopened = await Notebook.open(dir, { kind: 'test' });
    try {
      const engagement = readEngagement(await reopened.docs.open(docId)).engagement;
      expect(engagement).toMatchObject({ summary: 'Line one.', status: 'active', client: 'Acme' });
    } finally {
      await reopened.close();
    }
  });

  it('writes updates that arrive together as one log row, tagged with this device', async () => {
    const notebook = await openTempNotebook();
    const { id } = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
    const docId = docIdFor('engagement', id);
    const doc = await notebook.docs.open(docId);
    for (const word of ['a', 'ab', 'abc', 'abcd']) applyEngagementPatch(doc, { summary: word });
    await notebook.docs.flush(docId);
    expect(await count(notebook, 'SELECT count(*)::int AS n FROM doc_updates WHERE doc_id = $1', [docId])).toBe(2);
    const devices = await notebook.db.query<{ device_id: string }>('SELECT DISTINCT device_id FROM doc_updates');
    expect(devices.rows.map((r) => r.device_id)).toEqual([notebook.device.deviceId]);
  });

  it('snapshots a long log and loads the same state from snapshot + tail', async () => {
    const notebook = await openTempNotebook();
    const { id } = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
    const docId = docIdFor('engagement', id);
    const doc = await notebook.docs.open(docId);
    let text = '';
    for (let i = 0; i < 230; i++) {
      text += `${i} `;
      applyEngagementPatch(doc, { summary: text });
      await notebook.docs.flush(docId);
    }
    expect(await count(notebook, 'SELECT count(*)::int AS n FROM doc_snapshots WHERE doc_id = $1', [docId])).toBe(1);
    const { doc: replayed, rows } = await notebook.docs.loadFromLog(docId);
    expect(rows).toBeLessThan(50);
    expect(readEngagement(replayed).engagement.summary).toBe(text);
    expect(Y.encodeStateVector(replayed)).toEqual(Y.encodeStateVector(doc));
  });

  it('refuses to open a document that does not exist, and creates nothing', async () => {
    const notebook = await openTempNotebook();
    await expect(notebook.docs.open(docIdFor('engagement', '00000000-0000-4000-8000-000000000000'))).rejects.toThrow(/No document/);
    expect(await count(notebook, 'SELECT count(*)::int AS n FROM docs')).toBe(0);
  });

  it('commits a change to several documents in one transaction, or none of it when a write fails', async () => {
    const dir = tempDir();
    const notebook = await openTempNotebook(dir);
    const heron = docIdFor('engagement', (await notebook.engagements.create({ client: 'Acme', codename: 'HERON' })).id);
    const kite = docIdFor('engagement', (await notebook.engagements.create({ client: 'Borealis', codename: 'KITE' })).id);
    const [a, b] = [await notebook.docs.open(heron), await notebook.docs.open(kite)];
    const rows = () => count(notebook, 'SELECT count(*)::int AS n FROM doc_updates');

    // Something typed just before is written first, then both changes in one transaction.
    applyEngagementPatch(a, { summary: 'typed before' });
    const before = await rows();
    await notebook.docs.changeTogether([heron, kite], () => {
      applyEngagementPatch(a, { status: 'active' });
      applyEngagementPatch(b, { status: 'active' });
    });
    await notebook.docs.flush();
    expect(await rows()).toBe(before + 3);
    expect((await notebook.engagements.get(readEngagement(b).engagement.id)).status).toBe('active');

    // The second document's write fails (a trigger stands in for a full disk): neither is written.
    await notebook.db.exec(`
      CREATE FUNCTION refuse_kite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.doc_id = '${kite}' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_kite BEFORE INSERT ON doc_updates FOR EACH ROW EXECUTE FUNCTION refuse_kite();
    `);
    const failedBefore = await rows();
    await expect(
      notebook.docs.changeTogether([heron, kite], () => {
        applyEngagementPatch(a, { summary: 'lost together' });
        applyEngagementPatch(b, { summary: 'lost together' });
      }),
    ).rejects.toThrow(/Could not save the changes to 2 documents together: disk full/);
    expect(await rows()).toBe(failedBefore);
    await notebook.db.exec('DROP TRIGGER refuse_kite ON doc_updates');
    // The live copies were dropped: opening again reads the disk, which has neither change.
    expect(readEngagement(await notebook.docs.open(heron)).engagement.summary).toBe('typed before');
    expect(readEngagement(await notebook.docs.open(kite)).engagement.summary).toBe('');
    await notebook.close();
  });
});
