import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../../../shared/ids';
import { lessonRef } from '../../../shared/lessons/model';
import { addChapter, initPlaybookDoc, placeLesson, readPlaybook, replaceLessonRef } from '../../../shared/lessons/playbook';

const E = newId();
const ref = () => lessonRef(E, newId());

function playbook() {
  const doc = new Y.Doc();
  initPlaybookDoc(doc, newId(), 'New hire', '2026-01-01T00:00:00Z');
  return doc;
}

describe('playbooks', () => {
  it('places a lesson once: placing it again moves it, at the index asked', () => {
    const doc = playbook();
    const one = addChapter(doc, 'First week');
    const two = addChapter(doc, 'On site');
    const [a, b, c] = [ref(), ref(), ref()];
    placeLesson(doc, one, a);
    placeLesson(doc, one, b);
    placeLesson(doc, one, c, 0);
    expect(readPlaybook(doc).chapters.map((ch) => ch.lessons)).toEqual([[c, a, b], []]);
    placeLesson(doc, two, a);
    expect(readPlaybook(doc).chapters.map((ch) => [ch.title, ch.lessons])).toEqual([
      ['First week', [c, b]],
      ['On site', [a]],
    ]);
    expect(() => placeLesson(doc, one, 'nope')).toThrow(/lesson reference/);
  });

  it('shows a lesson placed in two chapters by two people offline once, in the first place', () => {
    const doc = playbook();
    const one = addChapter(doc, 'First week');
    const two = addChapter(doc, 'On site');
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(doc));
    const a = ref();
    placeLesson(alice, two, a);
    placeLesson(bob, one, a);
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    for (const replica of [alice, bob]) expect(readPlaybook(replica).chapters.map((ch) => ch.lessons)).toEqual([[a], []]);
  });

  it('replaces a merged lesson by its survivor in the first place either held', () => {
    const doc = playbook();
    const one = addChapter(doc, 'First week');
    const two = addChapter(doc, 'On site');
    const [absorbed, survivor, other] = [ref(), ref(), ref()];
    placeLesson(doc, one, other);
    placeLesson(doc, one, absorbed);
    replaceLessonRef(doc, absorbed, survivor);
    expect(readPlaybook(doc).chapters[0]?.lessons).toEqual([other, survivor]);
    // Both placed: the survivor takes the earlier place and the later one goes.
    const next = ref();
    placeLesson(doc, two, next);
    replaceLessonRef(doc, survivor, next);
    expect(readPlaybook(doc).chapters.map((ch) => ch.lessons)).toEqual([[other, next], []]);
    // Not placed: nothing changes.
    const before = Y.encodeStateVector(doc);
    replaceLessonRef(doc, ref(), next);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});
