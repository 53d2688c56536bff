import type * as Y from 'yjs';
import { MAP_KEYS } from '../engagements/doc';
import { LESSON_KEYS } from '../lessons/doc';
import { STAKEHOLDER_KEYS } from '../stakeholders/doc';

/**
 * What an import changes inside an engagement's document, section by section (the map's systems,
 * integrations and zones; stakeholders, translation cards and glossary terms; lessons and outcome
 * metrics), for the preview:
 * "3 systems added, 1 changed". Each section is a top-level Y.Map from an id to the object's
 * fields, so entries are compared by id, and their fields by value.
 */
export const ENGAGEMENT_SECTIONS = [
  { key: MAP_KEYS.systems, label: 'systems' },
  { key: MAP_KEYS.integrations, label: 'integrations' },
  { key: MAP_KEYS.zones, label: 'zones' },
  { key: STAKEHOLDER_KEYS.stakeholders, label: 'stakeholders' },
  { key: STAKEHOLDER_KEYS.cards, label: 'translation cards' },
  { key: STAKEHOLDER_KEYS.glossary, label: 'glossary terms' },
  { key: LESSON_KEYS.lessons, label: 'lessons' },
  { key: LESSON_KEYS.outcomes, label: 'outcome metrics' },
] as const;

export interface SectionChange {
  section: string;
  added: number;
  changed: number;
  removed: number;
}

/** Section changes from `before` (null: the document is new here) to `after`; sections without any are left out. */
export function sectionChanges(before: Y.Doc | null, after: Y.Doc): SectionChange[] {
  const changes: SectionChange[] = [];
  for (const { key, label } of ENGAGEMENT_SECTIONS) {
    const old = before ? entries(before, key) : new Map<string, string>();
    const now = entries(after, key);
    const change = { section: label, added: 0, changed: 0, removed: 0 };
    for (const [id, value] of now) {
      const previous = old.get(id);
      if (previous === undefined) change.added++;
      else if (previous !== value) change.changed++;
    }
    for (const id of old.keys()) if (!now.has(id)) change.removed++;
    if (change.added || change.changed || change.removed) changes.push(change);
  }
  return changes;
}

/** A section's entries as id → canonical JSON (fields sorted: replicas may hold them in another order). */
function entries(doc: Y.Doc, key: string): Map<string, string> {
  const out = new Map<string, string>();
  // getMap also turns a root type an update created before anyone asked for it into a map.
  const json = doc.getMap<unknown>(key).toJSON() as Record<string, unknown>;
  for (const [id, value] of Object.entries(json)) out.set(id, canonicalJson(value));
  return out;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** "systems: 3 added, 1 changed" — one line per section, for previews and the CLI. */
export function sectionLine({ section, added, changed, removed }: SectionChange): string {
  const parts = [added && `${added} added`, changed && `${changed} changed`, removed && `${removed} removed`].filter(Boolean);
  return `${section}: ${parts.join(', ')}`;
}
