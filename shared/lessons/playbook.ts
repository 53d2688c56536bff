import * as Y from 'yjs';
import { z } from 'zod';
import { OutpostError } from '../errors';
import { newId } from '../ids';
import { parseOrThrow, withThousands } from '../validation';
import { type FieldMap, readText, writeField } from '../y-fields';
import { lessonRefSchema } from './model';

/**
 * A playbook is its own document (`playbook:<uuid>`): curated lessons, from any engagement,
 * grouped into chapters. Chapters are a Y.Map keyed by id, ordered by a `position` number (moving a
 * chapter rewrites one number, so concurrent moves cannot duplicate it); a chapter's lessons are a
 * Y.Array of lesson refs. A lesson placed twice by two people offline is shown once, in the first
 * place it appears.
 */
export const PLAYBOOK_KEYS = { meta: 'meta', chapters: 'chapters' } as const;

export const PLAYBOOK_LIMITS = { title: 200, intro: 20_000, chapters: 200, lessonsPerChapter: 2_000 } as const;

export const playbookTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give the playbook a title')
  .max(PLAYBOOK_LIMITS.title, `A title is at most ${PLAYBOOK_LIMITS.title} characters`);
export const chapterPatchSchema = z
  .strictObject({
    title: playbookTitleSchema,
    intro: z.string().max(PLAYBOOK_LIMITS.intro, `An introduction is at most ${withThousands(PLAYBOOK_LIMITS.intro)} characters`),
    position: z.number().finite(),
  })
  .partial();
export type ChapterPatch = z.input<typeof chapterPatchSchema>;

export interface PlaybookChapter {
  id: string;
  title: string;
  intro: string;
  position: number;
  /** Lesson refs (`<engagementId>:<lessonId>`), in order. */
  lessons: string[];
}

export interface Playbook {
  id: string;
  title: string;
  intro: string;
  createdAt: string;
  chapters: PlaybookChapter[];
}

const META_TEXTS: ReadonlySet<string> = new Set(['intro']);
const CHAPTER_TEXTS: ReadonlySet<string> = new Set(['intro']);

const metaMap = (doc: Y.Doc) => doc.getMap<unknown>(PLAYBOOK_KEYS.meta);
const chaptersMap = (doc: Y.Doc) => doc.getMap<FieldMap>(PLAYBOOK_KEYS.chapters);

export function initPlaybookDoc(doc: Y.Doc, id: string, title: string, createdAt: string): void {
  const parsed = parseOrThrow(playbookTitleSchema, title, 'playbook title');
  doc.transact(() => {
    const meta = metaMap(doc);
    meta.set('id', id);
    meta.set('title', parsed);
    meta.set('createdAt', createdAt);
  });
}

export function updatePlaybook(doc: Y.Doc, patch: { title?: string; intro?: string }, origin?: unknown): void {
  const parsed = parseOrThrow(
    z.strictObject({ title: playbookTitleSchema, intro: chapterPatchSchema.shape.intro.unwrap() }).partial(),
    patch,
    'playbook change',
  );
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed)) writeField(metaMap(doc), key, value, META_TEXTS);
  }, origin);
}

function chapterMap(doc: Y.Doc, id: string): FieldMap {
  const map = chaptersMap(doc).get(id);
  if (!(map instanceof Y.Map)) throw new OutpostError('not_found', 'This chapter no longer exists (removed, perhaps on another device)');
  return map;
}

function lessonsArrayOf(map: FieldMap): Y.Array<string> {
  let lessons = map.get('lessons');
  if (!(lessons instanceof Y.Array)) {
    lessons = new Y.Array<string>();
    map.set('lessons', lessons);
  }
  return lessons as Y.Array<string>;
}

/** Adds a chapter at the end; returns its id. */
export function addChapter(doc: Y.Doc, title: string, options: { id?: string; origin?: unknown } = {}): string {
  const parsed = parseOrThrow(playbookTitleSchema, title, 'chapter title');
  if (chaptersMap(doc).size >= PLAYBOOK_LIMITS.chapters) {
    throw new OutpostError('invalid_request', `A playbook holds at most ${PLAYBOOK_LIMITS.chapters} chapters`);
  }
  const id = options.id ?? newId();
  const last = readPlaybook(doc).chapters.at(-1);
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    chaptersMap(doc).set(id, map);
    map.set('title', parsed);
    map.set('position', (last?.position ?? 0) + 1);
    map.set('lessons', new Y.Array<string>());
  }, options.origin);
  return id;
}

export function updateChapter(doc: Y.Doc, id: string, patch: ChapterPatch, origin?: unknown): void {
  const parsed = parseOrThrow(chapterPatchSchema, patch, 'chapter change');
  const map = chapterMap(doc, id);
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed)) writeField(map, key, value, CHAPTER_TEXTS);
  }, origin);
}

export function removeChapter(doc: Y.Doc, id: string, origin?: unknown): void {
  chapterMap(doc, id);
  doc.transact(() => chaptersMap(doc).delete(id), origin);
}

/**
 * Places a lesson in a chapter at `index` (the end when omitted), taking it out of wherever else
 * it was in the playbook, so a lesson appears once.
 */
export function placeLesson(doc: Y.Doc, chapterId: string, ref: string, index?: number, origin?: unknown): void {
  const parsed = parseOrThrow(lessonRefSchema, ref, 'lesson reference');
  const target = chapterMap(doc, chapterId);
  // Checked before anything changes: a Yjs transaction cannot be rolled back.
  const current = target.get('lessons');
  const others = current instanceof Y.Array ? current.toArray().filter((ref) => ref !== parsed).length : 0;
  if (others >= PLAYBOOK_LIMITS.lessonsPerChapter) {
    throw new OutpostError('invalid_request', `A chapter holds at most ${PLAYBOOK_LIMITS.lessonsPerChapter} lessons`);
  }
  doc.transact(() => {
    for (const map of chaptersMap(doc).values()) {
      if (!(map instanceof Y.Map)) continue;
      const lessons = map.get('lessons');
      if (!(lessons instanceof Y.Array)) continue;
      for (let i = lessons.length - 1; i >= 0; i--) if (lessons.get(i) === parsed) lessons.delete(i, 1);
    }
    const lessons = lessonsArrayOf(target);
    const at = index === undefined ? lessons.length : Math.max(0, Math.min(index, lessons.length));
    lessons.insert(at, [parsed]);
  }, origin);
}

export function unplaceLesson(doc: Y.Doc, ref: string, origin?: unknown): void {
  doc.transact(() => {
    for (const map of chaptersMap(doc).values()) {
      if (!(map instanceof Y.Map)) continue;
      const lessons = map.get('lessons');
      if (!(lessons instanceof Y.Array)) continue;
      for (let i = lessons.length - 1; i >= 0; i--) if (lessons.get(i) === ref) lessons.delete(i, 1);
    }
  }, origin);
}

/**
 * Replaces a ref everywhere (after a merge of duplicate lessons): `to` takes the first place, in
 * reading order, that either ref held, and every other occurrence of both is removed.
 */
export function replaceLessonRef(doc: Y.Doc, from: string, to: string, origin?: unknown): void {
  const target = parseOrThrow(lessonRefSchema, to, 'lesson reference');
  const chapters = readPlaybook(doc).chapters;
  if (from === target || !chapters.some((c) => c.lessons.includes(from))) return;
  doc.transact(() => {
    let placed = false;
    for (const chapter of chapters) {
      const lessons = lessonsArrayOf(chapterMap(doc, chapter.id));
      for (let i = 0; i < lessons.length; i++) {
        const ref = lessons.get(i);
        if (ref !== from && ref !== target) continue;
        if (!placed) {
          placed = true;
          if (ref === from) {
            lessons.delete(i, 1);
            lessons.insert(i, [target]);
          }
          continue;
        }
        lessons.delete(i, 1);
        i--;
      }
    }
  }, origin);
}

export function readPlaybook(doc: Y.Doc): Playbook {
  const meta = metaMap(doc);
  const chapters: PlaybookChapter[] = [];
  for (const [id, map] of chaptersMap(doc)) {
    if (!(map instanceof Y.Map)) continue;
    const title = map.get('title');
    const position = map.get('position');
    const lessons = map.get('lessons');
    chapters.push({
      id,
      title: typeof title === 'string' && title ? title : 'Untitled chapter',
      intro: readText(map, 'intro'),
      position: typeof position === 'number' && Number.isFinite(position) ? position : 0,
      lessons:
        lessons instanceof Y.Array
          ? lessons.toArray().filter((ref) => typeof ref === 'string' && lessonRefSchema.safeParse(ref).success)
          : [],
    });
  }
  chapters.sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  const seen = new Set<string>();
  for (const chapter of chapters) {
    chapter.lessons = chapter.lessons.filter((ref) => {
      if (seen.has(ref)) return false;
      seen.add(ref);
      return true;
    });
  }
  const id = meta.get('id');
  const title = meta.get('title');
  const createdAt = meta.get('createdAt');
  return {
    id: typeof id === 'string' ? id : '',
    title: typeof title === 'string' && title ? title : 'Untitled playbook',
    intro: readText(meta, 'intro'),
    createdAt: typeof createdAt === 'string' ? createdAt : '',
    chapters,
  };
}
