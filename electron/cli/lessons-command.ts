import type { LessonSummary } from '../../shared/lessons/calls';
import { lessonTextsFromMarkdown } from '../../shared/lessons/drafts';
import { DEFAULT_SKILL_AREAS, type LessonCreate } from '../../shared/lessons/model';
import { UsageError } from './args';
import { engagementFlag, listFlag, plural, printList, printResult } from './command-helpers';
import { defineCommand, parseSub, pickSub, type Subcommands } from './command-spec';
import { LESSONS_EXPORT_FLAGS, LESSONS_EXPORT_USAGE, lessonsExport } from './lessons-export-command';
import { formatTable, json, readTextInput } from './output';

export const LESSONS_USAGE = `Usage:
  outpost lessons add --engagement X --title T --skill-area A [--body-file F] [--tags a,b] [--industry I]
                      [--applies-to system:database,protocol:SOAP] [--classification LEVEL] [--author NAME] [--json]
  outpost lessons list [--skill-area A] [--engagement X] [--tag T] [--industry I] [--query Q] [--include-merged] [--json]
  outpost lessons similar [--threshold 0.45] [--lesson REF] [--json]
  outpost lessons merge SURVIVOR_REF ABSORBED_REF [ABSORBED_REF …] [--json]
  outpost lessons export …              a sanitized playbook or selection (outpost lessons export --help)
  outpost playbooks list [--json]
  outpost playbooks create --title T [--json]
A body file is Markdown: sections headed Context, What happened, Root cause, What worked, What did not work
and Recommendation fill those fields (note-template headings such as Symptom or Resolution too); text under
no known heading goes to "what happened". Skill areas: ${DEFAULT_SKILL_AREAS.join(', ')} (or another).
A lesson ref is ENGAGEMENT_ID:LESSON_ID, as listed by outpost lessons list --json.
`;

/** A lesson's Markdown body file is at most this large (its fields together are far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;

const LESSON_SUBCOMMANDS = {
  add: {
    flags: {
      engagement: { type: 'string' },
      title: { type: 'string' },
      'skill-area': { type: 'string' },
      'body-file': { type: 'string' },
      tags: { type: 'string' },
      industry: { type: 'string' },
      'applies-to': { type: 'string' },
      classification: { type: 'string' },
      author: { type: 'string' },
      json: { type: 'boolean' },
    },
  },
  list: {
    flags: {
      'skill-area': { type: 'string' },
      engagement: { type: 'string' },
      tag: { type: 'string' },
      industry: { type: 'string' },
      query: { type: 'string' },
      'include-merged': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  },
  similar: { flags: { threshold: { type: 'string' }, lesson: { type: 'string' }, json: { type: 'boolean' } } },
  merge: {
    flags: { json: { type: 'boolean' } },
    positionals: { min: 2, max: 51, names: 'the surviving lesson ref and at least one lesson ref to merge into it' },
  },
  export: { flags: LESSONS_EXPORT_FLAGS },
} as const satisfies Subcommands;

function lessonTable(lessons: LessonSummary[]): string {
  return formatTable(
    ['TITLE', 'SKILL AREA', 'ENGAGEMENT', 'EVIDENCE', 'STATUS', 'REF'],
    lessons.map((l) => [
      l.title + (l.mergedInto ? ` (merged into ${l.mergedInto})` : ''),
      l.skillArea,
      l.engagementCodename,
      String(l.evidenceCount),
      l.status,
      l.ref,
    ]),
  );
}

export const lessonsCommand = defineCommand({
  name: 'lessons',
  summary: 'lessons learned across engagements: add, list, similar, merge, export',
  usage: LESSONS_USAGE,
  subcommands: LESSON_SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('lessons', LESSONS_USAGE, LESSON_SUBCOMMANDS, args);
    switch (sub) {
      case 'add': {
        const { values } = parseSub(LESSON_SUBCOMMANDS, sub, rest);
        if (!values.engagement) throw new UsageError('Missing --engagement');
        if (values.title === undefined) throw new UsageError('Missing --title');
        if (values['skill-area'] === undefined) throw new UsageError(`Missing --skill-area (e.g. "${DEFAULT_SKILL_AREAS[0]}")`);
        const body = values['body-file'];
        const lesson: LessonCreate = {
          title: values.title,
          skillArea: values['skill-area'],
          ...(body !== undefined && lessonTextsFromMarkdown(await readTextInput(body, io, MAX_BODY_BYTES))),
          ...(values.tags !== undefined && { tags: listFlag(values.tags) }),
          ...(values.industry !== undefined && { industry: values.industry }),
          ...(values['applies-to'] !== undefined && { appliesTo: listFlag(values['applies-to']) }),
          ...(values.classification !== undefined && { classification: values.classification.trim().toUpperCase() }),
          // Without --author, the notebook names this device.
          ...(values.author !== undefined && { author: values.author }),
        };
        const created = await api.call('lessons.add', { engagementId: await engagementFlag(api, values.engagement), lesson });
        printResult(io, values.json, created, () => `Added lesson "${created.title}" to ${created.engagementCodename} (${created.ref})\n`);
        return 0;
      }
      case 'list': {
        const { values } = parseSub(LESSON_SUBCOMMANDS, sub, rest);
        const result = await api.call('lessons.library', {
          query: values.query ?? '',
          ...(values['skill-area'] !== undefined && { skillAreas: [values['skill-area']] }),
          ...(values.engagement !== undefined && { engagementIds: [await engagementFlag(api, values.engagement)] }),
          ...(values.tag !== undefined && { tags: [values.tag] }),
          ...(values.industry !== undefined && { industries: [values.industry] }),
          includeMerged: !!values['include-merged'],
          limit: 500,
        });
        if (values.json) io.stdout(json(result.lessons));
        else if (!result.lessons.length)
          io.stdout('No lessons match. Add one with: outpost lessons add --engagement X --title T --skill-area A\n');
        else {
          io.stdout(lessonTable(result.lessons));
          if (result.total > result.lessons.length) io.stdout(`(${result.lessons.length} of ${result.total} shown)\n`);
        }
        return 0;
      }
      case 'similar': {
        const { values } = parseSub(LESSON_SUBCOMMANDS, sub, rest);
        const threshold = values.threshold === undefined ? 0.45 : Number(values.threshold);
        if (!Number.isFinite(threshold) || threshold < 0.1 || threshold > 1) throw new UsageError('--threshold is a number from 0.1 to 1');
        const { pairs } = await api.call('lessons.similar', {
          threshold,
          limit: 1_000,
          ...(values.lesson !== undefined && { ref: values.lesson }),
        });
        printList(io, values.json, pairs, {
          empty: `No similar lessons at threshold ${threshold}\n`,
          headers: ['SCORE', 'LESSON', 'SIMILAR TO', 'REFS'],
          row: (p) => [
            p.score.toFixed(2),
            `${p.a.title} (${p.a.engagementCodename})`,
            `${p.b.title} (${p.b.engagementCodename})`,
            `${p.a.ref} ${p.b.ref}`,
          ],
        });
        return 0;
      }
      case 'merge': {
        const { values, positionals } = parseSub(LESSON_SUBCOMMANDS, sub, rest);
        const [survivor, ...absorbed] = positionals as [string, ...string[]];
        const merged = await api.call('lessons.merge', { survivor, absorbed });
        printResult(
          io,
          values.json,
          merged,
          () =>
            `Merged ${plural(absorbed.length, 'lesson')} into "${merged.title}" (${merged.ref}): ${merged.evidenceCount} evidence links\n`,
        );
        return 0;
      }
      case 'export':
        if (rest[0] === '--help' || rest[0] === '-h') {
          io.stdout(LESSONS_EXPORT_USAGE);
          return 0;
        }
        return lessonsExport(api, parseSub(LESSON_SUBCOMMANDS, sub, rest).values, io);
    }
  },
});

const PLAYBOOK_SUBCOMMANDS = {
  list: { flags: { json: { type: 'boolean' } } },
  create: { flags: { title: { type: 'string' }, json: { type: 'boolean' } } },
} as const satisfies Subcommands;

export const playbooksCommand = defineCommand({
  name: 'playbooks',
  summary: 'list|create: curated lessons in chapters',
  usage: LESSONS_USAGE,
  subcommands: PLAYBOOK_SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('playbooks', LESSONS_USAGE, PLAYBOOK_SUBCOMMANDS, args);
    if (sub === 'list') {
      const { values } = parseSub(PLAYBOOK_SUBCOMMANDS, sub, rest);
      const { playbooks } = await api.call('playbooks.list', {});
      printList(io, values.json, playbooks, {
        empty: 'No playbooks yet. Create one with: outpost playbooks create --title T\n',
        headers: ['TITLE', 'CHAPTERS', 'LESSONS', 'ID'],
        row: (p) => [p.title, String(p.chapters), String(p.lessons), p.id],
      });
      return 0;
    }
    const { values } = parseSub(PLAYBOOK_SUBCOMMANDS, sub, rest);
    if (values.title === undefined) throw new UsageError('Missing --title');
    const created = await api.call('playbooks.create', { title: values.title });
    printResult(io, values.json, created, () => `Created playbook "${created.title}" (${created.id})\n`);
    return 0;
  },
});
