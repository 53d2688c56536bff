import * as Y from 'yjs';
import { diffText } from './text-diff';

/**
 * Records kept as a Y.Map of fields (stakeholders, cards, lessons…): one Yjs entry per field, so
 * two people who edit different fields offline both keep their edit. Texts people type into are
 * Y.Text (merged character by character); short fields and lists are plain values.
 */
export type FieldMap = Y.Map<unknown>;

/** Writes one field, touching the doc only when the value changes; texts are diffed into their Y.Text. */
export function writeField(map: FieldMap, key: string, value: unknown, texts: ReadonlySet<string>): void {
  if (texts.has(key)) {
    const next = String(value ?? '');
    let current = map.get(key);
    if (!(current instanceof Y.Text)) {
      if (!next && current === undefined) return;
      current = new Y.Text();
      map.set(key, current);
    }
    const ytext = current as Y.Text;
    const change = diffText(ytext.toString(), next);
    if (change) {
      if (change.deleteCount) ytext.delete(change.index, change.deleteCount);
      if (change.insert) ytext.insert(change.index, change.insert);
    }
    return;
  }
  const current = map.get(key);
  if (Array.isArray(value) ? JSON.stringify(current) !== JSON.stringify(value) : current !== value) map.set(key, value);
}

export function readText(map: FieldMap, key: string): string {
  const value = map.get(key);
  if (value instanceof Y.Text) return value.toString();
  return typeof value === 'string' ? value : '';
}

/** Reads one field defensively: a value from another device or version that fails its schema falls back. */
export function pickField<T>(
  map: FieldMap,
  key: string,
  schema: { safeParse: (v: unknown) => { success: boolean; data?: unknown } },
  fallback: T,
  problems: string[],
  where: string,
): T {
  const raw = map.get(key);
  if (raw === undefined) return fallback;
  const value = raw instanceof Y.Text ? raw.toString() : raw;
  const result = schema.safeParse(value);
  if (result.success) return result.data as T;
  problems.push(`${where}.${key}: invalid value`);
  return fallback;
}
