import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { lessonService } from '../../../electron/api/lesson-handlers';
import type { Notebook } from '../../../electron/notebook/notebook';
import type { ExportRequest } from '../../../electron/sync/bundle-service';
import { docIdFor } from '../../../shared/ids';
import { addChapter, placeLesson } from '../../../shared/lessons/playbook';
import { appendParagraph } from '../../../shared/notes/doc';
import { type BundleSecret, inspectBundle, openBundle, sealBundle } from '../../../shared/sync/bundle-format';
import { decodeHaveFile, encodeHaveFile } from '../../../shared/sync/have-file';
import { openTempNotebook } from '../../helpers/notebook';
import { siteWithNotes } from '../../helpers/site-with-notes';

const SECRET: BundleSecret = { kind: 'passphrase', passphrase: 'correct horse battery staple' };
const FAST = { N: 2 ** 10, r: 8, p: 1 };

function request(engagementIds: string[], extra: Partial<ExportRequest> = {}): ExportRequest {
  return { engagementIds, delta: { kind: 'full' }, secret: SECRET, fileName: 'test.outpost', scrypt: FAST, ...extra };
}

/** Everything an import may touch: if this is equal before and after, nothing changed on disk. */
async function fingerprint(nb: Notebook): Promise<string> {
  const parts: unknown[] = [];
  for (const table of [
    'docs',
    'doc_updates',
    'notes',
    'note_links',
    'engagements',
    'attachments',
    'trusted_devices',
    'bundle_ledger',
    'peer_state',
  ]) {
    parts.push(table, (await nb.db.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows);
  }
  const files = fs.existsSync(path.join(nb.dir, 'attachments'))
    ? fs.readdirSync(path.join(nb.dir, 'attachments'), { recursive: true })
    : [];
  parts.push(
    files
      .map(String)
      .filter((f) => !f.startsWith('tmp'))
      .sort(),
  );
  return JSON.stringify(parts, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

describe('sync bundles between notebooks', () => {
  it('carries an engagement and its notes to another notebook, withholding notes above the cap whole', async () => {
    const { a, heron, open } = await siteWithNotes();
    const image = await a.attachments.put('error-dialog.png', 'image/png', new Uint8Array([137, 80, 78, 71, 1, 2, 3]));
    const doc = await a.docs.open(docIdFor('note', open.id));
    doc.transact(() => {
      const node = new Y.XmlElement('attachment');
      node.setAttribute('sha', image.sha256);
      node.setAttribute('name', image.name);
      (doc.getXmlFragment('body') as Y.XmlFragment).push([node]);
    });
    await a.docs.flush();

    const result = await a.bundles.export(request([heron.id], { maxClassification: 'CUI' }));
    expect(result).toMatchObject({ docs: 2, withheld: 1, attachments: 1 });

    // Nothing of the SECRET note is in the file, before or after decryption.
    const opened = await openBundle(result.bytes, SECRET);
    const plaintext = Buffer.concat([...opened.payload.docs.map((d) => d.update), ...opened.payload.attachments.map((x) => x.data)]);
    for (const haystack of [Buffer.from(result.bytes), plaintext]) {
      for (const word of ['NIGHTJAR', 'QUARTZWING', 'relocation']) expect(haystack.includes(word)).toBe(false);
    }
    expect(plaintext.includes('five requests per second')).toBe(true);

    const b = await openTempNotebook();
    await expect(b.bundles.import(result.bytes, SECRET, { fileName: 'x.outpost' })).rejects.toMatchObject({ code: 'bundle_untrusted' });
    const report = await b.bundles.import(result.bytes, SECRET, { fileName: 'x.outpost', trustSender: true });
    expect(report.applied).toBe(true);
    expect(
      report.docs
        .filter((d) => d.created)
        .map((d) => d.label)
        .sort(),
    ).toEqual(['HERON', 'Late picks at wave release']);
    expect((await b.engagements.get(heron.id)).codename).toBe('HERON');
    expect((await b.notes.list({ engagementId: heron.id })).notes.map((n) => n.title)).toEqual(['Late picks at wave release']);
    expect(await b.notes.search('throttles')).toHaveLength(1);
    expect(await b.attachments.info(image.sha256)).toMatchObject({ name: 'error-dialog.png', size: 7 });
    expect((await b.trust.list()).map((d) => d.deviceId)).toEqual([a.device.deviceId]);
    const ledger = await b.ledger.list();
    expect(ledger).toMatchObject([{ direction: 'received', peerDeviceId: a.device.deviceId, docs: 2, changedDocs: 2 }]);
    const history = await b.db.query<{ device_id: string; bundle_id: string }>('SELECT device_id, bundle_id FROM doc_updates');
    for (const row of history.rows) expect(row).toEqual({ device_id: a.device.deviceId, bundle_id: result.header.bundleId });

    // Importing it again changes nothing and says so.
    const before = await fingerprint(b);
    const again = await b.bundles.import(result.bytes, SECRET, { fileName: 'x.outpost' });
    expect(again.previouslyImportedAt).not.toBeNull();
    expect(again.docs.every((d) => !d.changed)).toBe(true);
    expect(await fingerprint(b)).toBe(before);
  });

  it('refuses bad bundles with a clear error and leaves the notebook exactly as it was', async () => {
    const { a, heron } = await siteWithNotes();
    const { bytes } = await a.bundles.export(request([heron.id]));
    const b = await openTempNotebook();
    await b.engagements.create({ client: 'Borealis', codename: 'KESTREL', ceiling: 'CUI' });
    const before = await fingerprint(b);

    await expect(
      b.bundles.import(bytes, { kind: 'passphrase', passphrase: 'wrong one entirely' }, { fileName: 'x', trustSender: true }),
    ).rejects.toMatchObject({
      code: 'bundle_key',
    });
    await expect(b.bundles.import(bytes.slice(0, bytes.length - 100), SECRET, { fileName: 'x', trustSender: true })).rejects.toMatchObject({
      code: 'bundle_invalid',
    });
    const flipped = bytes.slice();
    const middle = Math.floor(flipped.length / 2);
    flipped[middle] = (flipped[middle] as number) ^ 1;
    await expect(b.bundles.import(flipped, SECRET, { fileName: 'x', trustSender: true })).rejects.toHaveProperty('code');
    // A dry run shows what would happen and writes nothing.
    const preview = await b.bundles.import(bytes, SECRET, { fileName: 'x', trustSender: true, dryRun: true });
    expect(preview.applied).toBe(false);
    expect(preview.docs.map((d) => d.label).sort()).toEqual(['HERON', 'Late picks at wave release', 'Operation NIGHTJAR relocation']);
    expect(await fingerprint(b)).toBe(before);

    // A notebook that does not hold SECRET refuses an engagement marked up to it.
    await b.setClassificationLevels(['UNCLASSIFIED', 'CUI']);
    const levelsBefore = await fingerprint(b);
    await expect(b.bundles.import(bytes, SECRET, { fileName: 'x', trustSender: true })).rejects.toMatchObject({
      code: 'bundle_classification',
    });
    expect(await fingerprint(b)).toBe(levelsBefore);
  });

  it('refuses the whole bundle when any document in it is damaged (atomic), and a revoked sender', async () => {
    const { a, heron } = await siteWithNotes();
    const good = await a.bundles.export(request([heron.id]));
    const { payload, header } = await openBundle(good.bytes, SECRET);
    const damaged = payload.docs.map((d, i) =>
      i === payload.docs.length - 1 ? { ...d, update: new Uint8Array([0, 200, 1, 7, 9, 9, 9]) } : d,
    );
    const { encryption: _e, counts: _c, expandedBytes: _x, ...rest } = header;
    const bad = await sealBundle({
      header: { ...rest, bundleId: '5b0c5d1e-0000-4000-8000-000000000001' },
      payload: { ...payload, docs: damaged },
      secret: SECRET,
      signer: a.keys,
      scrypt: FAST,
    });

    const b = await openTempNotebook();
    const before = await fingerprint(b);
    await expect(b.bundles.import(bad, SECRET, { fileName: 'bad', trustSender: true })).rejects.toMatchObject({ code: 'bundle_invalid' });
    expect(await fingerprint(b)).toBe(before);

    await b.bundles.import(good.bytes, SECRET, { fileName: 'good', trustSender: true });
    await b.trust.revoke(a.device.deviceId);
    const next = await a.bundles.export(request([heron.id]));
    const revoked = await fingerprint(b);
    await expect(b.bundles.import(next.bytes, SECRET, { fileName: 'next', trustSender: true })).rejects.toMatchObject({
      code: 'bundle_untrusted',
    });
    expect(await fingerprint(b)).toBe(revoked);
    expect(inspectBundle(next.bytes).signatureValid).toBe(true);
  });

  it('sends only what a peer lacks: since the last bundle to it, or from its "have" file, deletions included', async () => {
    const { a, heron, open } = await siteWithNotes();
    const b = await openTempNotebook();
    const first = await a.bundles.export(request([heron.id], { delta: { kind: 'since-peer', peerDeviceId: b.device.deviceId } }));
    expect(first.docs).toBe(3);
    await b.bundles.import(first.bytes, SECRET, { fileName: '1', trustSender: true });

    // Nothing changed: nothing to send.
    const empty = await a.bundles.export(request([heron.id], { delta: { kind: 'since-peer', peerDeviceId: b.device.deviceId } }));
    expect(empty).toMatchObject({ docs: 0, unchanged: 3 });

    // A deletes a word and B adds a line: each sends the other only that note.
    const aDoc = await a.docs.open(docIdFor('note', open.id));
    const paragraph = aDoc.getXmlFragment('body').toArray()[0] as Y.XmlElement;
    const text = paragraph.toArray()[0] as Y.XmlText;
    const at = text.toString().indexOf(' to five');
    text.delete(at, ' to five'.length);
    await a.docs.flush();
    const deletion = await a.bundles.export(request([heron.id], { delta: { kind: 'since-peer', peerDeviceId: b.device.deviceId } }));
    expect(deletion).toMatchObject({ docs: 1, unchanged: 2 });
    await b.bundles.import(deletion.bytes, SECRET, { fileName: '2' });
    expect(await b.notes.markdown(open.id)).toContain('pick API requests per second');

    appendParagraph(await b.docs.open(docIdFor('note', open.id)), 'Raised with IT on Tuesday.');
    await b.docs.flush();
    const have = decodeHaveFile(
      encodeHaveFile({
        deviceId: a.device.deviceId,
        deviceName: a.device.name,
        notebookId: a.settings.notebookId,
        createdAt: new Date().toISOString(),
        docs: new Map(
          await Promise.all(
            (await a.docs.listDocIds()).map(
              async (id) => [id, Y.encodeSnapshot(Y.snapshot((await a.docs.currentCopy(id)) as Y.Doc))] as const,
            ),
          ),
        ),
      }),
    );
    const back = await b.bundles.export(request([heron.id], { delta: { kind: 'have', have } }));
    expect(back).toMatchObject({ docs: 1, unchanged: 2 });
    await a.bundles.import(back.bytes, SECRET, { fileName: '3', trustSender: true });
    expect(await a.notes.markdown(open.id)).toContain('Raised with IT on Tuesday.');
    expect(await a.notes.markdown(open.id)).toBe(await b.notes.markdown(open.id));
  });

  it('accepts bundles out of order: what builds on a missing bundle waits for it, then shows', async () => {
    const { a, heron, open } = await siteWithNotes();
    const c = await openTempNotebook();
    const first = await a.bundles.export(request([heron.id], { delta: { kind: 'since-peer', peerDeviceId: c.device.deviceId } }));
    appendParagraph(await a.docs.open(docIdFor('note', open.id)), 'Second visit: the limit was raised to 20.');
    await a.docs.flush();
    const second = await a.bundles.export(request([heron.id], { delta: { kind: 'since-peer', peerDeviceId: c.device.deviceId } }));

    const early = await c.bundles.import(second.bytes, SECRET, { fileName: '2', trustSender: true });
    expect(early.docs.find((d) => d.docId === docIdFor('note', open.id))?.waiting).toBe(true);
    await c.bundles.import(first.bytes, SECRET, { fileName: '1' });
    expect(await c.notes.markdown(open.id)).toContain('Second visit: the limit was raised to 20.');
    expect(await c.notes.markdown(open.id)).toBe(await a.notes.markdown(open.id));
  });

  it('lists fields both sides set at once after an import, and restores the overwritten value as a new edit', async () => {
    const { a, heron, open } = await siteWithNotes();
    const b = await openTempNotebook();
    const first = await a.bundles.export(request([heron.id], { delta: { kind: 'since-peer', peerDeviceId: b.device.deviceId } }));
    await b.bundles.import(first.bytes, SECRET, { fileName: '1', trustSender: true });

    // Offline, both rename the same note; B also tags it (no conflict: only one side did).
    await a.notes.update(open.id, { title: 'Late picks: ERP throttling' });
    await b.notes.update(open.id, { title: 'Late picks at wave release (IT ticket 4411)', tags: ['erp'] });
    await b.docs.flush();
    const back = await b.bundles.export(request([heron.id], { delta: { kind: 'since-peer', peerDeviceId: a.device.deviceId } }));
    const report = await a.bundles.import(back.bytes, SECRET, { fileName: '2', trustSender: true });
    expect(report.conflicts).toHaveLength(1);
    const [conflict] = report.conflicts;
    expect(conflict?.path).toBe('meta.title');
    expect([conflict?.kept, conflict?.overwritten].sort()).toEqual([
      'Late picks at wave release (IT ticket 4411)',
      'Late picks: ERP throttling',
    ]);
    const shown = (await a.notes.summary(open.id)).title;
    expect(shown).toBe(conflict?.kept);

    const [listed] = await a.conflicts.list();
    expect(listed).toMatchObject({ path: 'meta.title', label: shown, resolution: null });
    const resolved = await a.conflicts.resolve(listed?.id as number, 'restored');
    expect(resolved.resolution).toBe('restored');
    expect((await a.notes.summary(open.id)).title).toBe(conflict?.overwritten);
    expect(await a.conflicts.list()).toEqual([]);
    await expect(a.conflicts.resolve(listed?.id as number, 'kept')).rejects.toMatchObject({ code: 'conflict' });

    // The pick is an edit: it reaches B with the next bundle, and is not a new conflict there.
    const third = await a.bundles.export(request([heron.id], { delta: { kind: 'since-peer', peerDeviceId: b.device.deviceId } }));
    const there = await b.bundles.import(third.bytes, SECRET, { fileName: '3' });
    expect((await b.notes.summary(open.id)).title).toBe(conflict?.overwritten);
    expect((await b.notes.summary(open.id)).tags).toEqual(['erp']);
    expect(there.conflicts.filter((c) => c.path === 'meta.title' && c.kept === conflict?.overwritten)).toEqual([]);
  });

  it('carries a chosen playbook, named in the header by id only, and withholds it under a cap below one of its lessons', async () => {
    const { a, heron } = await siteWithNotes();
    const lessons = lessonService(a);
    const open = await lessons.add(heron.id, {
      title: 'Throttle the pick API',
      skillArea: 'API and systems integration',
      classification: 'CUI',
    });
    const secret = await lessons.add(heron.id, {
      title: 'Move the NIGHTJAR gateway',
      skillArea: 'Cloud and infrastructure',
      classification: 'SECRET',
    });
    const playbook = await lessons.createPlaybook('QUARTZWING warehouse playbook');
    const doc = await a.docs.open(docIdFor('playbook', playbook.id));
    const chapter = addChapter(doc, 'Integration');
    placeLesson(doc, chapter, open.ref);
    await a.docs.flush();

    const both = await a.bundles.export(request([heron.id], { playbookIds: [playbook.id] }));
    expect(both.header.playbooks).toEqual([playbook.id]);
    // The readable header never names the playbook.
    expect(JSON.stringify(inspectBundle(both.bytes).header)).not.toContain('QUARTZWING');
    const b = await openTempNotebook();
    const report = await b.bundles.import(both.bytes, SECRET, { fileName: 'both', trustSender: true });
    expect(report.docs.find((d) => d.kind === 'playbook')).toMatchObject({ label: 'QUARTZWING warehouse playbook', created: true });
    await b.docs.flush();
    expect((await lessonService(b).playbooks()).map((p) => [p.id, p.title, p.lessons])).toEqual([
      [playbook.id, 'QUARTZWING warehouse playbook', 1],
    ]);

    // A playbook alone; under a cap it leaves while every lesson it curates is within the cap.
    const alone = await a.bundles.export(request([], { playbookIds: [playbook.id], maxClassification: 'CUI' }));
    expect([alone.docs, alone.withheld, alone.header.playbooks]).toEqual([1, 0, [playbook.id]]);
    placeLesson(doc, chapter, secret.ref);
    await a.docs.flush();
    const capped = await a.bundles.export(request([], { playbookIds: [playbook.id], maxClassification: 'CUI' }));
    expect([capped.docs, capped.withheld, capped.header.playbooks]).toEqual([0, 1, []]);
    expect((await openBundle(capped.bytes, SECRET)).payload.docs).toEqual([]);

    // A playbook the header does not declare is refused, and nothing changes.
    const { payload, header } = await openBundle(alone.bytes, SECRET);
    const { encryption: _e, counts: _c, expandedBytes: _x, ...rest } = header;
    const undeclared = await sealBundle({
      header: { ...rest, playbooks: [], bundleId: '5b0c5d1e-0000-4000-8000-000000000002' },
      payload,
      secret: SECRET,
      signer: a.keys,
      scrypt: FAST,
    });
    const c = await openTempNotebook();
    const before = await fingerprint(c);
    await expect(c.bundles.import(undeclared, SECRET, { fileName: 'x', trustSender: true })).rejects.toMatchObject({
      code: 'bundle_invalid',
    });
    expect(await fingerprint(c)).toBe(before);

    await expect(a.bundles.export(request([]))).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(a.bundles.export(request([], { playbookIds: ['5b0c5d1e-0000-4000-8000-0000000000ff'] }))).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
