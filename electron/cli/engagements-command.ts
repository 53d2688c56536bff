import type { Engagement } from '../../shared/engagements/model';
import { ENGAGEMENT_SORTS, type EngagementPatch, type EngagementSort, STATUS_LABELS } from '../../shared/engagements/model';
import { UsageError } from './args';
import type { CliApi } from './cli-api';
import { defineCommand, parseSub, pickSub, type Subcommands } from './command-spec';
import { formatTable, json } from './output';

export const ENGAGEMENTS_USAGE = `Usage:
  outpost engagements list [--all] [--sort updated|codename|client|start|status] [--json]
  outpost engagements create --client NAME --codename NAME [--site S] [--ceiling LEVEL]
                             [--status S] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--summary TEXT] [--json]
  outpost engagements show X [--json]        X: the engagement's id or codename
  outpost engagements edit X [--client …] [--codename …] [--site …] [--ceiling …] [--status …]
                             [--start …] [--end …] [--summary …] [--json]
  outpost engagements archive X | unarchive X
`;

const FIELD_FLAGS = {
  client: { type: 'string' },
  codename: { type: 'string' },
  site: { type: 'string' },
  ceiling: { type: 'string' },
  status: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  summary: { type: 'string' },
  json: { type: 'boolean' },
} as const;
const ONE = { min: 1, max: 1, names: 'engagement (id or codename)' };

const SUBCOMMANDS = {
  list: { flags: { all: { type: 'boolean' }, sort: { type: 'string' }, json: { type: 'boolean' } }, choices: { sort: ENGAGEMENT_SORTS } },
  create: { flags: FIELD_FLAGS },
  show: { flags: { json: { type: 'boolean' } }, positionals: ONE },
  edit: { flags: FIELD_FLAGS, positionals: ONE },
  archive: { flags: {}, positionals: ONE },
  unarchive: { flags: {}, positionals: ONE },
} as const satisfies Subcommands;

/** An engagement named on the command line by its id or codename. */
export async function resolveEngagement(api: CliApi, ref: string): Promise<string> {
  return (await api.call('engagements.resolve', { ref })).id;
}

export const engagementsCommand = defineCommand({
  name: 'engagements',
  summary: 'list, create, show, edit, archive engagements',
  usage: ENGAGEMENTS_USAGE,
  subcommands: SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('engagements', ENGAGEMENTS_USAGE, SUBCOMMANDS, args);
    switch (sub) {
      case 'list': {
        const { values } = parseSub(SUBCOMMANDS, sub, rest);
        const sort = (values.sort ?? 'updated') as EngagementSort;
        const list = (await api.call('engagements.list', { includeArchived: values.all ?? false, sort })).engagements;
        if (values.json) io.stdout(json(list));
        else if (!list.length) io.stdout('No engagements yet. Create one with: outpost engagements create --client NAME --codename NAME\n');
        else
          io.stdout(
            formatTable(
              ['CODENAME', 'CLIENT', 'SITE', 'STATUS', 'CEILING', 'START', 'END', 'ID'],
              list.map((e) => [
                e.codename + (e.archived ? ' (archived)' : ''),
                e.client,
                e.site,
                STATUS_LABELS[e.status],
                e.ceiling,
                e.startDate ?? '',
                e.endDate ?? '',
                e.id,
              ]),
            ),
          );
        return 0;
      }
      case 'create': {
        const { values } = parseSub(SUBCOMMANDS, sub, rest);
        if (values.client === undefined) throw new UsageError('Missing --client');
        if (values.codename === undefined) throw new UsageError('Missing --codename');
        const created = await api.call('engagements.create', {
          client: values.client,
          codename: values.codename,
          ...(values.site !== undefined && { site: values.site }),
          ...(values.ceiling !== undefined && { ceiling: values.ceiling }),
          ...(values.status !== undefined && { status: values.status as never }),
          ...(values.start !== undefined && { startDate: values.start }),
          ...(values.end !== undefined && { endDate: values.end }),
          ...(values.summary !== undefined && { summary: values.summary }),
        });
        io.stdout(values.json ? json(created) : `Created engagement ${created.codename} (${created.id})\n`);
        return 0;
      }
      case 'show': {
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const engagement = await api.call('engagements.get', { id: await resolveEngagement(api, positionals[0] as string) });
        io.stdout(values.json ? json(engagement) : describe(engagement));
        return 0;
      }
      case 'edit': {
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const patch: EngagementPatch = {
          ...(values.client !== undefined && { client: values.client }),
          ...(values.codename !== undefined && { codename: values.codename }),
          ...(values.site !== undefined && { site: values.site }),
          ...(values.ceiling !== undefined && { ceiling: values.ceiling }),
          ...(values.status !== undefined && { status: values.status as never }),
          ...(values.start !== undefined && { startDate: values.start === '' ? null : values.start }),
          ...(values.end !== undefined && { endDate: values.end === '' ? null : values.end }),
          ...(values.summary !== undefined && { summary: values.summary }),
        };
        if (!Object.keys(patch).length) throw new UsageError('Nothing to change: give at least one field flag');
        const id = await resolveEngagement(api, positionals[0] as string);
        const updated = await api.call('engagements.update', { id, patch });
        io.stdout(values.json ? json(updated) : `Updated engagement ${updated.codename}\n`);
        return 0;
      }
      case 'archive':
      case 'unarchive': {
        const { positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const id = await resolveEngagement(api, positionals[0] as string);
        const updated = await api.call('engagements.update', { id, patch: { archived: sub === 'archive' } });
        io.stdout(`${sub === 'archive' ? 'Archived' : 'Restored'} engagement ${updated.codename}\n`);
        return 0;
      }
    }
  },
});

function describe(e: Engagement): string {
  const lines = [
    `${e.codename}${e.archived ? ' (archived)' : ''}`,
    `  Client:     ${e.client}`,
    `  Site:       ${e.site || '—'}`,
    `  Status:     ${STATUS_LABELS[e.status]}`,
    `  Ceiling:    ${e.ceiling}`,
    `  Dates:      ${e.startDate ?? '?'} → ${e.endDate ?? '?'}`,
    `  Team:       ${e.team.length ? e.team.map((m) => (m.role ? `${m.name} (${m.role})` : m.name)).join(', ') : '—'}`,
    `  Id:         ${e.id}`,
    `  Created:    ${e.createdAt}`,
  ];
  if (e.summary) lines.push('', ...e.summary.split('\n').map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}
