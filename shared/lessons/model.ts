import { z } from 'zod';
import { levelNameSchema } from '../classification';
import { uuidSchema } from '../ids';
import { tagsSchema } from '../notes/model';
import { withThousands } from '../validation';

/** The skill areas a lesson starts with; a lesson may name another (the library offers every one in use). */
export const DEFAULT_SKILL_AREAS = [
  'Production debugging',
  'Data pipeline engineering',
  'API and systems integration',
  'Cloud and infrastructure',
  'Stakeholder communication',
  'Operational adaptability',
] as const;

export const LESSON_STATUSES = ['draft', 'reviewed'] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

/** What a lesson's evidence can point at: a note (incidents are notes), a map system or integration, a translation card. */
export const EVIDENCE_KINDS = ['note', 'system', 'integration', 'card'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Where a lesson was turned from, so the retrospective knows what already has a lesson. */
export const SOURCE_KINDS = ['note', 'card', 'retrospective', 'manual'] as const;

export const LESSON_LIMITS = {
  title: 200,
  text: 20_000,
  skillArea: 80,
  industry: 80,
  appliesTo: 50,
  appliesToItem: 80,
  evidence: 200,
  evidenceLabel: 200,
  lessons: 5_000,
  outcomes: 100,
  metricName: 120,
  unit: 40,
  outcomeNote: 2_000,
} as const;
const L = LESSON_LIMITS;

const text = (max: number, what: string) => z.string().max(max, `${what} is at most ${withThousands(max)} characters`);
const line = (max: number, what: string) => z.string().trim().max(max, `${what} is at most ${max} characters`);

export const lessonTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give the lesson a title')
  .max(L.title, `A title is at most ${L.title} characters`);

export const skillAreaSchema = z
  .string()
  .trim()
  .min(1, 'Name a skill area')
  .max(L.skillArea, `A skill area is at most ${L.skillArea} characters`)
  .regex(/^[^\n\r\t]+$/u, 'A skill area is one line');

/**
 * The kinds of systems and integrations a lesson applies to, in the environment map's vocabulary:
 * `system:<kind>` (e.g. system:database), `protocol:<protocol>` (protocol:SOAP) or `format:<format>`.
 */
export const appliesToSchema = z
  .array(
    z
      .string()
      .trim()
      .max(L.appliesToItem, `An "applies to" item is at most ${L.appliesToItem} characters`)
      .regex(/^(system|protocol|format):[^\n\r\t]+$/u, 'An "applies to" item is system:<kind>, protocol:<name> or format:<name>'),
  )
  .max(L.appliesTo, `At most ${L.appliesTo} "applies to" items`)
  .transform((items) => [...new Set(items)]);

/** One evidence link. `engagementId` is the lesson's own engagement unless it came with a merge. */
export const evidenceSchema = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS, { error: `Evidence is one of ${EVIDENCE_KINDS.join(', ')}` }),
  engagementId: uuidSchema,
  id: uuidSchema,
  /** What it was called when linked: shown when the target is withheld or gone, never dereferenced. */
  label: line(L.evidenceLabel, 'An evidence label'),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export function evidenceKey(evidence: Pick<Evidence, 'kind' | 'engagementId' | 'id'>): string {
  return `${evidence.kind}:${evidence.engagementId}:${evidence.id}`;
}

export const lessonSourceSchema = z.strictObject({
  kind: z.enum(SOURCE_KINDS),
  /** The note or card id; empty for manual and retrospective drafts without one. */
  id: z.union([uuidSchema, z.literal('')]),
});
export type LessonSource = z.infer<typeof lessonSourceSchema>;

/** Fields a person edits, each validated on its own (a merge can bring any one of them). */
export const lessonFieldSchemas = {
  title: lessonTitleSchema,
  context: text(L.text, 'Context'),
  whatHappened: text(L.text, 'What happened'),
  rootCause: text(L.text, 'Root cause'),
  whatWorked: text(L.text, 'What worked'),
  whatDidNot: text(L.text, 'What did not work'),
  recommendation: text(L.text, 'The recommendation'),
  skillArea: skillAreaSchema,
  tags: tagsSchema,
  appliesTo: appliesToSchema,
  industry: line(L.industry, 'An industry'),
  status: z.enum(LESSON_STATUSES, { error: 'Status is draft or reviewed' }),
  /**
   * The lesson's own marking; it can never exceed its engagement's ceiling. An export capped at a
   * level leaves out every lesson above it. Empty: the engagement's ceiling.
   */
  classification: z.union([levelNameSchema, z.literal('')]),
  author: line(120, 'An author'),
};
export type LessonFieldName = keyof typeof lessonFieldSchemas;

/** Texts people type into: Y.Text in the doc, merged character by character. */
export const LESSON_TEXT_FIELDS = ['context', 'whatHappened', 'rootCause', 'whatWorked', 'whatDidNot', 'recommendation'] as const;

export const LESSON_FIELD_LABELS: Record<(typeof LESSON_TEXT_FIELDS)[number], string> = {
  context: 'Context',
  whatHappened: 'What happened',
  rootCause: 'Root cause',
  whatWorked: 'What worked',
  whatDidNot: 'What did not work',
  recommendation: 'Recommendation',
};

export const lessonCreateSchema = z
  .strictObject({ ...lessonFieldSchemas, evidence: z.array(evidenceSchema).max(L.evidence), source: lessonSourceSchema })
  .partial()
  .required({ title: true, skillArea: true });
export type LessonCreate = z.input<typeof lessonCreateSchema>;

export const lessonPatchSchema = z
  .strictObject(lessonFieldSchemas)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
export type LessonPatch = z.input<typeof lessonPatchSchema>;

/** "<engagementId>:<lessonId>": how the library, the playbook and merges name a lesson anywhere in the notebook. */
export const lessonRefSchema = z.string().regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/, 'Expected a lesson reference <engagement>:<lesson>');
export function lessonRef(engagementId: string, lessonId: string): string {
  return `${engagementId}:${lessonId}`;
}
export function parseLessonRef(ref: string): { engagementId: string; lessonId: string } {
  const [engagementId = '', lessonId = ''] = ref.split(':');
  return { engagementId, lessonId };
}

export interface Lesson {
  id: string;
  engagementId: string;
  createdAt: string;
  title: string;
  context: string;
  whatHappened: string;
  rootCause: string;
  whatWorked: string;
  whatDidNot: string;
  recommendation: string;
  skillArea: string;
  tags: string[];
  appliesTo: string[];
  industry: string;
  status: LessonStatus;
  /** Empty means "the engagement's ceiling" (resolved by whoever reads it with the engagement at hand). */
  classification: string;
  author: string;
  evidence: Evidence[];
  source: LessonSource;
  /** Set when this lesson was merged into another (a lesson ref); the library hides it and points there. */
  mergedInto: string | null;
  /** Lessons merged into this one (refs), with the title they had. */
  mergedFrom: Array<{ ref: string; title: string }>;
}

export const LESSON_DEFAULTS = {
  context: '',
  whatHappened: '',
  rootCause: '',
  whatWorked: '',
  whatDidNot: '',
  recommendation: '',
  tags: [] as string[],
  appliesTo: [] as string[],
  industry: '',
  status: 'draft' as LessonStatus,
  classification: '',
  author: '',
} satisfies Partial<Lesson>;

// ---- Outcome metrics -----------------------------------------------------------------------

/** A measured outcome of the engagement: e.g. "late picks per day" from 140 to 12, lower is better. */
export const outcomeFieldSchemas = {
  name: z.string().trim().min(1, 'Name the metric').max(L.metricName, `A metric name is at most ${L.metricName} characters`),
  unit: line(L.unit, 'A unit'),
  baseline: z.number().finite('The baseline is a number').nullable(),
  achieved: z.number().finite('The achieved value is a number').nullable(),
  better: z.enum(['higher', 'lower'], { error: 'Better is higher or lower' }),
  note: text(L.outcomeNote, 'A note'),
};
export const outcomeCreateSchema = z.strictObject(outcomeFieldSchemas).partial().required({ name: true });
export type OutcomeCreate = z.input<typeof outcomeCreateSchema>;
export const outcomePatchSchema = z.strictObject(outcomeFieldSchemas).partial();
export type OutcomePatch = z.input<typeof outcomePatchSchema>;

export interface Outcome {
  id: string;
  name: string;
  unit: string;
  baseline: number | null;
  achieved: number | null;
  better: 'higher' | 'lower';
  note: string;
}
export const OUTCOME_DEFAULTS = { unit: '', baseline: null, achieved: null, better: 'higher', note: '' } as const;

/** The change from baseline to achieved, signed so that positive is an improvement; null without both. */
export function outcomeImprovement(
  outcome: Pick<Outcome, 'baseline' | 'achieved' | 'better'>,
): { delta: number; percent: number | null } | null {
  if (outcome.baseline === null || outcome.achieved === null) return null;
  const raw = outcome.achieved - outcome.baseline;
  const delta = outcome.better === 'higher' ? raw : -raw;
  const percent = outcome.baseline === 0 ? null : (delta / Math.abs(outcome.baseline)) * 100;
  return { delta, percent };
}
