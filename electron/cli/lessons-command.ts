import fs from 'node:fs';
import { OutpostError } from '../../shared/errors';
import type { LessonSummary } from '../../shared/lessons/calls';
import { lessonTextsFromMarkdown } from '../../shared/lessons/drafts';
import { DEFAULT_SKILL_AREAS, type LessonCreate } from '../../shared/lessons/model';
import { lessonService } from '../api/lesson-handlers';
import type { Notebook } from '../notebook/notebook';
import { parseCommand, UsageError } from './args';
import { lessonsExportCommand } from './lessons-export-command';
import { type CliIO, formatTable, json } from './output';

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

const splitList = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

function table(lessons: LessonSummary[]): string {
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

export async function lessonsCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const service = lessonService(notebook);
  switch (sub) {
    case 'add': {
      const { values } = parseCommand(
        rest,
        {
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
        { min: 0, max: 0, names: '' },
      );
      if (!values.engagement) throw new UsageError('Missing --engagement');
      if (values.title === undefined) throw new UsageError('Missing --title');
      if (values['skill-area'] === undefined) throw new UsageError(`Missing --skill-area (e.g. "${DEFAULT_SKILL_AREAS[0]}")`);
      let texts = {};
      if (values['body-file'] !== undefined) {
        let markdown: string;
        try {
          markdown = fs.readFileSync(values['body-file'], 'utf8');
        } catch (error) {
          throw new OutpostError('invalid_request', `Cannot read ${values['body-file']}: ${(error as Error).message}`);
        }
        texts = lessonTextsFromMarkdown(markdown);
      }
      const input: LessonCreate = {
        title: values.title,
        skillArea: values['skill-area'],
        ...texts,
        ...(values.tags !== undefined && { tags: splitList(values.tags) }),
        ...(values.industry !== undefined && { industry: values.industry }),
        ...(values['applies-to'] !== undefined && { appliesTo: splitList(values['applies-to']) }),
        ...(values.classification !== undefined && { classification: values.classification.trim().toUpperCase() }),
        author: values.author ?? notebook.device.name,
      };
      const created = await service.add(await notebook.engagements.resolve(values.engagement), input);
      io.stdout(values.json ? json(created) : `Added lesson "${created.title}" to ${created.engagementCodename} (${created.ref})\n`);
      return 0;
    }
    case 'list': {
      const { values } = parseCommand(
        rest,
        {
          'skill-area': { type: 'string' },
          engagement: { type: 'string' },
          tag: { type: 'string' },
          industry: { type: 'string' },
          query: { type: 'string' },
          'include-merged': { type: 'boolean' },
          json: { type: 'boolean' },
        },
        { min: 0, max: 0, names: '' },
      );
      const result = await service.library({
        query: values.query ?? '',
        ...(values['skill-area'] !== undefined && { skillAreas: [values['skill-area']] }),
        ...(values.engagement !== undefined && { engagementIds: [await notebook.engagements.resolve(values.engagement)] }),
        ...(values.tag !== undefined && { tags: [values.tag] }),
        ...(values.industry !== undefined && { industries: [values.industry] }),
        includeMerged: !!values['include-merged'],
        limit: 500,
      });
      if (values.json) io.stdout(json(result.lessons));
      else if (!result.lessons.length)
        io.stdout('No lessons match. Add one with: outpost lessons add --engagement X --title T --skill-area A\n');
      else {
        io.stdout(table(result.lessons));
        if (result.total > result.lessons.length) io.stdout(`(${result.lessons.length} of ${result.total} shown)\n`);
      }
      return 0;
    }
    case 'similar': {
      const { values } = parseCommand(
        rest,
        { threshold: { type: 'string' }, lesson: { type: 'string' }, json: { type: 'boolean' } },
        { min: 0, max: 0, names: '' },
      );
      const threshold = values.threshold === undefined ? 0.45 : Number(values.threshold);
      if (!Number.isFinite(threshold) || threshold < 0.1 || threshold > 1) throw new UsageError('--threshold is a number from 0.1 to 1');
      const { pairs } = await service.similar({ threshold, ref: values.lesson, limit: 1_000 });
      if (values.json) io.stdout(json(pairs));
      else if (!pairs.length) io.stdout(`No similar lessons at threshold ${threshold}\n`);
      else
        io.stdout(
          formatTable(
            ['SCORE', 'LESSON', 'SIMILAR TO', 'REFS'],
            pairs.map((p) => [
              p.score.toFixed(2),
              `${p.a.title} (${p.a.engagementCodename})`,
              `${p.b.title} (${p.b.engagementCodename})`,
              `${p.a.ref} ${p.b.ref}`,
            ]),
          ),
        );
      return 0;
    }
    case 'merge': {
      const { values, positionals } = parseCommand(
        rest,
        { json: { type: 'boolean' } },
        { min: 2, max: 51, names: 'the surviving lesson ref and at least one lesson ref to merge into it' },
      );
      const [survivor, ...absorbed] = positionals as [string, ...string[]];
      const merged = await service.merge(survivor, absorbed);
      io.stdout(
        values.json
          ? json(merged)
          : `Merged ${absorbed.length} lesson${absorbed.length > 1 ? 's' : ''} into "${merged.title}" (${merged.ref}): ${merged.evidenceCount} evidence links\n`,
      );
      return 0;
    }
    case 'export':
      return lessonsExportCommand(notebook, rest, io);
    default:
      throw new UsageError(sub ? `Unknown command "lessons ${sub}"\n${LESSONS_USAGE}` : LESSONS_USAGE);
  }
}

export async function playbooksCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const service = lessonService(notebook);
  switch (sub) {
    case 'list': {
      const { values } = parseCommand(rest, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
      const playbooks = await service.playbooks();
      if (values.json) io.stdout(json(playbooks));
      else if (!playbooks.length) io.stdout('No playbooks yet. Create one with: outpost playbooks create --title T\n');
      else
        io.stdout(
          formatTable(
            ['TITLE', 'CHAPTERS', 'LESSONS', 'ID'],
            playbooks.map((p) => [p.title, String(p.chapters), String(p.lessons), p.id]),
          ),
        );
      return 0;
    }
    case 'create': {
      const { values } = parseCommand(rest, { title: { type: 'string' }, json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
      if (values.title === undefined) throw new UsageError('Missing --title');
      const created = await service.createPlaybook(values.title);
      io.stdout(values.json ? json(created) : `Created playbook "${created.title}" (${created.id})\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "playbooks ${sub}"\n${LESSONS_USAGE}` : LESSONS_USAGE);
  }
}
