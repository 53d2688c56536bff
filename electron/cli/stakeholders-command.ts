import path from 'node:path';
import { OutpostError } from '../../shared/errors';
import { uuidSchema } from '../../shared/ids';
import {
  type Audience,
  BRIEF_FORMATS,
  type BriefFormat,
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
import { UsageError } from './args';
import type { CliApi } from './cli-api';
import { engagementFlag, listFlag, plural, printList, printResult } from './command-helpers';
import { defineCommand, parseSub, pickSub, type Subcommands } from './command-spec';
import { writeDownload } from './transfers';

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

const LIST = { flags: { engagement: { type: 'string' }, json: { type: 'boolean' } } } as const;
/** Who a rendering or a brief is for: one stakeholder by name or id, or every stakeholder of a kind. */
const AUDIENCE_FLAGS = { stakeholder: { type: 'string' }, audience: { type: 'string' } } as const;

const STAKEHOLDER_SUBCOMMANDS = {
  list: LIST,
  add: {
    flags: {
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
    choices: { kind: STAKEHOLDER_KINDS, register: REGISTERS, influence: LEVELS, interest: LEVELS },
    lenient: ['kind', 'register', 'influence', 'interest'],
  },
  remove: { flags: { engagement: { type: 'string' } }, positionals: { min: 1, max: 1, names: 'stakeholder (name or id)' } },
} as const satisfies Subcommands;

const CARD_SUBCOMMANDS = {
  list: LIST,
  add: {
    flags: {
      engagement: { type: 'string' },
      title: { type: 'string' },
      finding: { type: 'string' },
      severity: { type: 'string' },
      confidence: { type: 'string' },
      systems: { type: 'string' },
      json: { type: 'boolean' },
    },
    choices: { severity: SEVERITIES, confidence: CONFIDENCES },
    lenient: ['severity', 'confidence'],
  },
  render: {
    flags: {
      engagement: { type: 'string' },
      ...AUDIENCE_FLAGS,
      explanation: { type: 'string' },
      impact: { type: 'string' },
      ask: { type: 'string' },
      status: { type: 'string' },
      via: { type: 'string' },
      json: { type: 'boolean' },
    },
    positionals: { min: 1, max: 1, names: 'card (id or exact title)' },
    choices: { audience: STAKEHOLDER_KINDS, status: RENDERING_STATUSES },
    lenient: ['audience', 'status'],
  },
} as const satisfies Subcommands;

const BRIEF_ARGS = {
  '': {
    flags: {
      engagement: { type: 'string' },
      ...AUDIENCE_FLAGS,
      cards: { type: 'string' },
      format: { type: 'string' },
      date: { type: 'string' },
      o: { type: 'string', short: 'o' },
    },
    choices: { audience: STAKEHOLDER_KINDS, format: BRIEF_FORMATS },
    lenient: ['audience'],
  },
} as const satisfies Subcommands;

async function audienceFrom(
  api: CliApi,
  engagementId: string,
  values: { stakeholder?: string | undefined; audience?: string | undefined },
): Promise<Audience> {
  if ((values.stakeholder === undefined) === (values.audience === undefined)) {
    throw new UsageError('Give either --stakeholder NAME or --audience KIND');
  }
  if (values.audience !== undefined) return { type: 'kind', kind: values.audience as StakeholderKind };
  const person = await api.call('stakeholders.resolve', { engagementId, ref: values.stakeholder as string });
  return { type: 'stakeholder', id: person.id };
}

export const stakeholdersCommand = defineCommand({
  name: 'stakeholders',
  summary: 'the stakeholder registry of an engagement: list, add, remove',
  usage: STAKEHOLDERS_USAGE,
  subcommands: STAKEHOLDER_SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('stakeholders', STAKEHOLDERS_USAGE, STAKEHOLDER_SUBCOMMANDS, args);
    switch (sub) {
      case 'list': {
        const { values } = parseSub(STAKEHOLDER_SUBCOMMANDS, sub, rest);
        const engagementId = await engagementFlag(api, values.engagement);
        const { stakeholders } = await api.call('stakeholders.list', { engagementId });
        printList(io, values.json, stakeholders, {
          empty: 'No stakeholders yet. Add one with: outpost stakeholders add --engagement X --name NAME --role ROLE\n',
          headers: ['NAME', 'ROLE', 'ORGANISATION', 'KIND', 'FLUENCY', 'NOT TOLD', 'ID'],
          row: (s) => [
            s.name + (s.duplicateName ? ' (same name as another)' : ''),
            s.role,
            s.organisation,
            KIND_LABELS[s.kind],
            String(s.fluency),
            s.untoldCards ? plural(s.untoldCards, 'card') : '',
            s.id,
          ],
        });
        return 0;
      }
      case 'add': {
        const { values } = parseSub(STAKEHOLDER_SUBCOMMANDS, sub, rest);
        if (!values.engagement) throw new UsageError('Missing --engagement');
        if (values.name === undefined) throw new UsageError('Missing --name');
        if (values.fluency !== undefined && !/^[1-5]$/.test(values.fluency.trim()))
          throw new UsageError('--fluency is a number from 1 (none) to 5 (engineer)');
        const stakeholder: StakeholderCreate = {
          name: values.name,
          ...(values.role !== undefined && { role: values.role }),
          ...(values.kind !== undefined && { kind: values.kind as StakeholderCreate['kind'] }),
          ...(values.org !== undefined && { organisation: values.org }),
          ...(values.cares !== undefined && { caresAbout: values.cares }),
          ...(values.fluency !== undefined && { fluency: Number(values.fluency) }),
          ...(values.register !== undefined && { register: values.register as StakeholderCreate['register'] }),
          ...(values.channel !== undefined && { channel: values.channel }),
          ...(values.influence !== undefined && { influence: values.influence as StakeholderCreate['influence'] }),
          ...(values.interest !== undefined && { interest: values.interest as StakeholderCreate['interest'] }),
          ...(values.systems !== undefined && { systems: listFlag(values.systems) }),
          ...(values.notes !== undefined && { notes: values.notes }),
        };
        const created = await api.call('stakeholders.add', { engagementId: await engagementFlag(api, values.engagement), stakeholder });
        printResult(
          io,
          values.json,
          created,
          () => `Added stakeholder ${created.name}${created.role ? ` (${created.role})` : ''} (${created.id})\n`,
        );
        return 0;
      }
      case 'remove': {
        const { values, positionals } = parseSub(STAKEHOLDER_SUBCOMMANDS, sub, rest);
        const engagementId = await engagementFlag(api, values.engagement);
        const person = await api.call('stakeholders.resolve', { engagementId, ref: positionals[0] as string });
        await api.call('stakeholders.remove', { engagementId, id: person.id });
        io.stdout(`Removed stakeholder ${person.name}; cards keep their renderings for them\n`);
        return 0;
      }
    }
  },
});

export const cardsCommand = defineCommand({
  name: 'cards',
  summary: 'translation cards and their per-audience renderings: list, add, render',
  usage: STAKEHOLDERS_USAGE,
  subcommands: CARD_SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('cards', STAKEHOLDERS_USAGE, CARD_SUBCOMMANDS, args);
    switch (sub) {
      case 'list': {
        const { values } = parseSub(CARD_SUBCOMMANDS, sub, rest);
        const { cards } = await api.call('cards.list', { engagementId: await engagementFlag(api, values.engagement) });
        printList(io, values.json, cards, {
          empty: 'No translation cards yet. Add one with: outpost cards add --engagement X --title T\n',
          headers: ['TITLE', 'SEVERITY', 'RENDERINGS', 'ID'],
          row: (c) => [c.title, c.severity, c.renderings.map((r) => `${r.audienceLabel}: ${r.status}`).join('; '), c.id],
        });
        return 0;
      }
      case 'add': {
        const { values } = parseSub(CARD_SUBCOMMANDS, sub, rest);
        if (!values.engagement) throw new UsageError('Missing --engagement');
        if (values.title === undefined) throw new UsageError('Missing --title');
        const card = await api.call('cards.add', {
          engagementId: await engagementFlag(api, values.engagement),
          card: {
            title: values.title,
            ...(values.finding !== undefined && { finding: values.finding }),
            ...(values.severity !== undefined && { severity: values.severity as (typeof SEVERITIES)[number] }),
            ...(values.confidence !== undefined && { confidence: values.confidence as (typeof CONFIDENCES)[number] }),
            ...(values.systems !== undefined && { systems: listFlag(values.systems) }),
          },
        });
        printResult(io, values.json, card, () => `Added card ${card.title} (${card.id})\n`);
        return 0;
      }
      case 'render': {
        const { values, positionals } = parseSub(CARD_SUBCOMMANDS, sub, rest);
        const engagementId = await engagementFlag(api, values.engagement);
        const card = resolveCard((await api.call('cards.list', { engagementId })).cards, positionals[0] as string);
        const audience = await audienceFrom(api, engagementId, values);
        const patch = {
          ...(values.explanation !== undefined && { explanation: values.explanation }),
          ...(values.impact !== undefined && { impact: values.impact }),
          ...(values.ask !== undefined && { ask: values.ask }),
          ...(values.status !== undefined && { status: values.status as (typeof RENDERING_STATUSES)[number] }),
          ...(values.via !== undefined && { deliveredVia: values.via }),
        };
        if (!Object.keys(patch).length) throw new UsageError('Nothing to write: give --explanation, --impact, --ask, --status or --via');
        const updated = await api.call('cards.setRendering', { engagementId, cardId: card.id, audience, patch });
        printResult(io, values.json, updated, () => `Updated card ${updated.title}\n`);
        return 0;
      }
    }
  },
});

/** A card by id or exact title (ignoring case). */
function resolveCard<C extends { id: string; title: string }>(cards: C[], ref: string): C {
  const trimmed = ref.trim();
  const byId = cards.find((c) => c.id === trimmed);
  if (byId) return byId;
  const byTitle = cards.filter((c) => c.title.toLowerCase() === trimmed.toLowerCase());
  if (byTitle.length === 1) return byTitle[0] as C;
  if (byTitle.length > 1) throw new UsageError(`More than one card is titled "${trimmed}"; use its id`);
  throw new UsageError(`No translation card "${trimmed}" in this engagement`);
}

export const briefCommand = defineCommand({
  name: 'brief',
  summary: 'a one-page brief for a stakeholder or audience, as PDF, HTML or Markdown',
  usage: STAKEHOLDERS_USAGE,
  subcommands: BRIEF_ARGS,
  run: async ({ api, io }, args) => {
    const { values } = parseSub(BRIEF_ARGS, '', args);
    if (!values.engagement) throw new UsageError('Missing --engagement');
    if (!values.o) throw new UsageError('Missing -o FILE');
    const format = (values.format ?? path.extname(values.o).slice(1).toLowerCase()) as BriefFormat;
    if (!(BRIEF_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is one of ${BRIEF_FORMATS.join(', ')}`);
    if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError('--date is YYYY-MM-DD');
    const engagementId = await engagementFlag(api, values.engagement);
    const audience = await audienceFrom(api, engagementId, values);
    const cardIds = listFlag(values.cards);
    for (const id of cardIds ?? [])
      if (!uuidSchema.safeParse(id).success) throw new OutpostError('not_found', `No translation card with id ${id} in this engagement`);
    const out = path.resolve(values.o);
    const brief = await api.call('stakeholders.briefDownload', {
      engagementId,
      audience,
      ...(cardIds !== undefined && { cardIds }),
      format,
      // The service's default: today, in UTC.
      date: values.date ?? new Date().toISOString().slice(0, 10),
    });
    await writeDownload(api, brief.token, out);
    for (const card of brief.omitted) io.stderr(`outpost: left out "${card.title}": it has no rendering for ${brief.audienceLabel}\n`);
    io.stdout(`Wrote ${brief.title} (${plural(brief.cards, 'card')}) to ${out}\n`);
    return 0;
  },
});
