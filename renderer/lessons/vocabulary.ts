import { DEFAULT_SKILL_AREAS, type Outcome, outcomeImprovement } from '../../shared/lessons/model';
import { FORMAT_SUGGESTIONS, PROTOCOL_SUGGESTIONS, SYSTEM_KIND_LABELS, SYSTEM_KINDS, type SystemKind } from '../../shared/map/model';

/**
 * Pure helpers of the lessons views: the vocabularies the editor offers, labels, and the small
 * calculations (improvements, positions, progress) the views show.
 */

const norm = (s: string) => s.trim().toLocaleLowerCase();

/** The default skill areas first, then every other one in use (sorted), each once whatever its case. */
export function skillAreaOptions(inUse: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const area of [...DEFAULT_SKILL_AREAS, ...inUse.map((a) => a.trim()).sort((a, b) => a.localeCompare(b))]) {
    const key = norm(area);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(area);
  }
  return out;
}

export interface VocabularyItem {
  /** system:<kind>, protocol:<name> or format:<name> (as stored in a lesson's appliesTo). */
  value: string;
  label: string;
  /** True when the engagement's map uses it. */
  inMap: boolean;
}

/**
 * What a lesson can apply to, in the environment map's words: every system kind, the protocol and
 * format suggestions, and whatever protocols and formats this engagement's map uses; the map's own
 * first within each group.
 */
export function appliesToVocabulary(map: {
  systems: ReadonlyArray<{ kind: string }>;
  integrations: ReadonlyArray<{ protocol: string; format: string }>;
}): VocabularyItem[] {
  const kinds = new Set(map.systems.map((s) => s.kind));
  const protocols = new Set(map.integrations.map((i) => i.protocol.trim()).filter(Boolean));
  const formats = new Set(map.integrations.map((i) => i.format.trim()).filter(Boolean));
  const group = (prefix: string, all: readonly string[], used: Set<string>): VocabularyItem[] => {
    const items = new Map<string, VocabularyItem>();
    for (const name of [...used, ...all]) {
      const value = `${prefix}:${name}`;
      const key = norm(value);
      if (!items.has(key)) items.set(key, { value, label: appliesToLabel(value), inMap: used.has(name) });
    }
    return [...items.values()].sort((a, b) => Number(b.inMap) - Number(a.inMap) || a.label.localeCompare(b.label));
  };
  return [
    ...group('system', SYSTEM_KINDS, kinds),
    ...group('protocol', PROTOCOL_SUGGESTIONS, protocols),
    ...group('format', FORMAT_SUGGESTIONS, formats),
  ];
}

/** "system:database" → "Database (system)", "protocol:SOAP" → "SOAP (protocol)". */
export function appliesToLabel(value: string): string {
  const at = value.indexOf(':');
  if (at < 0) return value;
  const prefix = value.slice(0, at);
  const name = value.slice(at + 1);
  if (prefix === 'system') return `${SYSTEM_KIND_LABELS[name as SystemKind] ?? name} (system)`;
  return `${name} (${prefix})`;
}

/**
 * Turns what a person typed into an "applies to" value: a vocabulary label or value is taken as it
 * is; "kind: x" style input is kept; a bare word becomes a system kind when it is one, else a
 * protocol. Returns null for nothing usable.
 */
export function parseAppliesTo(input: string, vocabulary: readonly VocabularyItem[]): string | null {
  const text = input.trim();
  if (!text) return null;
  const hit = vocabulary.find((v) => norm(v.value) === norm(text) || norm(v.label) === norm(text));
  if (hit) return hit.value;
  const prefixed = /^(system|protocol|format)\s*:\s*(.+)$/i.exec(text);
  if (prefixed) return `${(prefixed[1] as string).toLowerCase()}:${(prefixed[2] as string).trim()}`;
  const kind = SYSTEM_KINDS.find((k) => norm(k) === norm(text) || norm(SYSTEM_KIND_LABELS[k]) === norm(text));
  return kind ? `system:${kind}` : `protocol:${text}`;
}

/** Parses a number field: '' is "not measured" (null); anything not a number is undefined (refused). */
export function parseMeasure(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/,/g, '');
  if (!trimmed) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

const formatNumber = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** "Improved by 128 late picks/day (91 %)", "Worse by 2 (5 %)", "No change", or null without both values. */
export function describeImprovement(outcome: Pick<Outcome, 'baseline' | 'achieved' | 'better' | 'unit'>): string | null {
  const change = outcomeImprovement(outcome);
  if (!change) return null;
  if (change.delta === 0) return 'No change';
  const unit = outcome.unit ? ` ${outcome.unit}` : '';
  const percent = change.percent === null ? '' : ` (${formatNumber(Math.abs(change.percent))} %)`;
  return `${change.delta > 0 ? 'Improved' : 'Worse'} by ${formatNumber(Math.abs(change.delta))}${unit}${percent}`;
}

/**
 * The position that moves item `index` of an ordered list one step up (-1) or down (+1): halfway
 * between its new neighbours, so one number changes (concurrent moves never duplicate an item).
 * Null when it cannot move that way.
 */
export function movedPosition(positions: readonly number[], index: number, direction: -1 | 1): number | null {
  const target = index + direction;
  if (index < 0 || index >= positions.length || target < 0 || target >= positions.length) return null;
  const neighbour = positions[target] as number;
  const beyond = positions[target + direction];
  if (beyond === undefined) return neighbour + direction;
  return (neighbour + beyond) / 2;
}

/** A retrospective's progress: how many items are decided, and the first one still to decide. */
export function retrospectiveProgress(
  itemKeys: readonly string[],
  decisions: Readonly<Record<string, unknown>>,
): { decided: number; total: number; next: string | null } {
  let decided = 0;
  let next: string | null = null;
  for (const key of itemKeys) {
    if (decisions[key]) decided++;
    else next ??= key;
  }
  return { decided, total: itemKeys.length, next };
}

/** A snippet with matches between « and » as parts to render (never as HTML). */
export function snippetParts(snippet: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  const re = /«([^»]*)»/g;
  let at = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > at) parts.push({ text: snippet.slice(at, m.index), match: false });
    parts.push({ text: m[1] as string, match: true });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), match: false });
  return parts;
}

/** Adds or removes one value of a facet selection. */
export function toggleValue(list: readonly string[] | undefined, value: string, on: boolean): string[] {
  const current = list ?? [];
  return on ? (current.includes(value) ? [...current] : [...current, value]) : current.filter((v) => v !== value);
}
