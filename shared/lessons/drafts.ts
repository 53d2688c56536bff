import type { NoteMeta } from '../notes/model';
import type { Card, Stakeholder } from '../stakeholders/model';
import { DEFAULT_SKILL_AREAS, LESSON_LIMITS, type LessonCreate } from './model';

/**
 * "Turn into lesson": a lesson pre-filled from what the engineer already wrote. The note's sections
 * (by heading) are mapped onto the lesson's fields; what the template wrote as a prompt and never
 * filled in is left out. The draft is a starting point the engineer edits before saving.
 */

type TextField = 'context' | 'whatHappened' | 'rootCause' | 'whatWorked' | 'whatDidNot' | 'recommendation';

/** Section headings (lower case, as the note templates write them, plus common variants) → lesson field. */
const SECTION_FIELDS: Record<string, TextField> = {
  symptom: 'whatHappened',
  symptoms: 'whatHappened',
  'what happened': 'whatHappened',
  consequences: 'whatHappened',
  notes: 'whatHappened',
  environment: 'context',
  context: 'context',
  background: 'context',
  purpose: 'context',
  'payload and mapping': 'context',
  'hypotheses tried': 'whatDidNot',
  'options considered': 'whatDidNot',
  'what did not work': 'whatDidNot',
  "what didn't work": 'whatDidNot',
  'what did not': 'whatDidNot',
  'root cause': 'rootCause',
  cause: 'rootCause',
  'known issues': 'rootCause',
  resolution: 'whatWorked',
  fix: 'whatWorked',
  'what worked': 'whatWorked',
  decision: 'recommendation',
  'follow-ups': 'recommendation',
  followups: 'recommendation',
  actions: 'recommendation',
  recommendation: 'recommendation',
  recommendations: 'recommendation',
  'root causes': 'rootCause',
  'what went well': 'whatWorked',
};

/** Prompts the templates write into a new note; a section holding only these was never filled in. */
const TEMPLATE_PROMPTS = new Set([
  'what fails, for whom, since when. paste the error.',
  'systems and versions:',
  'network zone:',
  'data involved:',
]);

const SKILL_BY_NOTE_TYPE: Partial<Record<NoteMeta['type'], string>> = {
  incident: DEFAULT_SKILL_AREAS[0],
  'integration-contract': DEFAULT_SKILL_AREAS[2],
  runbook: DEFAULT_SKILL_AREAS[3],
  meeting: DEFAULT_SKILL_AREAS[4],
  decision: DEFAULT_SKILL_AREAS[5],
};

/** Splits Markdown into sections by heading; text before the first heading is under ''. */
export function markdownSections(markdown: string): Array<{ heading: string; body: string }> {
  const sections: Array<{ heading: string; lines: string[] }> = [{ heading: '', lines: [] }];
  let fence = false;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const heading = fence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) sections.push({ heading: heading[1] ?? '', lines: [] });
    else sections.at(-1)?.lines.push(line);
  }
  return sections.map((s) => ({ heading: s.heading, body: cleanBody(s.lines) })).filter((s) => s.heading || s.body);
}

/** Drops unfilled template prompts and empty list/task items, and trims blank lines at the ends. */
function cleanBody(lines: string[]): string {
  const kept = lines.filter((line) => {
    const bare = line
      .replace(/^\s*([-*+]|\d+\.)\s+(\[[ xX]\]\s*)?/, '')
      .trim()
      .toLowerCase();
    if (/^\s*([-*+]|\d+\.)\s*(\[[ xX]\])?\s*$/.test(line)) return false;
    return !TEMPLATE_PROMPTS.has(bare);
  });
  return kept
    .join('\n')
    .replace(/^\s*\n+|\n+\s*$/g, '')
    .replace(/\n{3,}/g, '\n\n');
}

const clip = (text: string) => (text.length > LESSON_LIMITS.text ? `${text.slice(0, LESSON_LIMITS.text - 1)}…` : text);

/**
 * Maps Markdown onto a lesson's text fields by section heading ("Root cause", "What worked",
 * "Recommendation", the note templates' headings…). A section under a heading it does not know
 * goes to "what happened" with its heading; text before any heading too. Unfilled prompts are dropped.
 */
export function lessonTextsFromMarkdown(markdown: string): Record<TextField, string> {
  const fields: Record<TextField, string[]> = {
    context: [],
    whatHappened: [],
    rootCause: [],
    whatWorked: [],
    whatDidNot: [],
    recommendation: [],
  };
  for (const section of markdownSections(markdown)) {
    if (!section.body) continue;
    const field =
      SECTION_FIELDS[
        section.heading
          .trim()
          .toLowerCase()
          .replace(/[:.]+$/, '')
      ];
    if (field) fields[field].push(section.body);
    else fields.whatHappened.push(section.heading ? `${section.heading}:\n${section.body}` : section.body);
  }
  const join = (field: TextField) => clip(fields[field].join('\n\n'));
  return {
    context: join('context'),
    whatHappened: join('whatHappened'),
    rootCause: join('rootCause'),
    whatWorked: join('whatWorked'),
    whatDidNot: join('whatDidNot'),
    recommendation: join('recommendation'),
  };
}

/** A lesson drafted from a note (an incident, a decision, …) given its Markdown. */
export function draftFromNote(meta: Pick<NoteMeta, 'id' | 'engagementId' | 'title' | 'type' | 'tags'>, markdown: string): LessonCreate {
  return {
    title: meta.title.trim() ? `Lesson: ${meta.title.trim()}`.slice(0, LESSON_LIMITS.title) : 'Lesson from a note',
    skillArea: SKILL_BY_NOTE_TYPE[meta.type] ?? DEFAULT_SKILL_AREAS[5],
    ...lessonTextsFromMarkdown(markdown),
    tags: meta.tags.slice(0, 50),
    evidence: [{ kind: 'note', engagementId: meta.engagementId, id: meta.id, label: (meta.title || 'Untitled note').slice(0, 200) }],
    source: { kind: 'note', id: meta.id },
  };
}

/**
 * A lesson drafted from a translation card: the finding is what happened; how each audience was
 * told (delivered renderings first) is what worked; what was asked of them is the recommendation.
 */
export function draftFromCard(
  engagementId: string,
  card: Pick<Card, 'id' | 'title' | 'finding' | 'evidence' | 'systems' | 'renderings'>,
  stakeholders: ReadonlyArray<Pick<Stakeholder, 'id' | 'name'>> = [],
): LessonCreate {
  const names = new Map(stakeholders.map((s) => [s.id, s.name]));
  const label = (r: Card['renderings'][number]) =>
    r.audience?.type === 'stakeholder' ? (names.get(r.audience.id) ?? r.audienceLabel) : r.audienceLabel;
  const renderings = [...card.renderings].sort((a, b) => Number(b.status === 'delivered') - Number(a.status === 'delivered'));
  const told = renderings
    .filter((r) => r.explanation.trim())
    .map(
      (r) =>
        `${label(r)}${r.status === 'delivered' ? ` (delivered${r.deliveredVia ? ` via ${r.deliveredVia}` : ''})` : ` (${r.status})`}: ${r.explanation.trim()}`,
    );
  const asks = renderings.filter((r) => r.ask.trim()).map((r) => `${label(r)}: ${r.ask.trim()}`);
  return {
    title: `Lesson: ${card.title}`.slice(0, LESSON_LIMITS.title),
    skillArea: DEFAULT_SKILL_AREAS[4],
    context: card.systems.length ? clip(`Systems: ${card.systems.join(', ')}`) : '',
    whatHappened: clip(card.finding),
    whatWorked: clip(told.join('\n\n')),
    recommendation: clip(asks.join('\n\n')),
    evidence: [
      { kind: 'card', engagementId, id: card.id, label: card.title.slice(0, 200) },
      ...card.evidence.slice(0, 100).map((noteId) => ({ kind: 'note' as const, engagementId, id: noteId, label: 'Evidence note' })),
    ],
    source: { kind: 'card', id: card.id },
  };
}
