import path from 'node:path';
import {
  type Audience,
  BRIEF_FORMATS,
  type BriefFormat,
  type Card,
  CONFIDENCES,
  KIND_LABELS,
  LEVELS,
  REGISTERS,
  RENDERING_STATUSES,
  SEVERITIES,
  STAKEHOLDER_KINDS,
  type StakeholderCreate,
  type StakeholderKind,
} from '../../shared/stakeholders/model';
import { writeFileAtomic } from '../notebook/atomic-write';
import type { Notebook } from '../notebook/notebook';
import { ChromiumPdfPrinter } from '../stakeholders/pdf-printer';
import { StakeholderService } from '../stakeholders/stakeholder-service';
import { parseCommand, UsageError } from './args';
import { type CliIO, formatTable, json } from './output';

export const STAKEHOLDERS_USAGE = `Usage:
  outpost stakeholders list --engagement X [--json]
  outpost stakeholders add --engagement X --name NAME [--role ROLE] [--kind KIND] [--org ORG]
                           [--cares TEXT] [--fluency 1-5] [--register formal|plain|technical] [--channel C]
                           [--influence low|medium|high] [--interest low|medium|high] [--systems a,b] [--notes TEXT] [--json]
  outpost stakeholders remove --engagement X NAME      (cards keep their renderings, labelled with the name)
  outpost cards list --engagement X [--json]
  outpost cards add --engagement X --title T [--finding TEXT] [--severity S] [--confidence C] [--systems a,b] [--json]
  outpost cards render CARD --engagement X (--stakeholder NAME | --audience KIND)
                           [--explanation T] [--impact T] [--ask T] [--status draft|reviewed|delivered] [--via HOW]
  outpost brief --engagement X (--stakeholder NAME | --audience KIND) [--cards ID,ID] --format pdf|md|html -o FILE
                [--date YYYY-MM-DD]
KIND is one of ${STAKEHOLDER_KINDS.join(', ')}. PDF needs Chromium (/usr/bin/chromium, or $OUTPOST_CHROMIUM).
`;

function service(notebook: Notebook, io: CliIO): StakeholderService {
  const printer = new ChromiumPdfPrinter(io.env);
  return new StakeholderService(notebook.db, notebook.docs, notebook.engagements, () => printer);
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const normalized = value
    .trim()
    .toLowerCase()
    .replace(/[-/ ]+/g, '_');
  if (!(allowed as readonly string[]).includes(normalized)) throw new UsageError(`--${flag} is one of ${allowed.join(', ')}`);
  return normalized as T;
}

const splitList = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

async function audienceFrom(
  stakeholders: StakeholderService,
  engagementId: string,
  values: { stakeholder?: string | undefined; audience?: string | undefined },
): Promise<Audience> {
  if ((values.stakeholder === undefined) === (values.audience === undefined)) {
    throw new UsageError('Give either --stakeholder NAME or --audience KIND');
  }
  if (values.audience !== undefined)
    return { type: 'kind', kind: oneOf('audience', values.audience, STAKEHOLDER_KINDS) as StakeholderKind };
  const person = await stakeholders.resolveStakeholder(engagementId, values.stakeholder as string);
  return { type: 'stakeholder', id: person.id };
}

export async function stakeholdersCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const stakeholders = service(notebook, io);
  switch (sub) {
    case 'list': {
      const { values } = parseCommand(rest, { engagement: { type: 'string' }, json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
      if (!values.engagement) throw new UsageError('Missing --engagement');
      const { stakeholders: list } = await stakeholders.list(await notebook.engagements.resolve(values.engagement));
      if (values.json) io.stdout(json(list));
      else if (!list.length)
        io.stdout('No stakeholders yet. Add one with: outpost stakeholders add --engagement X --name NAME --role ROLE\n');
      else
        io.stdout(
          formatTable(
            ['NAME', 'ROLE', 'ORGANISATION', 'KIND', 'FLUENCY', 'NOT TOLD', 'ID'],
            list.map((s) => [
              s.name + (s.duplicateName ? ' (same name as another)' : ''),
              s.role,
              s.organisation,
              KIND_LABELS[s.kind],
              String(s.fluency),
              s.untoldCards ? `${s.untoldCards} card${s.untoldCards > 1 ? 's' : ''}` : '',
              s.id,
            ]),
          ),
        );
      return 0;
    }
    case 'add': {
      const { values } = parseCommand(
        rest,
        {
          engagement: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          kind: { type: 'string' },
          org: { type: 'string' },
          cares: { type: 'string' },
          fluency: { type: 'string' },
          register: { type: 'string' },
          channel: { type: 'string' },
          influence: { type: 'string' },
          interest: { type: 'string' },
          systems: { type: 'string' },
          notes: { type: 'string' },
          json: { type: 'boolean' },
        },
        { min: 0, max: 0, names: '' },
      );
      if (!values.engagement) throw new UsageError('Missing --engagement');
      if (values.name === undefined) throw new UsageError('Missing --name');
      let fluency: number | undefined;
      if (values.fluency !== undefined) {
        fluency = Number(values.fluency);
        if (!/^[1-5]$/.test(values.fluency.trim())) throw new UsageError('--fluency is a number from 1 (none) to 5 (engineer)');
      }
      const input: StakeholderCreate = {
        name: values.name,
        ...(values.role !== undefined && { role: values.role }),
        ...(values.kind !== undefined && { kind: oneOf('kind', values.kind, STAKEHOLDER_KINDS) }),
        ...(values.org !== undefined && { organisation: values.org }),
        ...(values.cares !== undefined && { caresAbout: values.cares }),
        ...(fluency !== undefined && { fluency }),
        ...(values.register !== undefined && { register: oneOf('register', values.register, REGISTERS) }),
        ...(values.channel !== undefined && { channel: values.channel }),
        ...(values.influence !== undefined && { influence: oneOf('influence', values.influence, LEVELS) }),
        ...(values.interest !== undefined && { interest: oneOf('interest', values.interest, LEVELS) }),
        ...(values.systems !== undefined && { systems: splitList(values.systems) }),
        ...(values.notes !== undefined && { notes: values.notes }),
      };
      const created = await stakeholders.add(await notebook.engagements.resolve(values.engagement), input);
      io.stdout(
        values.json ? json(created) : `Added stakeholder ${created.name}${created.role ? ` (${created.role})` : ''} (${created.id})\n`,
      );
      return 0;
    }
    case 'remove': {
      const { values, positionals } = parseCommand(
        rest,
        { engagement: { type: 'string' } },
        { min: 1, max: 1, names: 'stakeholder (name or id)' },
      );
      if (!values.engagement) throw new UsageError('Missing --engagement');
      const engagementId = await notebook.engagements.resolve(values.engagement);
      const person = await stakeholders.resolveStakeholder(engagementId, positionals[0] as string);
      await stakeholders.remove(engagementId, person.id);
      io.stdout(`Removed stakeholder ${person.name}; cards keep their renderings for them\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "stakeholders ${sub}"\n${STAKEHOLDERS_USAGE}` : STAKEHOLDERS_USAGE);
  }
}

export async function cardsCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const stakeholders = service(notebook, io);
  switch (sub) {
    case 'list': {
      const { values } = parseCommand(rest, { engagement: { type: 'string' }, json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
      if (!values.engagement) throw new UsageError('Missing --engagement');
      const cards = await stakeholders.cards(await notebook.engagements.resolve(values.engagement));
      if (values.json) io.stdout(json(cards));
      else if (!cards.length) io.stdout('No translation cards yet. Add one with: outpost cards add --engagement X --title T\n');
      else
        io.stdout(
          formatTable(
            ['TITLE', 'SEVERITY', 'RENDERINGS', 'ID'],
            cards.map((c) => [c.title, c.severity, c.renderings.map((r) => `${r.audienceLabel}: ${r.status}`).join('; '), c.id]),
          ),
        );
      return 0;
    }
    case 'add': {
      const { values } = parseCommand(
        rest,
        {
          engagement: { type: 'string' },
          title: { type: 'string' },
          finding: { type: 'string' },
          severity: { type: 'string' },
          confidence: { type: 'string' },
          systems: { type: 'string' },
          json: { type: 'boolean' },
        },
        { min: 0, max: 0, names: '' },
      );
      if (!values.engagement) throw new UsageError('Missing --engagement');
      if (values.title === undefined) throw new UsageError('Missing --title');
      const card = await stakeholders.addCard(await notebook.engagements.resolve(values.engagement), {
        title: values.title,
        ...(values.finding !== undefined && { finding: values.finding }),
        ...(values.severity !== undefined && { severity: oneOf('severity', values.severity, SEVERITIES) }),
        ...(values.confidence !== undefined && { confidence: oneOf('confidence', values.confidence, CONFIDENCES) }),
        ...(values.systems !== undefined && { systems: splitList(values.systems) }),
      });
      io.stdout(values.json ? json(card) : `Added card ${card.title} (${card.id})\n`);
      return 0;
    }
    case 'render': {
      const { values, positionals } = parseCommand(
        rest,
        {
          engagement: { type: 'string' },
          stakeholder: { type: 'string' },
          audience: { type: 'string' },
          explanation: { type: 'string' },
          impact: { type: 'string' },
          ask: { type: 'string' },
          status: { type: 'string' },
          via: { type: 'string' },
          json: { type: 'boolean' },
        },
        { min: 1, max: 1, names: 'card (id or exact title)' },
      );
      if (!values.engagement) throw new UsageError('Missing --engagement');
      const engagementId = await notebook.engagements.resolve(values.engagement);
      const card = resolveCard(await stakeholders.cards(engagementId), positionals[0] as string);
      const audience = await audienceFrom(stakeholders, engagementId, values);
      const status = oneOf('status', values.status, RENDERING_STATUSES);
      const patch = {
        ...(values.explanation !== undefined && { explanation: values.explanation }),
        ...(values.impact !== undefined && { impact: values.impact }),
        ...(values.ask !== undefined && { ask: values.ask }),
        ...(status !== undefined && { status }),
        ...(values.via !== undefined && { deliveredVia: values.via }),
      };
      if (!Object.keys(patch).length) throw new UsageError('Nothing to write: give --explanation, --impact, --ask, --status or --via');
      const updated = await stakeholders.setRendering(engagementId, card.id, audience, patch);
      io.stdout(values.json ? json(updated) : `Updated card ${updated.title}\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "cards ${sub}"\n${STAKEHOLDERS_USAGE}` : STAKEHOLDERS_USAGE);
  }
}

function resolveCard(cards: Card[], ref: string): Card {
  const trimmed = ref.trim();
  const byId = cards.find((c) => c.id === trimmed);
  if (byId) return byId;
  const byTitle = cards.filter((c) => c.title.toLowerCase() === trimmed.toLowerCase());
  if (byTitle.length === 1) return byTitle[0] as Card;
  if (byTitle.length > 1) throw new UsageError(`More than one card is titled "${trimmed}"; use its id`);
  throw new UsageError(`No translation card "${trimmed}" in this engagement`);
}

export async function briefCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommand(
    args,
    {
      engagement: { type: 'string' },
      stakeholder: { type: 'string' },
      audience: { type: 'string' },
      cards: { type: 'string' },
      format: { type: 'string' },
      date: { type: 'string' },
      o: { type: 'string', short: 'o' },
    },
    { min: 0, max: 0, names: '' },
  );
  if (!values.engagement) throw new UsageError('Missing --engagement');
  if (!values.o) throw new UsageError('Missing -o FILE');
  const format = (values.format ?? path.extname(values.o).slice(1).toLowerCase()) as BriefFormat;
  if (!(BRIEF_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is one of ${BRIEF_FORMATS.join(', ')}`);
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError('--date is YYYY-MM-DD');
  const stakeholders = service(notebook, io);
  const engagementId = await notebook.engagements.resolve(values.engagement);
  const audience = await audienceFrom(stakeholders, engagementId, values);
  const out = path.resolve(values.o);
  const result = await stakeholders.brief(engagementId, {
    audience,
    cardIds: splitList(values.cards),
    format,
    date: values.date,
    preparedBy: notebook.device.name,
  });
  writeFileAtomic(out, result.content);
  for (const card of result.omitted)
    io.stderr(`outpost: left out "${card.title}": it has no rendering for ${result.brief.audienceLabel}\n`);
  io.stdout(`Wrote ${result.brief.title} (${result.brief.items.length} card${result.brief.items.length === 1 ? '' : 's'}) to ${out}\n`);
  return 0;
}
