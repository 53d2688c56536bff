import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyEngagementPatch, engagementFieldsMap, initEngagementDoc, readEngagement } from '../../../shared/engagements/doc';
import { OutpostError } from '../../../shared/errors';

const ID = '11111111-2222-4333-8444-555555555555';

function newEngagementDoc(): Y.Doc {
  const doc = new Y.Doc();
  initEngagementDoc(
    doc,
    ID,
    { client: 'Acme', codename: 'HERON', site: 'Reno', ceiling: 'CUI', summary: 'First.' },
    '2026-01-01T00:00:00.000Z',
  );
  return doc;
}

function fork(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('engagement doc', () => {
  it('reads back what was written, with defaults', () => {
    const { engagement, problems } = readEngagement(newEngagementDoc());
    expect(problems).toEqual([]);
    expect(engagement).toEqual({
      id: ID,
      createdAt: '2026-01-01T00:00:00.000Z',
      client: 'Acme',
      site: 'Reno',
      codename: 'HERON',
      ceiling: 'CUI',
      startDate: null,
      endDate: null,
      status: 'planned',
      summary: 'First.',
      archived: false,
      team: [],
    });
  });

  it('refuses an invalid patch whole and leaves the doc untouched', () => {
    const doc = newEngagementDoc();
    const before = Y.encodeStateVector(doc);
    const invalid = [
      { client: '' },
      { status: 'done' },
      { startDate: '2026-02-30' },
      { codename: 'x'.repeat(65) },
      { site: 'ok', bogus: 1 },
      {},
      { startDate: '2026-05-01', endDate: '2026-04-01' },
    ];
    for (const patch of invalid) {
      expect(() => applyEngagementPatch(doc, patch as never)).toThrow(OutpostError);
    }
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('checks a new date against the date already stored', () => {
    const doc = newEngagementDoc();
    applyEngagementPatch(doc, { startDate: '2026-03-01' });
    expect(() => applyEngagementPatch(doc, { endDate: '2026-02-01' })).toThrow(/before the start date/);
    applyEngagementPatch(doc, { endDate: '2026-04-01' });
    expect(readEngagement(doc).engagement.endDate).toBe('2026-04-01');
  });

  it('keeps both offline edits of different fields after a merge', () => {
    const a = newEngagementDoc();
    const b = fork(a);
    applyEngagementPatch(a, { status: 'active' });
    applyEngagementPatch(b, { site: 'Sparks' });
    exchange(a, b);
    expect(readEngagement(a).engagement).toEqual(readEngagement(b).engagement);
    expect(readEngagement(a).engagement).toMatchObject({ status: 'active', site: 'Sparks' });
  });

  it('merges concurrent typing in the summary character by character', () => {
    const a = newEngagementDoc();
    const b = fork(a);
    applyEngagementPatch(a, { summary: 'Before. First.' });
    applyEngagementPatch(b, { summary: 'First. After.' });
    exchange(a, b);
    expect(readEngagement(a).engagement.summary).toBe('Before. First. After.');
    expect(readEngagement(b).engagement.summary).toBe('Before. First. After.');
  });

  it('keeps team member identity: a rename on one side and a new member on the other both survive', () => {
    const a = newEngagementDoc();
    applyEngagementPatch(a, { team: [{ name: 'Ana', role: 'FDE' }] });
    const b = fork(a);
    const ana = readEngagement(a).engagement.team[0];
    applyEngagementPatch(a, { team: [{ ...ana, role: 'Lead FDE' } as never] });
    applyEngagementPatch(b, { team: [ana as never, { name: 'Ben', role: 'Data' }] });
    exchange(a, b);
    const team = readEngagement(a).engagement.team;
    expect(team.map((m) => `${m.name}/${m.role}`)).toEqual(['Ana/Lead FDE', 'Ben/Data']);
    expect(readEngagement(b).engagement.team).toEqual(team);
  });

  it('falls back field by field when a stored value is invalid (e.g. from another device)', () => {
    const doc = newEngagementDoc();
    engagementFieldsMap(doc).set('status', 'exploded');
    engagementFieldsMap(doc).set('startDate', 'yesterday');
    const { engagement, problems } = readEngagement(doc);
    expect(engagement.status).toBe('planned');
    expect(engagement.startDate).toBeNull();
    expect(engagement.client).toBe('Acme');
    expect(problems).toHaveLength(2);
  });
});
