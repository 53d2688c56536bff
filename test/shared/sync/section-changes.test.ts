import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLesson, addOutcome, updateLesson } from '../../../shared/lessons/doc';
import { applyMapChanges, mapSystemsMap } from '../../../shared/map/doc';
import { addStakeholder, removeStakeholder } from '../../../shared/stakeholders/doc';
import { sectionChanges, sectionLine } from '../../../shared/sync/section-changes';

function copy(doc: Y.Doc): Y.Doc {
  const out = new Y.Doc();
  Y.applyUpdate(out, Y.encodeStateAsUpdate(doc));
  return out;
}

describe('section changes of an engagement document', () => {
  it('counts entries added, changed and removed per section, and leaves quiet sections out', () => {
    const before = new Y.Doc();
    const {
      created: [erp, wms],
    } = applyMapChanges(before, [
      { op: 'addSystem', system: { name: 'ERP', kind: 'application' } },
      { op: 'addSystem', system: { name: 'WMS', kind: 'application' } },
    ]);
    const ana = addStakeholder(before, { name: 'Ana Ruiz', role: 'Plant manager', kind: 'operations' });
    const after = copy(before);
    applyMapChanges(after, [
      { op: 'updateSystem', id: erp as string, patch: { status: 'degraded' } },
      { op: 'removeSystem', id: wms as string },
      { op: 'addSystem', system: { name: 'SFTP drop', kind: 'file_drop' } },
      { op: 'addSystem', system: { name: 'Model server', kind: 'model_service' } },
    ]);
    removeStakeholder(after, ana);

    expect(sectionChanges(before, after)).toEqual([
      { section: 'systems', added: 2, changed: 1, removed: 1 },
      { section: 'stakeholders', added: 0, changed: 0, removed: 1 },
    ]);
    expect(sectionChanges(before, after).map(sectionLine)).toEqual(['systems: 2 added, 1 changed, 1 removed', 'stakeholders: 1 removed']);
    // A document new here: everything in it is added.
    expect(sectionChanges(null, before)).toEqual([
      { section: 'systems', added: 2, changed: 0, removed: 0 },
      { section: 'stakeholders', added: 1, changed: 0, removed: 0 },
    ]);
    expect(sectionChanges(before, copy(before))).toEqual([]);
  });

  it('counts lessons and outcome metrics, a typed edit of a lesson text being a change', () => {
    const before = new Y.Doc();
    const lesson = addLesson(before, { title: 'Dates as strings at the SOAP hop', skillArea: 'API and systems integration' });
    const after = copy(before);
    updateLesson(after, lesson, { recommendation: 'Pin the date format in the contract.' });
    addLesson(after, { title: 'Ask for the ERP maintenance calendar', skillArea: 'Operational adaptability' });
    addOutcome(after, { name: 'Late picks per day', baseline: 140, achieved: 12, better: 'lower' });
    expect(sectionChanges(before, after).map(sectionLine)).toEqual(['lessons: 1 added, 1 changed', 'outcome metrics: 1 added']);
  });

  it('does not call an entry changed because a replica holds its fields in another order', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    for (const [doc, order] of [
      [a, ['name', 'status']],
      [b, ['status', 'name']],
    ] as const) {
      const system = new Y.Map<string>();
      mapSystemsMap(doc).set('6a0f5c8e-1d2b-4c3a-9e8f-7a6b5c4d3e2f', system as never);
      for (const field of order) system.set(field, field === 'name' ? 'ERP' : 'healthy');
    }
    expect(sectionChanges(a, b)).toEqual([]);
  });
});
