import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OutpostError } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import {
  absorbLesson,
  addEvidence,
  addLesson,
  lessonsMap,
  markMergedInto,
  readLesson,
  readLessons,
  updateLesson,
} from '../../../shared/lessons/doc';
import { lessonRef } from '../../../shared/lessons/model';

const E1 = newId();
const E2 = newId();

function replicaOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

describe('lessons in the engagement doc', () => {
  it('keeps both edits when two replicas change different fields and add different evidence offline', () => {
    const origin = new Y.Doc();
    const id = addLesson(origin, {
      title: 'Ask for the export timezone',
      skillArea: 'Data pipeline engineering',
      recommendation: 'Normalise timestamps at ingestion.',
    });
    const alice = replicaOf(origin);
    const bob = replicaOf(origin);
    const noteA = newId();
    const noteB = newId();
    updateLesson(alice, id, { rootCause: 'The export job runs in local time.', tags: ['erp'] });
    addEvidence(alice, id, [{ kind: 'note', engagementId: E1, id: noteA, label: 'Incident A' }]);
    updateLesson(bob, id, { recommendation: 'Normalise timestamps to UTC at ingestion.', status: 'reviewed' });
    addEvidence(bob, id, [{ kind: 'note', engagementId: E1, id: noteB, label: 'Incident B' }]);
    sync(alice, bob);
    for (const replica of [alice, bob]) {
      const lesson = readLesson(replica, E1, id);
      expect(lesson.rootCause).toBe('The export job runs in local time.');
      expect(lesson.recommendation).toBe('Normalise timestamps to UTC at ingestion.');
      expect(lesson.status).toBe('reviewed');
      expect(lesson.tags).toEqual(['erp']);
      expect(lesson.evidence.map((e) => e.id).sort()).toEqual([noteA, noteB].sort());
    }
    expect(Y.encodeStateAsUpdate(alice)).toEqual(Y.encodeStateAsUpdate(bob));
  });

  it('absorbs a duplicate keeping every evidence link, tag and "applies to" item, and its source note', () => {
    const heron = new Y.Doc();
    const kite = new Y.Doc();
    const shared = { kind: 'system' as const, engagementId: E1, id: newId(), label: 'ERP' };
    const survivor = addLesson(heron, {
      title: 'Check the export timezone',
      skillArea: 'Data pipeline engineering',
      tags: ['erp'],
      appliesTo: ['system:database'],
      evidence: [shared],
    });
    const source = newId();
    const duplicate = addLesson(kite, {
      title: 'Check the export time zone',
      skillArea: 'Data pipeline engineering',
      tags: ['timezones', 'erp'],
      appliesTo: ['protocol:SOAP', 'system:database'],
      evidence: [shared, { kind: 'card', engagementId: E2, id: newId(), label: 'Late picks' }],
      source: { kind: 'note', id: source },
    });
    const absorbed = readLesson(kite, E2, duplicate);
    absorbLesson(heron, survivor, absorbed, lessonRef(E2, duplicate));
    markMergedInto(kite, duplicate, lessonRef(E1, survivor));
    const merged = readLesson(heron, E1, survivor);
    expect(merged.evidence).toHaveLength(3);
    expect(merged.evidence.map((e) => e.kind).sort()).toEqual(['card', 'note', 'system']);
    expect(merged.evidence.find((e) => e.kind === 'note')).toMatchObject({ engagementId: E2, id: source });
    expect(merged.tags.sort()).toEqual(['erp', 'timezones']);
    expect(merged.appliesTo.sort()).toEqual(['protocol:SOAP', 'system:database']);
    expect(merged.mergedFrom).toEqual([{ ref: lessonRef(E2, duplicate), title: 'Check the export time zone' }]);
    expect(readLesson(kite, E2, duplicate).mergedInto).toBe(lessonRef(E1, survivor));
    // Absorbing again changes nothing.
    const before = Y.encodeStateVector(heron);
    absorbLesson(heron, survivor, absorbed, lessonRef(E2, duplicate));
    expect(Y.encodeStateVector(heron)).toEqual(before);
    expect(() => absorbLesson(heron, survivor, absorbed, 'not-a-ref')).toThrow(OutpostError);
  });

  it('reads values another device wrote invalid as their defaults, and reports them', () => {
    const doc = new Y.Doc();
    const id = addLesson(doc, { title: 'A lesson', skillArea: 'Production debugging' });
    const map = lessonsMap(doc).get(id) as Y.Map<unknown>;
    doc.transact(() => {
      map.set('status', 'published');
      map.set('tags', 'not-a-list');
      map.set('appliesTo', ['warp:drive']);
      map.set('classification', 'lowercase');
      map.set('skillArea', 42);
      map.set('mergedInto', 'garbage');
      (map.get('evidence') as Y.Map<unknown>).set('x', { kind: 'rumour' });
    });
    const untitled = new Y.Map<unknown>();
    lessonsMap(doc).set(newId(), untitled);
    const { lessons, problems } = readLessons(doc, E1);
    expect(lessons).toHaveLength(1);
    expect(lessons[0]).toMatchObject({
      status: 'draft',
      tags: [],
      appliesTo: [],
      classification: '',
      skillArea: 'Operational adaptability',
      mergedInto: null,
      evidence: [],
    });
    expect(problems.length).toBeGreaterThanOrEqual(7);
    expect(() => updateLesson(doc, id, { status: 'published' as never })).toThrow(OutpostError);
    expect(() => addLesson(doc, { title: ' ', skillArea: 'x' })).toThrow(/Give the lesson a title/);
  });
});
