import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OutpostError } from '../../../shared/errors';
import { applyMapChanges, mapSystemsMap, readMap } from '../../../shared/map/doc';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const Z = '44444444-4444-4444-8444-444444444444';
const I = '55555555-5555-4555-8555-555555555555';

function fork(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function baseDoc(): Y.Doc {
  const doc = new Y.Doc();
  applyMapChanges(doc, [
    { op: 'addZone', zone: { id: Z, name: 'DMZ', kind: 'dmz' } },
    { op: 'addSystem', system: { id: A, name: 'SAP ECC', kind: 'application', vendor: 'SAP', zone: Z } },
    { op: 'addSystem', system: { id: B, name: 'WMS', kind: 'database' } },
    { op: 'addIntegration', integration: { id: I, from: A, to: B, protocol: 'ODBC/JDBC', format: 'CSV' } },
  ]);
  return doc;
}

describe('map doc', () => {
  it('reads back what was written, with defaults, sorted by name', () => {
    const { map, problems } = readMap(baseDoc());
    expect(problems).toEqual([]);
    expect(map.systems.map((s) => s.name)).toEqual(['SAP ECC', 'WMS']);
    expect(map.systems[0]).toMatchObject({ id: A, kind: 'application', vendor: 'SAP', zone: Z, status: 'healthy', tags: [], x: null });
    expect(map.integrations).toEqual([
      expect.objectContaining({ id: I, from: A, to: B, direction: 'one-way', protocol: 'ODBC/JDBC', format: 'CSV', status: 'healthy' }),
    ]);
    expect(map.zones).toEqual([{ id: Z, name: 'DMZ', kind: 'dmz' }]);
  });

  it('sorts systems by name ignoring case and accents, as localeCompare does, and same names by id', () => {
    const names = ['wms', 'Éclair', 'eclair', 'SAP ECC', 'sap ecc', 'Zebra', 'apex', 'Äpfel', 'item 10', 'item 2', 'SAP'];
    const ids = names.map((_, i) => `00000000-0000-4000-8000-${String(100 - i).padStart(12, '0')}`);
    const doc = new Y.Doc();
    applyMapChanges(
      doc,
      names.map((name, i) => ({ op: 'addSystem' as const, system: { id: ids[i] as string, name } })),
    );
    const expected = names
      .map((name, i) => ({ name, id: ids[i] as string }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.id < b.id ? -1 : 1));
    const read = readMap(doc).map.systems.map((s) => ({ name: s.name, id: s.id }));
    expect(read).toEqual(expected);
    // Names equal but for case or accents: by id (the ids count down, so not the insertion order).
    expect(read.filter((s) => s.name.toLowerCase() === 'eclair' || s.name === 'Éclair').map((s) => s.name)).toEqual(['eclair', 'Éclair']);
  });

  it('stores each field as its own map entry', () => {
    const fields = mapSystemsMap(baseDoc()).get(A);
    expect(fields).toBeInstanceOf(Y.Map);
    expect(fields?.get('vendor')).toBe('SAP');
  });

  it('keeps both edits when two replicas changed different fields of the same system', () => {
    const one = baseDoc();
    const two = fork(one);
    applyMapChanges(one, [{ op: 'updateSystem', id: A, patch: { vendor: 'SAP SE', version: '6.0 EHP8' } }]);
    applyMapChanges(two, [{ op: 'updateSystem', id: A, patch: { status: 'degraded', owner: 'Finance IT' } }]);
    applyMapChanges(two, [{ op: 'moveSystems', positions: [{ id: A, x: 100, y: 40 }] }]);
    exchange(one, two);
    const merged = readMap(one).map.systems.find((s) => s.id === A);
    expect(merged).toMatchObject({ vendor: 'SAP SE', version: '6.0 EHP8', status: 'degraded', owner: 'Finance IT', x: 100, y: 40 });
    expect(readMap(two).map).toEqual(readMap(one).map);
  });

  it('converges on one value when both replicas set the same field', () => {
    const one = baseDoc();
    const two = fork(one);
    applyMapChanges(one, [{ op: 'updateSystem', id: B, patch: { vendor: 'Manhattan' } }]);
    applyMapChanges(two, [{ op: 'updateSystem', id: B, patch: { vendor: 'Blue Yonder' } }]);
    exchange(one, two);
    const vendor = readMap(one).map.systems.find((s) => s.id === B)?.vendor;
    expect(['Manhattan', 'Blue Yonder']).toContain(vendor);
    expect(readMap(two).map.systems.find((s) => s.id === B)?.vendor).toBe(vendor);
  });

  it('concurrent delete vs edit: the delete wins, and an integration added to the deleted system is hidden', () => {
    const one = baseDoc();
    const two = fork(one);
    applyMapChanges(one, [{ op: 'removeSystem', id: B }]);
    applyMapChanges(two, [
      { op: 'updateSystem', id: B, patch: { vendor: 'Edited meanwhile' } },
      { op: 'addSystem', system: { id: C, name: 'Data lake' } },
      { op: 'addIntegration', integration: { from: C, to: B, protocol: 'Kafka' } },
    ]);
    exchange(one, two);
    for (const doc of [one, two]) {
      const { map, problems } = readMap(doc);
      expect(map.systems.map((s) => s.id).sort()).toEqual([A, C].sort());
      expect(map.integrations).toEqual([]);
      expect(problems.some((p) => p.includes('one of its systems was removed'))).toBe(true);
    }
  });

  it('removing a system removes its integrations; removing a zone clears it from systems', () => {
    const doc = baseDoc();
    applyMapChanges(doc, [{ op: 'removeZone', id: Z }]);
    expect(readMap(doc).map.systems.find((s) => s.id === A)?.zone).toBe('');
    applyMapChanges(doc, [{ op: 'removeSystem', id: A }]);
    expect(readMap(doc).map.integrations).toEqual([]);
    expect(readMap(doc).problems).toEqual([]);
  });

  it('refuses invalid changes and writes nothing', () => {
    const doc = baseDoc();
    const before = Y.encodeStateVector(doc);
    const attempts: unknown[][] = [
      [{ op: 'updateSystem', id: A, patch: { status: 'on fire' } }],
      [{ op: 'updateSystem', id: A, patch: { name: '   ' } }],
      [{ op: 'addIntegration', integration: { from: A, to: C } }],
      [
        { op: 'updateSystem', id: A, patch: { vendor: 'fine' } },
        { op: 'updateSystem', id: C, patch: { vendor: 'no such system' } },
      ],
      [{ op: 'updateSystem', id: A, patch: { zone: C } }],
      [{ op: 'updateSystem', id: A, patch: { color: 'red' } }],
    ];
    for (const changes of attempts) {
      expect(() => applyMapChanges(doc, changes as never)).toThrow(OutpostError);
    }
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('reads invalid stored values as defaults and says so', () => {
    const doc = baseDoc();
    mapSystemsMap(doc).get(A)?.set('status', 'exploded');
    const { map, problems } = readMap(doc);
    expect(map.systems.find((s) => s.id === A)?.status).toBe('healthy');
    expect(problems).toEqual([`system ${A}: invalid status`]);
  });

  it('applies a batch as one transaction (one undo step)', () => {
    const doc = baseDoc();
    const undo = new Y.UndoManager(mapSystemsMap(doc), { captureTimeout: 0 });
    applyMapChanges(doc, [
      { op: 'addSystem', system: { id: C, name: 'Kafka' } },
      { op: 'updateSystem', id: A, patch: { vendor: 'x' } },
    ]);
    undo.undo();
    const { map } = readMap(doc);
    expect(map.systems.map((s) => s.id)).not.toContain(C);
    expect(map.systems.find((s) => s.id === A)?.vendor).toBe('SAP');
  });
});
