import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { concurrentFieldSets, overwrittenHeads } from '../../../shared/sync/field-conflicts';

const replica = (from?: Y.Doc) => {
  const doc = new Y.Doc({ gc: false });
  if (from) Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  return doc;
};

describe('concurrent field sets', () => {
  it('lists a field two replicas set without seeing each other, with both values, once', () => {
    const base = replica();
    base.getMap('meta').set('status', 'healthy');
    const ana = replica(base);
    const ben = replica(base);
    ana.getMap('meta').set('status', 'degraded');
    ben.getMap('meta').set('status', 'broken');
    ben.getMap('meta').set('owner', 'IT'); // only one side: no conflict

    const merged = replica(ana);
    const before = overwrittenHeads(merged);
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(ben));
    const conflicts = concurrentFieldSets(merged, before);
    expect(conflicts).toHaveLength(1);
    const [conflict] = conflicts;
    expect(conflict?.path).toBe('meta.status');
    expect([conflict?.kept, conflict?.overwritten].sort()).toEqual(['broken', 'degraded']);
    expect(conflict?.kept).toBe(merged.getMap('meta').get('status'));

    // Reported once: a later merge does not list it again.
    const again = overwrittenHeads(merged);
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(ana));
    expect(concurrentFieldSets(merged, again)).toEqual([]);
  });

  it('does not list a value changed after seeing the other (sequential), nor the same value set twice', () => {
    const ana = replica();
    ana.getMap('meta').set('title', 'Draft');
    const ben = replica(ana);
    ben.getMap('meta').set('title', 'Final'); // saw "Draft"
    const merged = replica(ana);
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(ben));
    expect(concurrentFieldSets(merged)).toEqual([]);

    const x = replica();
    const y = replica();
    x.getMap('tags').set('erp', true);
    y.getMap('tags').set('erp', true);
    Y.applyUpdate(x, Y.encodeStateAsUpdate(y));
    expect(concurrentFieldSets(x)).toEqual([]);
  });

  it('finds conflicts in nested maps (a system inside a map of systems)', () => {
    const base = replica();
    const system = new Y.Map<unknown>();
    base.getMap('systems').set('erp', system);
    system.set('status', 'healthy');
    const ana = replica(base);
    const ben = replica(base);
    (ana.getMap('systems').get('erp') as Y.Map<unknown>).set('status', 'degraded');
    (ben.getMap('systems').get('erp') as Y.Map<unknown>).set('status', 'retired');
    Y.applyUpdate(ana, Y.encodeStateAsUpdate(ben));
    expect(concurrentFieldSets(ana).map((c) => c.path)).toEqual(['systems.erp.status']);
  });
});
