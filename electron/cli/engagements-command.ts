import type { Engagement } from '../../shared/engagements/model';
import { ENGAGEMENT_SORTS, type EngagementPatch, type EngagementSort, STATUS_LABELS } from '../../shared/engagements/model';
import type { Notebook } from '../notebook/notebook';
import { parseCommand, UsageError } from './args';
import { type CliIO, formatTable, json } from './output';

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

export async function engagementsCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const service = notebook.engagements;
  switch (sub) {
    case 'list': {
      const { values } = parseCommand(
        rest,
        { all: { type: 'boolean' }, sort: { type: 'string' }, json: { type: 'boolean' } },
        { min: 0, max: 0, names: '' },
      );
      const sort = values.sort ?? 'updated';
      if (!(ENGAGEMENT_SORTS as readonly string[]).includes(sort)) throw new UsageError(`--sort is one of ${ENGAGEMENT_SORTS.join(', ')}`);
      const list = await service.list({ includeArchived: values.all ?? false, sort: sort as EngagementSort });
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
      const { values } = parseCommand(rest, FIELD_FLAGS, { min: 0, max: 0, names: '' });
      if (values.client === undefined) throw new UsageError('Missing --client');
      if (values.codename === undefined) throw new UsageError('Missing --codename');
      const created = await service.create({
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
      const { values, positionals } = parseCommand(
        rest,
        { json: { type: 'boolean' } },
        { min: 1, max: 1, names: 'engagement (id or codename)' },
      );
      const engagement = await service.get(await service.resolve(positionals[0] as string));
      io.stdout(values.json ? json(engagement) : describe(engagement));
      return 0;
    }
    case 'edit': {
      const { values, positionals } = parseCommand(rest, FIELD_FLAGS, { min: 1, max: 1, names: 'engagement (id or codename)' });
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
      const id = await service.resolve(positionals[0] as string);
      const updated = await service.update(id, patch);
      io.stdout(values.json ? json(updated) : `Updated engagement ${updated.codename}\n`);
      return 0;
    }
    case 'archive':
    case 'unarchive': {
      const { positionals } = parseCommand(rest, {}, { min: 1, max: 1, names: 'engagement (id or codename)' });
      const id = await service.resolve(positionals[0] as string);
      const updated = await service.update(id, { archived: sub === 'archive' });
      io.stdout(`${sub === 'archive' ? 'Archived' : 'Restored'} engagement ${updated.codename}\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "engagements ${sub}"\n${ENGAGEMENTS_USAGE}` : ENGAGEMENTS_USAGE);
  }
}

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
