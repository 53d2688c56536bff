import * as Y from 'yjs';
import { OutpostError } from '../errors';
import { newId } from '../ids';
import { parseOrThrow } from '../validation';
import { type FieldMap, pickField, readText, writeField } from '../y-fields';
import {
  type Audience,
  audienceKey,
  CARD_DEFAULTS,
  type Card,
  type CardCreate,
  type CardPatch,
  cardCreateSchema,
  cardFieldSchemas,
  cardPatchSchema,
  type GlossaryCreate,
  type GlossaryEntry,
  type GlossaryPatch,
  glossaryCreateSchema,
  glossaryFieldSchemas,
  glossaryPatchSchema,
  KIND_AUDIENCE_LABELS,
  parseAudienceKey,
  type Rendering,
  type RenderingPatch,
  renderingFieldSchemas,
  renderingPatchSchema,
  STAKEHOLDER_DEFAULTS,
  STAKEHOLDER_LIMITS,
  type Stakeholder,
  type StakeholderCreate,
  type StakeholderPatch,
  stakeholderCreateSchema,
  stakeholderFieldSchemas,
  stakeholderPatchSchema,
} from './model';

/**
 * Stakeholders, translation cards and the glossary live in the engagement's Y.Doc, each as a
 * top-level Y.Map from id to a Y.Map of fields: two people editing different fields of one
 * stakeholder (or different stakeholders) offline both keep their edit. A card's renderings are a
 * nested Y.Map keyed by audience (`stakeholder:<id>` or `kind:<kind>`), so two replicas writing
 * different audiences' renderings of the same card both survive a merge. Texts people type into
 * (finding, explanation, impact, ask, notes) are Y.Text, merged character by character; short
 * fields and lists are plain values (last writer wins per field).
 */
export const STAKEHOLDER_KEYS = { stakeholders: 'stakeholders', cards: 'cards', glossary: 'glossary' } as const;

export function stakeholdersMap(doc: Y.Doc): Y.Map<FieldMap> {
  return doc.getMap<FieldMap>(STAKEHOLDER_KEYS.stakeholders);
}
export function cardsMap(doc: Y.Doc): Y.Map<FieldMap> {
  return doc.getMap<FieldMap>(STAKEHOLDER_KEYS.cards);
}
export function glossaryMap(doc: Y.Doc): Y.Map<FieldMap> {
  return doc.getMap<FieldMap>(STAKEHOLDER_KEYS.glossary);
}

const STAKEHOLDER_TEXTS = new Set(['caresAbout', 'notes']);
const CARD_TEXTS = new Set(['finding']);
const RENDERING_TEXTS = new Set(['explanation', 'impact', 'ask']);

/** Names compare without case, accents of width or runs of spaces: "Ana  López" = "ana lópez". */
export function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
}

// ---- Stakeholders ---------------------------------------------------------------------------

export interface StakeholderReading {
  stakeholders: Stakeholder[];
  /** Ids of stakeholders sharing a name with another (possible after a merge). */
  duplicates: Set<string>;
  problems: string[];
}

export function readStakeholders(doc: Y.Doc): StakeholderReading {
  const problems: string[] = [];
  const stakeholders: Stakeholder[] = [];
  for (const [id, map] of stakeholdersMap(doc)) {
    if (!(map instanceof Y.Map)) continue;
    const name = pickField(map, 'name', stakeholderFieldSchemas.name, '', problems, `stakeholder ${id}`);
    if (!name) {
      problems.push(`stakeholder ${id}: no name; skipped`);
      continue;
    }
    const s: Stakeholder = { id, createdAt: String(map.get('createdAt') ?? ''), name, ...STAKEHOLDER_DEFAULTS };
    for (const key of Object.keys(STAKEHOLDER_DEFAULTS) as Array<keyof typeof STAKEHOLDER_DEFAULTS>) {
      (s as unknown as Record<string, unknown>)[key] = STAKEHOLDER_TEXTS.has(key)
        ? readText(map, key)
        : pickField(map, key, stakeholderFieldSchemas[key], STAKEHOLDER_DEFAULTS[key], problems, `stakeholder ${id}`);
    }
    stakeholders.push(s);
  }
  stakeholders.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const byName = new Map<string, string[]>();
  for (const s of stakeholders) byName.set(normalizeName(s.name), [...(byName.get(normalizeName(s.name)) ?? []), s.id]);
  const duplicates = new Set([...byName.values()].filter((ids) => ids.length > 1).flat());
  return { stakeholders, duplicates, problems };
}

function checkNameFree(doc: Y.Doc, name: string, exceptId: string | null): void {
  const wanted = normalizeName(name);
  const taken = readStakeholders(doc).stakeholders.find((s) => s.id !== exceptId && normalizeName(s.name) === wanted);
  if (taken) {
    throw new OutpostError(
      'conflict',
      `A stakeholder called "${taken.name}" already exists in this engagement${taken.role ? ` (${taken.role})` : ''}; use another name, e.g. with their team`,
    );
  }
}

/** Adds a stakeholder; a name already in the registry (ignoring case and spacing) is refused. */
export function addStakeholder(
  doc: Y.Doc,
  input: StakeholderCreate,
  options: { id?: string; now?: string; origin?: unknown } = {},
): string {
  const parsed = parseOrThrow(stakeholderCreateSchema, input, 'stakeholder');
  checkNameFree(doc, parsed.name, null);
  if (stakeholdersMap(doc).size >= STAKEHOLDER_LIMITS.stakeholders) {
    throw new OutpostError('invalid_request', `An engagement holds at most ${STAKEHOLDER_LIMITS.stakeholders} stakeholders`);
  }
  const id = options.id ?? newId();
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    stakeholdersMap(doc).set(id, map);
    map.set('id', id);
    map.set('createdAt', options.now ?? new Date().toISOString());
    const values = { ...STAKEHOLDER_DEFAULTS, ...parsed };
    for (const [key, value] of Object.entries(values)) writeField(map, key, value, STAKEHOLDER_TEXTS);
  }, options.origin);
  return id;
}

export function updateStakeholder(doc: Y.Doc, id: string, patch: StakeholderPatch, origin?: unknown): void {
  const parsed = parseOrThrow(stakeholderPatchSchema, patch, 'stakeholder change');
  const map = stakeholdersMap(doc).get(id);
  if (!(map instanceof Y.Map))
    throw new OutpostError('not_found', 'This stakeholder no longer exists (deleted, perhaps on another device)');
  if (parsed.name !== undefined) checkNameFree(doc, parsed.name, id);
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed)) writeField(map, key, value, STAKEHOLDER_TEXTS);
    // Renderings keep the name they address, for when the stakeholder is gone.
    if (parsed.name !== undefined) {
      const key = audienceKey({ type: 'stakeholder', id });
      for (const card of cardsMap(doc).values()) {
        const rendering = renderingsOf(card)?.get(key);
        if (rendering instanceof Y.Map && rendering.get('audienceLabel') !== parsed.name) rendering.set('audienceLabel', parsed.name);
      }
    }
  }, origin);
}

/** Removes a stakeholder. Cards keep their renderings for them, labelled with the name they had. */
export function removeStakeholder(doc: Y.Doc, id: string, origin?: unknown): void {
  if (!stakeholdersMap(doc).has(id)) throw new OutpostError('not_found', 'This stakeholder no longer exists');
  doc.transact(() => stakeholdersMap(doc).delete(id), origin);
}

// ---- Cards and renderings -------------------------------------------------------------------

function renderingsOf(card: FieldMap): Y.Map<FieldMap> | null {
  const renderings = card.get('renderings');
  return renderings instanceof Y.Map ? (renderings as Y.Map<FieldMap>) : null;
}

export function addCard(doc: Y.Doc, input: CardCreate, options: { id?: string; now?: string; origin?: unknown } = {}): string {
  const parsed = parseOrThrow(cardCreateSchema, input, 'translation card');
  if (cardsMap(doc).size >= STAKEHOLDER_LIMITS.cards) {
    throw new OutpostError('invalid_request', `An engagement holds at most ${STAKEHOLDER_LIMITS.cards} translation cards`);
  }
  const id = options.id ?? newId();
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    cardsMap(doc).set(id, map);
    map.set('id', id);
    map.set('createdAt', options.now ?? new Date().toISOString());
    map.set('renderings', new Y.Map());
    for (const [key, value] of Object.entries({ ...CARD_DEFAULTS, ...parsed })) writeField(map, key, value, CARD_TEXTS);
  }, options.origin);
  return id;
}

function cardMap(doc: Y.Doc, id: string): FieldMap {
  const map = cardsMap(doc).get(id);
  if (!(map instanceof Y.Map)) throw new OutpostError('not_found', 'This card no longer exists (deleted, perhaps on another device)');
  return map;
}

export function updateCard(doc: Y.Doc, id: string, patch: CardPatch, origin?: unknown): void {
  const parsed = parseOrThrow(cardPatchSchema, patch, 'card change');
  const map = cardMap(doc, id);
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed)) writeField(map, key, value, CARD_TEXTS);
  }, origin);
}

export function removeCard(doc: Y.Doc, id: string, origin?: unknown): void {
  cardMap(doc, id);
  doc.transact(() => cardsMap(doc).delete(id), origin);
}

/** The name an audience goes by now; for a deleted stakeholder, null. */
export function audienceName(doc: Y.Doc, audience: Audience): string | null {
  if (audience.type === 'kind') return KIND_AUDIENCE_LABELS[audience.kind];
  const map = stakeholdersMap(doc).get(audience.id);
  if (!(map instanceof Y.Map)) return null;
  const name = map.get('name');
  return typeof name === 'string' ? name : null;
}

/**
 * Creates or edits the rendering of a card for one audience. Marking it delivered without a date
 * records `now`'s date. A new rendering for a stakeholder who does not exist is refused.
 */
export function setRendering(
  doc: Y.Doc,
  cardId: string,
  audience: Audience,
  patch: RenderingPatch,
  options: { now?: string; origin?: unknown } = {},
): void {
  const parsed = parseOrThrow(renderingPatchSchema, patch, 'rendering');
  const card = cardMap(doc, cardId);
  const key = audienceKey(audience);
  const now = options.now ?? new Date().toISOString();
  const existing = renderingsOf(card)?.get(key);
  const label = audienceName(doc, audience);
  if (!(existing instanceof Y.Map) && label === null) {
    throw new OutpostError('not_found', 'This stakeholder no longer exists; a new rendering for them cannot be written');
  }
  const values: Record<string, unknown> = { ...parsed };
  if (parsed.status === 'delivered' && !('deliveredAt' in parsed) && !(existing instanceof Y.Map && existing.get('deliveredAt'))) {
    values.deliveredAt = now.slice(0, 10);
  }
  doc.transact(() => {
    let renderings = renderingsOf(card);
    if (!renderings) {
      renderings = new Y.Map<FieldMap>();
      card.set('renderings', renderings);
    }
    let map = renderings.get(key);
    if (!(map instanceof Y.Map)) {
      map = new Y.Map<unknown>();
      renderings.set(key, map);
      map.set('status', 'draft');
    }
    if (label !== null && map.get('audienceLabel') !== label) map.set('audienceLabel', label);
    for (const [field, value] of Object.entries(values)) writeField(map, field, value, RENDERING_TEXTS);
    map.set('updatedAt', now);
  }, options.origin);
}

export function removeRendering(doc: Y.Doc, cardId: string, key: string, origin?: unknown): void {
  const renderings = renderingsOf(cardMap(doc, cardId));
  if (!renderings?.has(key)) throw new OutpostError('not_found', 'This rendering no longer exists');
  doc.transact(() => renderings.delete(key), origin);
}

export interface CardReading {
  cards: Card[];
  problems: string[];
}

/** Cards, newest first; each rendering's audience label is the stakeholder's current name, or the name they had. */
export function readCards(doc: Y.Doc): CardReading {
  const problems: string[] = [];
  const cards: Card[] = [];
  const names = new Map<string, string>();
  for (const [id, map] of stakeholdersMap(doc))
    if (map instanceof Y.Map && typeof map.get('name') === 'string') names.set(id, map.get('name') as string);
  for (const [id, map] of cardsMap(doc)) {
    if (!(map instanceof Y.Map)) continue;
    const where = `card ${id}`;
    const renderings: Rendering[] = [];
    for (const [key, r] of renderingsOf(map) ?? []) {
      if (!(r instanceof Y.Map)) continue;
      const audience = parseAudienceKey(key);
      if (!audience) {
        problems.push(`${where}: rendering for an unknown audience "${key}" skipped`);
        continue;
      }
      const stored = typeof r.get('audienceLabel') === 'string' ? (r.get('audienceLabel') as string) : '';
      const current = audience.type === 'kind' ? KIND_AUDIENCE_LABELS[audience.kind] : names.get(audience.id);
      renderings.push({
        key,
        audience,
        audienceLabel: current ?? stored ?? 'Unknown stakeholder',
        audienceGone: current === undefined,
        explanation: readText(r, 'explanation'),
        impact: readText(r, 'impact'),
        ask: readText(r, 'ask'),
        status: pickField(r, 'status', renderingFieldSchemas.status, 'draft', problems, where),
        deliveredAt: pickField(r, 'deliveredAt', renderingFieldSchemas.deliveredAt, null, problems, where),
        deliveredVia: pickField(r, 'deliveredVia', renderingFieldSchemas.deliveredVia, '', problems, where),
        updatedAt: typeof r.get('updatedAt') === 'string' ? (r.get('updatedAt') as string) : '',
      });
    }
    renderings.sort(
      (a, b) => Number(a.audience?.type === 'kind') - Number(b.audience?.type === 'kind') || a.audienceLabel.localeCompare(b.audienceLabel),
    );
    cards.push({
      id,
      createdAt: String(map.get('createdAt') ?? ''),
      title: pickField(map, 'title', cardFieldSchemas.title, 'Untitled card', problems, where),
      finding: readText(map, 'finding'),
      evidence: pickField(map, 'evidence', cardFieldSchemas.evidence, [], problems, where),
      systems: pickField(map, 'systems', cardFieldSchemas.systems, [], problems, where),
      severity: pickField(map, 'severity', cardFieldSchemas.severity, CARD_DEFAULTS.severity, problems, where),
      confidence: pickField(map, 'confidence', cardFieldSchemas.confidence, CARD_DEFAULTS.confidence, problems, where),
      renderings,
    });
  }
  cards.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  return { cards, problems };
}

/**
 * The stakeholders a card has not reached yet: nobody delivered a rendering to them, nor to their
 * audience kind (a brief to "Executives" delivered at a steering committee counts for each executive).
 */
export function notYetTold(card: Card, stakeholders: readonly Stakeholder[]): Stakeholder[] {
  const delivered = new Set(card.renderings.filter((r) => r.status === 'delivered').map((r) => r.key));
  return stakeholders.filter(
    (s) => !delivered.has(audienceKey({ type: 'stakeholder', id: s.id })) && !delivered.has(audienceKey({ type: 'kind', kind: s.kind })),
  );
}

/** The rendering a brief for `audience` uses: the stakeholder's own, else the one for their kind. */
export function renderingFor(card: Card, audience: Audience, stakeholders: readonly Stakeholder[]): Rendering | null {
  const own = card.renderings.find((r) => r.key === audienceKey(audience));
  if (own || audience.type === 'kind') return own ?? null;
  const person = stakeholders.find((s) => s.id === audience.id);
  return person ? (card.renderings.find((r) => r.key === audienceKey({ type: 'kind', kind: person.kind })) ?? null) : null;
}

// ---- Glossary -------------------------------------------------------------------------------

function checkTermFree(doc: Y.Doc, term: string, exceptId: string | null): void {
  const wanted = normalizeName(term);
  const taken = readGlossary(doc).entries.find((e) => e.id !== exceptId && normalizeName(e.term) === wanted);
  if (taken) throw new OutpostError('conflict', `The glossary already explains "${taken.term}"`);
}

export function addGlossaryEntry(doc: Y.Doc, input: GlossaryCreate, options: { id?: string; origin?: unknown } = {}): string {
  const parsed = parseOrThrow(glossaryCreateSchema, input, 'glossary entry');
  checkTermFree(doc, parsed.term, null);
  if (glossaryMap(doc).size >= STAKEHOLDER_LIMITS.glossary) {
    throw new OutpostError('invalid_request', `A glossary holds at most ${STAKEHOLDER_LIMITS.glossary} terms`);
  }
  const id = options.id ?? newId();
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    glossaryMap(doc).set(id, map);
    map.set('id', id);
    for (const [key, value] of Object.entries({ meaning: '', kind: 'client', aliases: [], ...parsed }))
      writeField(map, key, value, new Set());
  }, options.origin);
  return id;
}

export function updateGlossaryEntry(doc: Y.Doc, id: string, patch: GlossaryPatch, origin?: unknown): void {
  const parsed = parseOrThrow(glossaryPatchSchema, patch, 'glossary change');
  const map = glossaryMap(doc).get(id);
  if (!(map instanceof Y.Map)) throw new OutpostError('not_found', 'This glossary term no longer exists');
  if (parsed.term !== undefined) checkTermFree(doc, parsed.term, id);
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed)) writeField(map, key, value, new Set());
  }, origin);
}

export function removeGlossaryEntry(doc: Y.Doc, id: string, origin?: unknown): void {
  if (!glossaryMap(doc).has(id)) throw new OutpostError('not_found', 'This glossary term no longer exists');
  doc.transact(() => glossaryMap(doc).delete(id), origin);
}

export function readGlossary(doc: Y.Doc): { entries: GlossaryEntry[]; problems: string[] } {
  const problems: string[] = [];
  const entries: GlossaryEntry[] = [];
  for (const [id, map] of glossaryMap(doc)) {
    if (!(map instanceof Y.Map)) continue;
    const term = pickField(map, 'term', glossaryFieldSchemas.term, '', problems, `glossary ${id}`);
    if (!term) continue;
    entries.push({
      id,
      term,
      meaning: pickField(map, 'meaning', glossaryFieldSchemas.meaning, '', problems, `glossary ${id}`),
      kind: pickField(map, 'kind', glossaryFieldSchemas.kind, 'client', problems, `glossary ${id}`),
      aliases: pickField(map, 'aliases', glossaryFieldSchemas.aliases, [], problems, `glossary ${id}`),
    });
  }
  entries.sort((a, b) => a.term.localeCompare(b.term, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  return { entries, problems };
}
