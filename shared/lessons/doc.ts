import * as Y from 'yjs';
import { OutpostError } from '../errors';
import { newId } from '../ids';
import { parseOrThrow, withThousands } from '../validation';
import { type FieldMap, pickField, readText, writeField } from '../y-fields';
import {
  type Evidence,
  evidenceKey,
  evidenceSchema,
  LESSON_DEFAULTS,
  LESSON_LIMITS,
  LESSON_TEXT_FIELDS,
  type Lesson,
  type LessonCreate,
  type LessonPatch,
  lessonCreateSchema,
  lessonFieldSchemas,
  lessonPatchSchema,
  lessonRefSchema,
  lessonSourceSchema,
  OUTCOME_DEFAULTS,
  type Outcome,
  type OutcomeCreate,
  type OutcomePatch,
  outcomeCreateSchema,
  outcomeFieldSchemas,
  outcomePatchSchema,
} from './model';

/**
 * Lessons, outcome metrics and the retrospective live in the engagement's Y.Doc (they travel with
 * the engagement and its ceiling governs them). Each lesson is a Y.Map of fields, its long texts
 * Y.Text; evidence links are a nested Y.Map keyed by what they point at, so two engineers adding
 * evidence offline both keep theirs, and the same link added twice stays one.
 */
export const LESSON_KEYS = { lessons: 'lessons', outcomes: 'outcomes', retrospective: 'retrospective' } as const;

const TEXTS: ReadonlySet<string> = new Set(LESSON_TEXT_FIELDS);

export function lessonsMap(doc: Y.Doc): Y.Map<FieldMap> {
  return doc.getMap<FieldMap>(LESSON_KEYS.lessons);
}
export function outcomesMap(doc: Y.Doc): Y.Map<FieldMap> {
  return doc.getMap<FieldMap>(LESSON_KEYS.outcomes);
}
export function retrospectiveMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(LESSON_KEYS.retrospective);
}

function lessonMap(doc: Y.Doc, id: string): FieldMap {
  const map = lessonsMap(doc).get(id);
  if (!(map instanceof Y.Map)) throw new OutpostError('not_found', 'This lesson no longer exists (deleted, perhaps on another device)');
  return map;
}

function evidenceMapOf(map: FieldMap): Y.Map<Evidence> {
  let evidence = map.get('evidence');
  if (!(evidence instanceof Y.Map)) {
    evidence = new Y.Map<Evidence>();
    map.set('evidence', evidence);
  }
  return evidence as Y.Map<Evidence>;
}

function mergedFromMapOf(map: FieldMap): Y.Map<string> {
  let merged = map.get('mergedFrom');
  if (!(merged instanceof Y.Map)) {
    merged = new Y.Map<string>();
    map.set('mergedFrom', merged);
  }
  return merged as Y.Map<string>;
}

/** Adds a lesson to the engagement's doc; returns its id. */
export function addLesson(doc: Y.Doc, input: LessonCreate, options: { id?: string; now?: string; origin?: unknown } = {}): string {
  const parsed = parseOrThrow(lessonCreateSchema, input, 'lesson');
  if (lessonsMap(doc).size >= LESSON_LIMITS.lessons) {
    throw new OutpostError('invalid_request', `An engagement holds at most ${withThousands(LESSON_LIMITS.lessons)} lessons`);
  }
  const id = options.id ?? newId();
  const { evidence = [], source = { kind: 'manual', id: '' }, ...fields } = parsed;
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    lessonsMap(doc).set(id, map);
    map.set('id', id);
    map.set('createdAt', options.now ?? new Date().toISOString());
    map.set('source', source);
    map.set('mergedInto', null);
    for (const [key, value] of Object.entries({ ...LESSON_DEFAULTS, ...fields })) writeField(map, key, value, TEXTS);
    const links = evidenceMapOf(map);
    for (const item of evidence) links.set(evidenceKey(item), item);
  }, options.origin);
  return id;
}

export function updateLesson(doc: Y.Doc, id: string, patch: LessonPatch, origin?: unknown): void {
  const parsed = parseOrThrow(lessonPatchSchema, patch, 'lesson change');
  const map = lessonMap(doc, id);
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed)) writeField(map, key, value, TEXTS);
  }, origin);
}

export function removeLesson(doc: Y.Doc, id: string, origin?: unknown): void {
  lessonMap(doc, id);
  doc.transact(() => lessonsMap(doc).delete(id), origin);
}

/** Adds evidence links (a link already there is kept once). */
export function addEvidence(doc: Y.Doc, id: string, items: Evidence[], origin?: unknown): void {
  const parsed = items.map((item) => parseOrThrow(evidenceSchema, item, 'evidence link'));
  const map = lessonMap(doc, id);
  const links = map.get('evidence');
  const current = links instanceof Y.Map ? links.size : 0;
  if (current + parsed.length > LESSON_LIMITS.evidence) {
    throw new OutpostError('invalid_request', `A lesson holds at most ${LESSON_LIMITS.evidence} evidence links`);
  }
  doc.transact(() => {
    const target = evidenceMapOf(map);
    for (const item of parsed) if (!target.has(evidenceKey(item))) target.set(evidenceKey(item), item);
  }, origin);
}

export function removeEvidence(doc: Y.Doc, id: string, key: string, origin?: unknown): void {
  const map = lessonMap(doc, id);
  doc.transact(() => {
    const links = map.get('evidence');
    if (links instanceof Y.Map) links.delete(key);
  }, origin);
}

/**
 * Folds `absorbed` (a lesson from this or another engagement) into lesson `id`: every evidence
 * link, tag and "applies to" item is kept, and the absorbed lesson is listed as merged in. The
 * survivor's texts stay as they are (the person merging edits them). The absorbed lesson itself is
 * marked with `markMergedInto` in its own doc.
 */
export function absorbLesson(doc: Y.Doc, id: string, absorbed: Lesson, absorbedRef: string, origin?: unknown): void {
  const ref = parseOrThrow(lessonRefSchema, absorbedRef, 'lesson reference');
  const map = lessonMap(doc, id);
  const tags = pickField<string[]>(map, 'tags', lessonFieldSchemas.tags, [], [], 'lesson');
  const appliesTo = pickField<string[]>(map, 'appliesTo', lessonFieldSchemas.appliesTo, [], [], 'lesson');
  doc.transact(() => {
    const links = evidenceMapOf(map);
    for (const item of absorbed.evidence) if (!links.has(evidenceKey(item))) links.set(evidenceKey(item), item);
    const absorbedSelf: Evidence[] = [];
    // The absorbed lesson's own source note or card is evidence too.
    if ((absorbed.source.kind === 'note' || absorbed.source.kind === 'card') && absorbed.source.id) {
      absorbedSelf.push({ kind: absorbed.source.kind, engagementId: absorbed.engagementId, id: absorbed.source.id, label: absorbed.title });
    }
    for (const item of absorbedSelf) if (!links.has(evidenceKey(item))) links.set(evidenceKey(item), item);
    writeField(map, 'tags', [...new Set([...tags, ...absorbed.tags])].slice(0, 50), TEXTS);
    writeField(map, 'appliesTo', [...new Set([...appliesTo, ...absorbed.appliesTo])].slice(0, LESSON_LIMITS.appliesTo), TEXTS);
    const mergedFrom = mergedFromMapOf(map);
    // Set only what differs: a Y.Map set of the same value is still a change (absorbing twice must not write).
    for (const [key, title] of [[ref, absorbed.title], ...absorbed.mergedFrom.map((e) => [e.ref, e.title])] as const) {
      if (mergedFrom.get(key) !== title) mergedFrom.set(key, title);
    }
  }, origin);
}

/** Marks a lesson as merged into another; it stays in its engagement (nothing is lost) but leaves the library. */
export function markMergedInto(doc: Y.Doc, id: string, survivorRef: string | null, origin?: unknown): void {
  const ref = survivorRef === null ? null : parseOrThrow(lessonRefSchema, survivorRef, 'lesson reference');
  const map = lessonMap(doc, id);
  doc.transact(() => {
    if (map.get('mergedInto') !== ref) map.set('mergedInto', ref);
  }, origin);
}

export interface LessonReading {
  lessons: Lesson[];
  /** Values that were invalid (e.g. after a merge) and fell back to defaults. */
  problems: string[];
}

function readOneLesson(engagementId: string, id: string, map: FieldMap, problems: string[]): Lesson | null {
  const where = `lesson ${id}`;
  const title = pickField(map, 'title', lessonFieldSchemas.title, '', problems, where);
  if (!title) {
    problems.push(`${where}: no title; skipped`);
    return null;
  }
  const skillArea = pickField(map, 'skillArea', lessonFieldSchemas.skillArea, 'Operational adaptability', problems, where);
  const lesson: Lesson = {
    id,
    engagementId,
    createdAt: String(map.get('createdAt') ?? ''),
    title,
    skillArea,
    ...LESSON_DEFAULTS,
    evidence: [],
    source: { kind: 'manual', id: '' },
    mergedInto: null,
    mergedFrom: [],
  };
  const record = lesson as unknown as Record<string, unknown>;
  for (const key of Object.keys(LESSON_DEFAULTS) as Array<keyof typeof LESSON_DEFAULTS>) {
    record[key] = TEXTS.has(key) ? readText(map, key) : pickField(map, key, lessonFieldSchemas[key], LESSON_DEFAULTS[key], problems, where);
  }
  const evidence: Evidence[] = [];
  const links = map.get('evidence');
  if (links instanceof Y.Map) {
    for (const value of links.values()) {
      const parsed = evidenceSchema.safeParse(value);
      if (parsed.success) evidence.push(parsed.data);
      else problems.push(`${where}: an invalid evidence link was skipped`);
    }
  }
  evidence.sort((a, b) => a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  lesson.evidence = evidence;
  const source = lessonSourceSchema.safeParse(map.get('source'));
  if (source.success) lesson.source = source.data;
  const mergedInto = map.get('mergedInto');
  lesson.mergedInto = typeof mergedInto === 'string' && lessonRefSchema.safeParse(mergedInto).success ? mergedInto : null;
  const mergedFrom = map.get('mergedFrom');
  lesson.mergedFrom =
    mergedFrom instanceof Y.Map
      ? [...mergedFrom.entries()].map(([ref, t]) => ({ ref, title: String(t) })).sort((a, b) => a.ref.localeCompare(b.ref))
      : [];
  return lesson;
}

/** Every lesson of an engagement, newest first; each field validated on its own. */
export function readLessons(doc: Y.Doc, engagementId: string): LessonReading {
  const problems: string[] = [];
  const lessons: Lesson[] = [];
  for (const [id, map] of lessonsMap(doc)) {
    if (!(map instanceof Y.Map)) continue;
    const lesson = readOneLesson(engagementId, id, map, problems);
    if (lesson) lessons.push(lesson);
  }
  lessons.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  return { lessons, problems };
}

export function readLesson(doc: Y.Doc, engagementId: string, id: string): Lesson {
  const lesson = readOneLesson(engagementId, id, lessonMap(doc, id), []);
  if (!lesson) throw new OutpostError('not_found', 'This lesson has no title and cannot be read');
  return lesson;
}

// ---- Outcome metrics -----------------------------------------------------------------------

function outcomeMap(doc: Y.Doc, id: string): FieldMap {
  const map = outcomesMap(doc).get(id);
  if (!(map instanceof Y.Map)) throw new OutpostError('not_found', 'This outcome metric no longer exists');
  return map;
}

export function addOutcome(doc: Y.Doc, input: OutcomeCreate, options: { id?: string; origin?: unknown } = {}): string {
  const parsed = parseOrThrow(outcomeCreateSchema, input, 'outcome metric');
  if (outcomesMap(doc).size >= LESSON_LIMITS.outcomes) {
    throw new OutpostError('invalid_request', `An engagement records at most ${LESSON_LIMITS.outcomes} outcome metrics`);
  }
  const id = options.id ?? newId();
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    outcomesMap(doc).set(id, map);
    for (const [key, value] of Object.entries({ ...OUTCOME_DEFAULTS, ...parsed })) writeField(map, key, value, NO_TEXTS);
  }, options.origin);
  return id;
}
const NO_TEXTS: ReadonlySet<string> = new Set();

export function updateOutcome(doc: Y.Doc, id: string, patch: OutcomePatch, origin?: unknown): void {
  const parsed = parseOrThrow(outcomePatchSchema, patch, 'outcome change');
  const map = outcomeMap(doc, id);
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed)) writeField(map, key, value, NO_TEXTS);
  }, origin);
}

export function removeOutcome(doc: Y.Doc, id: string, origin?: unknown): void {
  outcomeMap(doc, id);
  doc.transact(() => outcomesMap(doc).delete(id), origin);
}

export function readOutcomes(doc: Y.Doc): Outcome[] {
  const problems: string[] = [];
  const outcomes: Outcome[] = [];
  for (const [id, map] of outcomesMap(doc)) {
    if (!(map instanceof Y.Map)) continue;
    const name = pickField(map, 'name', outcomeFieldSchemas.name, '', problems, `outcome ${id}`);
    if (!name) continue;
    const read = <K extends keyof typeof OUTCOME_DEFAULTS>(key: K) =>
      pickField(map, key, outcomeFieldSchemas[key], OUTCOME_DEFAULTS[key], problems, `outcome ${id}`);
    outcomes.push({
      id,
      name,
      unit: read('unit'),
      baseline: read('baseline'),
      achieved: read('achieved'),
      better: read('better'),
      note: read('note'),
    });
  }
  return outcomes.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

// ---- Retrospective -------------------------------------------------------------------------

/**
 * The end-of-engagement retrospective walks through the engagement's incidents, decisions and
 * delivered briefs. What was decided for each item is kept here (so the walk can be resumed, and
 * two leads reviewing offline merge): `lesson:<lessonId>` or `skipped`, keyed by `note:<id>` or
 * `card:<id>`.
 */
export type RetrospectiveDecision = { type: 'lesson'; lessonId: string } | { type: 'skipped' };

export interface RetrospectiveState {
  decisions: Record<string, RetrospectiveDecision>;
  completedAt: string | null;
}

function decisionsMap(doc: Y.Doc): Y.Map<string> {
  const root = retrospectiveMap(doc);
  let decisions = root.get('decisions');
  if (!(decisions instanceof Y.Map)) {
    decisions = new Y.Map<string>();
    root.set('decisions', decisions);
  }
  return decisions as Y.Map<string>;
}

const ITEM_KEY = /^(note|card):[0-9a-f-]{36}$/;

export function decideRetrospectiveItem(doc: Y.Doc, itemKey: string, decision: RetrospectiveDecision | null, origin?: unknown): void {
  if (!ITEM_KEY.test(itemKey)) throw new OutpostError('invalid_request', 'A retrospective item is note:<id> or card:<id>');
  doc.transact(() => {
    const decisions = decisionsMap(doc);
    if (decision === null) decisions.delete(itemKey);
    else decisions.set(itemKey, decision.type === 'lesson' ? `lesson:${decision.lessonId}` : 'skipped');
  }, origin);
}

export function completeRetrospective(doc: Y.Doc, completedAt: string | null, origin?: unknown): void {
  doc.transact(() => retrospectiveMap(doc).set('completedAt', completedAt), origin);
}

export function readRetrospective(doc: Y.Doc): RetrospectiveState {
  const root = retrospectiveMap(doc);
  const decisions: Record<string, RetrospectiveDecision> = {};
  const map = root.get('decisions');
  if (map instanceof Y.Map) {
    for (const [key, value] of map.entries()) {
      if (!ITEM_KEY.test(key) || typeof value !== 'string') continue;
      if (value === 'skipped') decisions[key] = { type: 'skipped' };
      else if (value.startsWith('lesson:')) decisions[key] = { type: 'lesson', lessonId: value.slice('lesson:'.length) };
    }
  }
  const completedAt = root.get('completedAt');
  return { decisions, completedAt: typeof completedAt === 'string' ? completedAt : null };
}
