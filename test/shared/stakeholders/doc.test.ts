import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OutpostError } from '../../../shared/errors';
import {
  addCard,
  addGlossaryEntry,
  addStakeholder,
  notYetTold,
  readCards,
  readGlossary,
  readStakeholders,
  removeCard,
  removeStakeholder,
  renderingFor,
  setRendering,
  stakeholdersMap,
  updateCard,
  updateStakeholder,
} from '../../../shared/stakeholders/doc';
import { concurrentFieldSets } from '../../../shared/sync/field-conflicts';

function fork(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function errorOf(fn: () => unknown): OutpostError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OutpostError) return error;
    throw error;
  }
  throw new Error('expected an OutpostError');
}

describe('stakeholder registry', () => {
  it('adds with defaults, reads back, edits one field at a time', () => {
    const doc = new Y.Doc();
    const id = addStakeholder(
      doc,
      { name: ' Maria Lopez ', role: 'Operations director', kind: 'operations', fluency: 2 },
      { now: '2026-01-01T00:00:00Z' },
    );
    updateStakeholder(doc, id, { caresAbout: 'Late picks, overtime', systems: ['WMS', 'Pick-to-light'] });
    const { stakeholders, problems } = readStakeholders(doc);
    expect(problems).toEqual([]);
    expect(stakeholders).toEqual([
      {
        id,
        createdAt: '2026-01-01T00:00:00Z',
        name: 'Maria Lopez',
        role: 'Operations director',
        organisation: '',
        kind: 'operations',
        caresAbout: 'Late picks, overtime',
        fluency: 2,
        register: 'plain',
        channel: '',
        influence: 'medium',
        interest: 'medium',
        notes: '',
        systems: ['WMS', 'Pick-to-light'],
        meetings: [],
      },
    ]);
  });

  it('refuses a duplicate name (case and spacing ignored) on add and rename, and changes nothing', () => {
    const doc = new Y.Doc();
    addStakeholder(doc, { name: 'Maria Lopez', role: 'Ops' });
    const other = addStakeholder(doc, { name: 'Dev Patel' });
    const before = Y.encodeStateVector(doc);
    const dup = errorOf(() => addStakeholder(doc, { name: 'maria   LOPEZ' }));
    expect(dup.code).toBe('conflict');
    expect(dup.message).toContain('A stakeholder called "Maria Lopez" already exists');
    expect(errorOf(() => updateStakeholder(doc, other, { name: 'MARIA LOPEZ' })).code).toBe('conflict');
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('flags duplicates that a merge brought in instead of failing', () => {
    const a = new Y.Doc();
    const b = fork(a);
    addStakeholder(a, { name: 'Sam Reed' });
    addStakeholder(b, { name: 'sam reed' });
    exchange(a, b);
    const reading = readStakeholders(a);
    expect(reading.stakeholders).toHaveLength(2);
    expect(reading.duplicates.size).toBe(2);
  });

  it('refuses invalid fields and over-long texts before writing', () => {
    const doc = new Y.Doc();
    expect(errorOf(() => addStakeholder(doc, { name: '' })).code).toBe('invalid_request');
    expect(errorOf(() => addStakeholder(doc, { name: 'A', fluency: 7 })).message).toContain('fluency');
    expect(errorOf(() => addStakeholder(doc, { name: 'A', kind: 'boss' as never })).message).toContain('Kind is one of');
    expect(errorOf(() => addStakeholder(doc, { name: 'A', notes: 'x'.repeat(10_001) })).message).toContain('at most 10,000');
    expect(stakeholdersMap(doc).size).toBe(0);
  });

  it('reads a damaged field from another device as its default and says so', () => {
    const doc = new Y.Doc();
    const id = addStakeholder(doc, { name: 'Kim' });
    stakeholdersMap(doc).get(id)?.set('fluency', 'very');
    const { stakeholders, problems } = readStakeholders(doc);
    expect(stakeholders[0]?.fluency).toBe(2);
    expect(problems[0]).toContain('fluency');
  });
});

describe('translation cards', () => {
  function setup() {
    const doc = new Y.Doc();
    const maria = addStakeholder(doc, { name: 'Maria Lopez', kind: 'operations' });
    const dev = addStakeholder(doc, { name: 'Dev Patel', kind: 'it_security' });
    const ceo = addStakeholder(doc, { name: 'Ruth King', kind: 'executive' });
    const card = addCard(doc, {
      title: 'Pick suggestions arrive late',
      finding: 'p99 inference latency exceeds 2 s because the ERP API throttles us to 5 req/s',
      severity: 'high',
    });
    return { doc, maria, dev, ceo, card };
  }

  it('holds one rendering per audience, with status, delivery date and channel', () => {
    const { doc, maria, card } = setup();
    setRendering(
      doc,
      card,
      { type: 'stakeholder', id: maria },
      { explanation: 'During the morning peak…', ask: 'Nothing' },
      { now: '2026-03-02T09:00:00Z' },
    );
    setRendering(doc, card, { type: 'kind', kind: 'executive' }, { impact: 'About 40 late picks a day' });
    setRendering(
      doc,
      card,
      { type: 'stakeholder', id: maria },
      { status: 'delivered', deliveredVia: 'stand-up' },
      { now: '2026-03-03T09:00:00Z' },
    );
    const [read] = readCards(doc).cards;
    expect(read?.renderings.map((r) => [r.audienceLabel, r.status, r.deliveredAt, r.deliveredVia])).toEqual([
      ['Maria Lopez', 'delivered', '2026-03-03', 'stand-up'],
      ['Executives', 'draft', null, ''],
    ]);
  });

  it('shows who has not been told; a delivered rendering for a kind counts for that kind', () => {
    const { doc, maria, card } = setup();
    const names = () => {
      const { stakeholders } = readStakeholders(doc);
      return notYetTold(readCards(doc).cards[0] as never, stakeholders).map((s) => s.name);
    };
    expect(names()).toEqual(['Dev Patel', 'Maria Lopez', 'Ruth King']);
    setRendering(doc, card, { type: 'stakeholder', id: maria }, { explanation: 'x', status: 'reviewed' });
    expect(names()).toEqual(['Dev Patel', 'Maria Lopez', 'Ruth King']);
    setRendering(doc, card, { type: 'stakeholder', id: maria }, { status: 'delivered' });
    setRendering(doc, card, { type: 'kind', kind: 'executive' }, { explanation: 'y', status: 'delivered' });
    expect(names()).toEqual(['Dev Patel']);
  });

  it('keeps a deleted stakeholder’s renderings under the name they had; nothing else breaks', () => {
    const { doc, dev, card } = setup();
    setRendering(doc, card, { type: 'stakeholder', id: dev }, { explanation: 'ERP throttling' });
    updateStakeholder(doc, dev, { name: 'Devika Patel' });
    removeStakeholder(doc, dev);
    const [read] = readCards(doc).cards;
    expect(read?.renderings[0]).toMatchObject({ audienceLabel: 'Devika Patel', audienceGone: true, explanation: 'ERP throttling' });
    // Editing the orphaned rendering still works; a new rendering for the gone stakeholder is refused.
    setRendering(doc, card, { type: 'stakeholder', id: dev }, { status: 'reviewed' });
    const other = addCard(doc, { title: 'Another' });
    expect(errorOf(() => setRendering(doc, other, { type: 'stakeholder', id: dev }, { explanation: 'x' })).code).toBe('not_found');
    expect(renderingFor(readCards(doc).cards.find((c) => c.id === card) as never, { type: 'stakeholder', id: dev }, [])?.status).toBe(
      'reviewed',
    );
  });

  it('merges two replicas that edited different audience renderings of the same card', () => {
    const { doc: a, maria, dev, card } = setup();
    setRendering(a, card, { type: 'stakeholder', id: maria }, { explanation: 'Picks arrive late in the morning.' });
    const b = fork(a);
    // Offline on two laptops: A rewrites Maria's rendering and delivers it; B writes Dev's and the exec one.
    setRendering(
      a,
      card,
      { type: 'stakeholder', id: maria },
      { explanation: 'Picks arrive late at the morning peak.', status: 'delivered' },
    );
    setRendering(
      b,
      card,
      { type: 'stakeholder', id: dev },
      { explanation: 'The ERP API allows 5 requests a second.', ask: 'Raise the limit to 20.' },
    );
    setRendering(b, card, { type: 'kind', kind: 'executive' }, { impact: 'About 40 late picks a day.' });
    updateCard(b, card, { severity: 'critical' });
    exchange(a, b);
    for (const doc of [a, b]) {
      const [read] = readCards(doc).cards;
      expect(read?.severity).toBe('critical');
      expect(read?.renderings.map((r) => [r.audienceLabel, r.status, r.explanation || r.impact])).toEqual([
        ['Dev Patel', 'draft', 'The ERP API allows 5 requests a second.'],
        ['Maria Lopez', 'delivered', 'Picks arrive late at the morning peak.'],
        ['Executives', 'draft', 'About 40 late picks a day.'],
      ]);
    }
    expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(b));
  });

  it('merges concurrent typing in the same rendering character by character', () => {
    const { doc: a, maria, card } = setup();
    setRendering(a, card, { type: 'stakeholder', id: maria }, { explanation: 'Picks are late.' });
    const b = fork(a);
    setRendering(a, card, { type: 'stakeholder', id: maria }, { explanation: 'Morning picks are late.' });
    setRendering(b, card, { type: 'stakeholder', id: maria }, { explanation: 'Picks are late, about 40 a day.' });
    exchange(a, b);
    expect(readCards(a).cards[0]?.renderings[0]?.explanation).toBe('Morning picks are late, about 40 a day.');
  });

  it('keeps one of two renderings created for the same audience at once; the import review flags the clash', () => {
    const { doc, maria, card } = setup();
    const a = new Y.Doc({ gc: false });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(doc));
    const b = new Y.Doc({ gc: false });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(doc));
    setRendering(a, card, { type: 'stakeholder', id: maria }, { explanation: 'Written on laptop A.' });
    setRendering(b, card, { type: 'stakeholder', id: maria }, { explanation: 'Written on laptop B.' });
    exchange(a, b);
    const kept = readCards(a).cards[0]?.renderings ?? [];
    expect(kept).toHaveLength(1);
    expect(['Written on laptop A.', 'Written on laptop B.']).toContain(kept[0]?.explanation);
    expect(readCards(b).cards[0]?.renderings[0]?.explanation).toBe(kept[0]?.explanation);
    // A known limit: the other one's text is not kept in view; the Sync view's review of concurrent
    // changes flags the clash (as a whole structure it cannot restore).
    const conflicts = concurrentFieldSets(a).filter((c) => c.path === `cards.${card}.renderings.stakeholder:${maria}`);
    expect(conflicts).toHaveLength(1);
  });

  it('refuses invalid card input and unknown cards', () => {
    const { doc, card } = setup();
    expect(errorOf(() => addCard(doc, { title: ' ' })).code).toBe('invalid_request');
    expect(errorOf(() => updateCard(doc, card, { severity: 'huge' as never })).code).toBe('invalid_request');
    expect(errorOf(() => setRendering(doc, card, { type: 'kind', kind: 'vendor' }, { explanation: 'x'.repeat(10_001) })).code).toBe(
      'invalid_request',
    );
    expect(errorOf(() => setRendering(doc, card, { type: 'kind', kind: 'vendor' }, { deliveredAt: 'yesterday' })).code).toBe(
      'invalid_request',
    );
    removeCard(doc, card);
    expect(errorOf(() => updateCard(doc, card, { title: 'x' })).code).toBe('not_found');
    expect(readCards(doc).cards).toEqual([]);
  });
});

describe('glossary', () => {
  it('adds terms, refuses a duplicate term, sorts by term', () => {
    const doc = new Y.Doc();
    addGlossaryEntry(doc, { term: 'wave', meaning: 'a batch of picks released together' });
    addGlossaryEntry(doc, { term: 'the green screen', meaning: 'the AS/400 order entry terminal', aliases: ['green screen'] });
    expect(errorOf(() => addGlossaryEntry(doc, { term: 'WAVE' })).code).toBe('conflict');
    expect(readGlossary(doc).entries.map((e) => [e.term, e.kind])).toEqual([
      ['the green screen', 'client'],
      ['wave', 'client'],
    ]);
  });
});
