import { describe, expect, it } from 'vitest';
import { lessonService } from '../../../electron/api/lesson-handlers';
import { lessonProjection } from '../../../electron/lessons/lesson-projection';
import type { Notebook } from '../../../electron/notebook/notebook';
import { OutpostError } from '../../../shared/errors';
import { docIdFor, newId } from '../../../shared/ids';
import { addLesson, readLesson, updateLesson } from '../../../shared/lessons/doc';
import { lessonRef } from '../../../shared/lessons/model';
import { addChapter, placeLesson, readPlaybook } from '../../../shared/lessons/playbook';
import { applyMapChanges } from '../../../shared/map/doc';
import { addCard, setRendering } from '../../../shared/stakeholders/doc';
import { openTempNotebook } from '../../helpers/notebook';

async function seed(notebook: Notebook) {
  const heron = await notebook.engagements.create({ client: 'Acme Logistics', codename: 'HERON', ceiling: 'CONFIDENTIAL' });
  const kite = await notebook.engagements.create({ client: 'Borealis Grid', codename: 'KITE', ceiling: 'CUI' });
  const service = lessonService(notebook);
  const a = await service.add(heron.id, {
    title: 'Check the ERP export timezone before reconciling picks',
    skillArea: 'Data pipeline engineering',
    industry: 'Logistics',
    tags: ['timezones', 'erp'],
    appliesTo: ['system:database', 'protocol:SOAP'],
    recommendation: 'Ask for the export job timezone on day one and normalise timestamps to UTC at ingestion.',
    whatHappened: 'Late picks were counted twice because the nightly export shifted by an hour.',
  });
  const b = await service.add(kite.id, {
    title: 'Check the ERP export time zone before reconciling picks',
    skillArea: 'Data pipeline engineering',
    industry: 'Energy',
    tags: ['erp'],
    appliesTo: ['system:database'],
    recommendation: 'Ask for the export job timezone on day one and normalise timestamps to UTC at ingest.',
  });
  const c = await service.add(kite.id, {
    title: 'Brief the plant manager before changing alarm thresholds',
    skillArea: 'Stakeholder communication',
    industry: 'Energy',
    tags: ['alarms'],
    appliesTo: ['system:device'],
    recommendation: 'Walk the shift leads through the new thresholds in person; a memo is not read.',
  });
  return { heron, kite, service, a, b, c };
}

describe('LessonService', () => {
  it('lists the library with facets counted within the filter, full-text search with snippets, and filters', async () => {
    const notebook = await openTempNotebook();
    const { heron, kite, service, a, b, c } = await seed(notebook);

    const all = await service.library({});
    expect(all.total).toBe(3);
    expect(all.lessons.map((l) => l.ref).sort()).toEqual([a.ref, b.ref, c.ref].sort());
    expect(all.facets.skillArea).toEqual([
      { value: 'Data pipeline engineering', label: 'Data pipeline engineering', count: 2 },
      { value: 'Stakeholder communication', label: 'Stakeholder communication', count: 1 },
    ]);
    expect(all.facets.engagement).toEqual(
      expect.arrayContaining([
        { value: kite.id, label: 'KITE', count: 2 },
        { value: heron.id, label: 'HERON', count: 1 },
      ]),
    );
    expect(all.facets.appliesTo).toContainEqual({ value: 'system:database', label: 'Database', count: 2 });
    expect(all.facets.appliesTo).toContainEqual({ value: 'protocol:SOAP', label: 'SOAP (protocol)', count: 1 });
    expect(all.facets.year).toEqual([{ value: String(new Date().getUTCFullYear()), label: String(new Date().getUTCFullYear()), count: 3 }]);
    // Effective marking: the engagement's ceiling when the lesson has none.
    expect(all.lessons.find((l) => l.ref === a.ref)?.classification).toBe('CONFIDENTIAL');
    expect(all.lessons.find((l) => l.ref === c.ref)?.snippet).toContain('Walk the shift leads');

    // A facet selection filters the list, but its own facet still counts every value.
    const energy = await service.library({ industries: ['Energy'] });
    expect(energy.total).toBe(2);
    expect(energy.facets.industry).toEqual(
      expect.arrayContaining([
        { value: 'Energy', label: 'Energy', count: 2 },
        { value: 'Logistics', label: 'Logistics', count: 1 },
      ]),
    );
    expect(energy.facets.skillArea).toEqual([
      { value: 'Data pipeline engineering', label: 'Data pipeline engineering', count: 1 },
      { value: 'Stakeholder communication', label: 'Stakeholder communication', count: 1 },
    ]);
    const both = await service.library({ industries: ['Energy'], tags: ['ERP'] });
    expect(both.lessons.map((l) => l.ref)).toEqual([b.ref]);

    // Search: stemmed words, the title outranks the body, matches marked in the snippet.
    const search = await service.library({ query: 'timestamps normalise' });
    expect(search.lessons.map((l) => l.ref).sort()).toEqual([a.ref, b.ref].sort());
    expect(search.lessons[0]?.snippet).toMatch(/«normalise»/);
    expect(search.facets.skillArea).toEqual([{ value: 'Data pipeline engineering', label: 'Data pipeline engineering', count: 2 }]);
    expect((await service.library({ query: 'memo -timezone' })).lessons.map((l) => l.ref)).toEqual([c.ref]);
    expect((await service.library({ query: '"alarm thresholds"' })).lessons.map((l) => l.ref)).toEqual([c.ref]);
    expect((await service.library({ query: '&&' })).total).toBe(0);
    expect((await service.library({ engagementIds: [heron.id], skillAreas: ['Stakeholder communication'] })).total).toBe(0);
    expect((await service.library({ from: '2000-01-01', to: '2000-12-31' })).total).toBe(0);
    const page = await service.library({ limit: 2, offset: 2 });
    expect(page.total).toBe(3);
    expect(page.lessons).toHaveLength(1);
    await expect(service.library({ engagementIds: ['nope'] } as never)).rejects.toThrow(OutpostError);
  });

  it('finds the planted near-duplicates, merges them keeping every evidence link, and updates playbooks; merging again changes nothing', async () => {
    const notebook = await openTempNotebook();
    const { heron, kite, service, a, b, c } = await seed(notebook);
    const noteA = await notebook.notes.create({ engagementId: heron.id, type: 'incident', title: 'Double-counted late picks' });
    const noteB = await notebook.notes.create({ engagementId: kite.id, type: 'incident', title: 'Export shifted an hour' });
    const heronDoc = await notebook.docs.open(docIdFor('engagement', heron.id));
    const kiteDoc = await notebook.docs.open(docIdFor('engagement', kite.id));
    // Evidence as the app adds it, in each engagement's doc.
    const { addEvidence } = await import('../../../shared/lessons/doc');
    addEvidence(heronDoc, a.id, [{ kind: 'note', engagementId: heron.id, id: noteA.id, label: noteA.title }]);
    addEvidence(kiteDoc, b.id, [{ kind: 'note', engagementId: kite.id, id: noteB.id, label: noteB.title }]);
    await notebook.docs.flush();

    const { pairs } = await service.similar({ threshold: 0.45 });
    expect(pairs).toHaveLength(1);
    expect([pairs[0]?.a.ref, pairs[0]?.b.ref].sort()).toEqual([a.ref, b.ref].sort());
    expect(pairs[0]?.score).toBeGreaterThan(0.7);
    expect((await service.similar({ ref: c.ref })).pairs).toEqual([]);
    expect((await service.similar({ ref: b.ref })).pairs.map((p) => p.b.ref)).toEqual([a.ref]);

    // A playbook naming the lesson that will be absorbed.
    const playbook = await service.createPlaybook('Data onboarding');
    const pbDoc = await notebook.docs.open(docIdFor('playbook', playbook.id));
    const chapter = addChapter(pbDoc, 'First week');
    placeLesson(pbDoc, chapter, b.ref);
    placeLesson(pbDoc, chapter, c.ref);
    await notebook.docs.flush();
    expect((await service.playbooks()).map((p) => [p.title, p.chapters, p.lessons])).toEqual([['Data onboarding', 1, 2]]);

    // Bad input changes nothing.
    await expect(service.merge(a.ref, [a.ref])).rejects.toThrow(/cannot also be merged/);
    await expect(service.merge(a.ref, [b.ref, b.ref])).rejects.toThrow(/named twice/);
    await expect(service.merge(a.ref, [b.ref, lessonRef(kite.id, newId())])).rejects.toThrow(/No lesson/);
    expect(readLesson(kiteDoc, kite.id, b.id).mergedInto).toBeNull();
    expect(readPlaybook(pbDoc).chapters[0]?.lessons).toEqual([b.ref, c.ref]);

    const merged = await service.merge(a.ref, [b.ref]);
    expect(merged.ref).toBe(a.ref);
    expect(merged.mergedFromCount).toBe(1);
    expect(merged.evidenceCount).toBe(2);
    expect(merged.tags.sort()).toEqual(['erp', 'timezones']);
    expect(readLesson(kiteDoc, kite.id, b.id).mergedInto).toBe(a.ref);
    expect(readPlaybook(pbDoc).chapters[0]?.lessons).toEqual([a.ref, c.ref]);
    const library = await service.library({});
    expect(library.lessons.map((l) => l.ref).sort()).toEqual([a.ref, c.ref].sort());
    expect((await service.library({ includeMerged: true })).total).toBe(3);
    expect((await service.similar({})).pairs).toEqual([]);
    const [got] = (await service.get([a.ref])).lessons;
    expect(got?.evidence.map((e) => [e.label, e.state, e.href])).toEqual(
      expect.arrayContaining([
        ['Double-counted late picks', 'ok', `#/engagements/${heron.id}/notes/${noteA.id}`],
        ['Export shifted an hour', 'ok', `#/engagements/${kite.id}/notes/${noteB.id}`],
      ]),
    );

    // Idempotent; an absorbed lesson cannot become a survivor.
    const again = await service.merge(a.ref, [b.ref]);
    expect(again.evidenceCount).toBe(2);
    await expect(service.merge(b.ref, [c.ref])).rejects.toThrow(/was itself merged/);
    await expect(service.merge(c.ref, [b.ref])).rejects.toThrow(/already merged into/);
    expect(await notebook.checkProjections()).toEqual([]);
  });

  it('resolves evidence: a note not in this notebook is withheld, a removed system is missing, others link to the app', async () => {
    const notebook = await openTempNotebook();
    const { heron, service } = await seed(notebook);
    const doc = await notebook.docs.open(docIdFor('engagement', heron.id));
    const erp = newId();
    const gone = newId();
    applyMapChanges(doc, [
      { op: 'addSystem', system: { id: erp, name: 'SAP ECC', kind: 'application' } },
      { op: 'addSystem', system: { id: gone, name: 'Old WMS', kind: 'database' } },
    ]);
    const card = addCard(doc, { title: 'Picks are late because of the export', finding: 'The export runs an hour late.' });
    const withheldNote = newId();
    const lessonId = addLesson(doc, {
      title: 'Evidence of every kind',
      skillArea: 'Production debugging',
      evidence: [
        { kind: 'note', engagementId: heron.id, id: withheldNote, label: 'Secret incident' },
        { kind: 'system', engagementId: heron.id, id: erp, label: 'ERP' },
        { kind: 'system', engagementId: heron.id, id: gone, label: 'Old WMS' },
        { kind: 'card', engagementId: heron.id, id: card, label: 'Card' },
      ],
    });
    applyMapChanges(doc, [{ op: 'removeSystem', id: gone }]);
    await notebook.docs.flush();
    const { lessons, missing } = await service.get([lessonRef(heron.id, lessonId), lessonRef(heron.id, newId())]);
    expect(missing).toHaveLength(1);
    const evidence = Object.fromEntries(lessons[0]?.evidence.map((e) => [e.id, e]) ?? []);
    expect(evidence[withheldNote]).toMatchObject({ state: 'withheld', href: null, label: 'Secret incident' });
    expect(evidence[erp]).toMatchObject({ state: 'ok', label: 'SAP ECC', href: `#/engagements/${heron.id}/map/${erp}` });
    expect(evidence[gone]).toMatchObject({ state: 'missing', href: null, label: 'Old WMS' });
    expect(evidence[card]).toMatchObject({ state: 'ok', href: `#/engagements/${heron.id}/stakeholders` });
  });

  it('drafts from an incident note and a delivered card, and walks the retrospective in date order', async () => {
    const notebook = await openTempNotebook();
    const { heron, service } = await seed(notebook);
    const incident = await notebook.notes.create({
      engagementId: heron.id,
      type: 'incident',
      title: 'Scanner drops the session',
      classification: 'CUI',
      markdown:
        '## Symptom\n\nScanners log out every 10 minutes.\n\n## Root cause\n\nIdle timeout on the proxy.\n\n## Resolution\n\nRaised the timeout.\n',
    });
    await notebook.notes.create({ engagementId: heron.id, type: 'runbook', title: 'Not in the retrospective' });
    const draft = await service.draft({ kind: 'note', engagementId: heron.id, id: incident.id });
    expect(draft).toMatchObject({
      title: 'Lesson: Scanner drops the session',
      skillArea: 'Production debugging',
      whatHappened: 'Scanners log out every 10 minutes.',
      rootCause: 'Idle timeout on the proxy.',
      whatWorked: 'Raised the timeout.',
      classification: 'CUI',
    });
    await expect(service.draft({ kind: 'note', engagementId: newId(), id: incident.id })).rejects.toThrow(OutpostError);

    const doc = await notebook.docs.open(docIdFor('engagement', heron.id));
    const delivered = addCard(doc, { title: 'Export is late', finding: 'The ERP export runs late.' });
    addCard(doc, { title: 'Never delivered', finding: 'x' });
    setRendering(doc, delivered, { type: 'kind', kind: 'executive' } as never, {
      explanation: 'Picks show late because the export is late.',
      ask: 'Approve moving the export.',
      status: 'delivered',
    });
    await notebook.docs.flush();
    const items = await service.retrospective(heron.id);
    expect(items.map((i) => [i.kind, i.title])).toEqual([
      ['incident', 'Scanner drops the session'],
      ['brief', 'Export is late'],
    ]);
    expect(items[1]?.draft.recommendation).toContain('Approve moving the export.');
  });

  it('refuses a lesson marked above its ceiling, and the projection survives a rebuild with checkProjections clean', async () => {
    const notebook = await openTempNotebook();
    const { kite, service } = await seed(notebook);
    await expect(
      service.add(kite.id, { title: 'Too secret', skillArea: 'Production debugging', classification: 'SECRET' }),
    ).rejects.toThrow(/ceiling is CUI/);
    expect((await service.library({})).total).toBe(3);
    // Typing into a lesson (debounced projection) is caught up by flush.
    const doc = await notebook.docs.open(docIdFor('engagement', kite.id));
    const [first] = (await service.library({ engagementIds: [kite.id] })).lessons;
    updateLesson(doc, first?.id as string, { recommendation: 'Rewritten while typing about kangaroos' });
    await notebook.docs.flush();
    expect((await service.library({ query: 'kangaroos' })).total).toBe(1);

    const before = await lessonProjection.readAll(notebook.db);
    expect(await notebook.checkProjections()).toEqual([]);
    await notebook.db.query(`UPDATE lessons SET title = 'wrong' WHERE ref = $1`, [first?.ref]);
    expect(await notebook.checkProjections()).toEqual([`lessons: ${docIdFor('engagement', kite.id)} differs from its update log`]);
    const report = await notebook.rebuildProjections();
    expect(report).toContainEqual({ table: 'lessons', rows: 3 });
    expect(await lessonProjection.readAll(notebook.db)).toEqual(before);
    expect(await notebook.checkProjections()).toEqual([]);
    expect((await service.library({ query: 'kangaroos' })).total).toBe(1);
  });
});
