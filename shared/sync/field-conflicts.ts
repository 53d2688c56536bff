import * as Y from 'yjs';

/**
 * Concurrent writes to the same field. Text merges keep both sides, but a field (a Y.Map entry:
 * a note's title, an engagement's status, a system's owner) keeps one value when two people set it
 * without seeing each other's change. In Yjs each set of a key records the value it replaced (its
 * origin); a value nobody replaced knowingly is a "head". One head is the normal case; more than
 * one means concurrent sets, and every head but the visible one was overwritten without anyone
 * seeing it. Works on documents created with `gc: false`, so overwritten values stay readable.
 */

export interface FieldConflict {
  /** Where the field lives: the map's path and the key, e.g. `meta.title` or `systems.<id>.status`. */
  path: string;
  /** The value the document shows. */
  kept: unknown;
  /** The value that was overwritten by a concurrent one. */
  overwritten: unknown;
  /** Yjs id of the overwritten value (which replica wrote it, and when in its own sequence). */
  overwrittenClient: number;
  overwrittenClock: number;
  keptClient: number;
}

const idKey = (id: Y.ID) => `${id.client}:${id.clock}`;

/** Every Y.Map of a document reachable from its root types through map values, with its path. */
function mapsOf(doc: Y.Doc): Array<{ path: string; map: Y.Map<unknown> }> {
  const found: Array<{ path: string; map: Y.Map<unknown> }> = [];
  const visit = (path: string, map: Y.Map<unknown>) => {
    found.push({ path, map });
    for (const [key, value] of map.entries()) if (value instanceof Y.Map) visit(`${path}.${key}`, value);
  };
  for (const [name, type] of doc.share) {
    // Root types are typed on first access; a map root holds its entries in `_map`.
    if (type instanceof Y.Map || (type._map.size > 0 && type._start === null)) visit(name, doc.getMap(name));
  }
  return found;
}

/** The items ever set for `key` of `map`, visible or overwritten. */
function itemsOfKey(map: Y.Map<unknown>, key: string): Y.Item[] {
  const items: Y.Item[] = [];
  for (let item = map._map.get(key) ?? null; item; item = item.left) items.push(item);
  return items;
}

function itemValue(item: Y.Item): unknown {
  const content = item.content.getContent();
  const value = content[content.length - 1];
  return value instanceof Y.AbstractType ? value.toJSON() : value;
}

/** Overwritten heads of every key (values replaced by a concurrent one), by field path. */
export function overwrittenHeads(doc: Y.Doc): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const conflict of scan(doc, new Map())) {
    const ids = result.get(conflict.path) ?? new Set<string>();
    ids.add(conflict.id);
    result.set(conflict.path, ids);
  }
  return result;
}

/**
 * Fields where a value was overwritten by a concurrent one, leaving out those already overwritten
 * `before` a merge (from `overwrittenHeads`), so a conflict is reported once. Two sides that set
 * the same value are not a conflict.
 */
export function concurrentFieldSets(doc: Y.Doc, before: Map<string, Set<string>> = new Map()): FieldConflict[] {
  return scan(doc, before).map(({ id: _id, ...conflict }) => conflict);
}

function scan(doc: Y.Doc, before: Map<string, Set<string>>): Array<FieldConflict & { id: string }> {
  const conflicts: Array<FieldConflict & { id: string }> = [];
  for (const { path, map } of mapsOf(doc)) {
    for (const key of map._map.keys()) {
      const items = itemsOfKey(map, key);
      const winner = items[0];
      if (!winner || winner.deleted) continue;
      const replaced = new Set(items.map((item) => (item.origin ? idKey(item.origin) : '')));
      const field = `${path}.${key}`;
      const known = before.get(field);
      for (const item of items.slice(1)) {
        if (replaced.has(idKey(item.lastId)) || known?.has(idKey(item.id))) continue;
        if (item.content instanceof Y.ContentDeleted) continue; // collected: the value is gone
        const kept = itemValue(winner);
        const overwritten = itemValue(item);
        if (JSON.stringify(kept) === JSON.stringify(overwritten)) continue;
        conflicts.push({
          id: idKey(item.id),
          path: field,
          kept,
          overwritten,
          overwrittenClient: item.id.client,
          overwrittenClock: item.id.clock,
          keptClient: winner.id.client,
        });
      }
    }
  }
  return conflicts;
}
