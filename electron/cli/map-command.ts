import fs from 'node:fs';
import path from 'node:path';
import type { CallResponse } from '../../shared/api/contract';
import { OutpostError } from '../../shared/errors';
import { MAP_EXPORT_FORMATS, type MapExportFormat, type MapImportPreview } from '../../shared/map/calls';
import { type ColumnMapping, decodeCsv, IMPORT_FIELDS, MAX_IMPORT_CHARS } from '../../shared/map/csv-import';
import { MAP_STATUS_LABELS, SYSTEM_KIND_LABELS } from '../../shared/map/model';
import { UsageError } from './args';
import { engagementFlag, plural } from './command-helpers';
import { defineCommand, parseSub, pickSub, type Subcommands } from './command-spec';
import { type CliIO, formatTable, json } from './output';
import { readDownload, writeDownload } from './transfers';

export const MAP_USAGE = `Usage:
  outpost map show --engagement X [--json]                 systems and integrations of an engagement's map
  outpost map export --engagement X --format mermaid|json|svg|md|csv|integrations-csv [-o FILE]
  outpost map import --engagement X FILE.csv [--dry-run] [--map column=field,…] [--json]
                     a list of systems (a column for name) or of integrations (columns for from and to);
                     fields: ${IMPORT_FIELDS.join(', ')}
  outpost map layout --engagement X                        lay the map out left to right (saves positions)
  outpost map trace --engagement X FROM TO [--any-direction] [--json]   paths between two systems (names or ids)
`;

/** `--map "Asset=name,Cat=kind"`: column names may hold spaces; the last "=" splits. */
export function parseMappingFlag(value: string): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const part of value.split(',')) {
    if (!part.trim()) continue;
    const at = part.lastIndexOf('=');
    if (at <= 0) throw new UsageError(`--map takes column=field pairs separated by commas, not "${part}"`);
    const field = part.slice(at + 1).trim();
    if (field && !(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`Unknown field "${field}" in --map; fields are ${IMPORT_FIELDS.join(', ')}`);
    }
    mapping[part.slice(0, at).trim()] = field as ColumnMapping[string];
  }
  return mapping;
}

const ENGAGEMENT = { engagement: { type: 'string' } } as const;

const SUBCOMMANDS = {
  show: { flags: { ...ENGAGEMENT, json: { type: 'boolean' } } },
  export: {
    flags: { ...ENGAGEMENT, format: { type: 'string' }, o: { type: 'string', short: 'o' } },
    choices: { format: MAP_EXPORT_FORMATS },
  },
  import: {
    flags: { ...ENGAGEMENT, 'dry-run': { type: 'boolean' }, map: { type: 'string' }, json: { type: 'boolean' } },
    positionals: { min: 1, max: 1, names: 'the CSV file' },
  },
  layout: { flags: ENGAGEMENT },
  trace: {
    flags: { ...ENGAGEMENT, 'any-direction': { type: 'boolean' }, json: { type: 'boolean' } },
    positionals: { min: 2, max: 2, names: 'FROM and TO systems' },
  },
} as const satisfies Subcommands;

export const mapCommand = defineCommand({
  name: 'map',
  summary: "an engagement's environment map: show, export, import CSV, layout, trace",
  usage: MAP_USAGE,
  subcommands: SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('map', MAP_USAGE, SUBCOMMANDS, args);
    switch (sub) {
      case 'show': {
        const { values } = parseSub(SUBCOMMANDS, sub, rest);
        const { map, problems } = await api.call('map.read', { engagementId: await engagementFlag(api, values.engagement) });
        if (values.json) io.stdout(json({ ...map, problems }));
        else showMap(map, io);
        return 0;
      }
      case 'export': {
        const { values } = parseSub(SUBCOMMANDS, sub, rest);
        if (!values.format) throw new UsageError(`--format is one of ${MAP_EXPORT_FORMATS.join(', ')}`);
        const engagementId = await engagementFlag(api, values.engagement);
        const ticket = await api.call('map.exportDownload', { engagementId, format: values.format as MapExportFormat });
        if (values.o) {
          const file = path.resolve(values.o);
          await writeDownload(api, ticket.token, file);
          io.stderr(`Wrote ${file}\n`);
        } else io.stdout(new TextDecoder().decode(await readDownload(api, ticket.token)));
        return 0;
      }
      case 'import': {
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const engagementId = await engagementFlag(api, values.engagement);
        const mapping = values.map !== undefined ? parseMappingFlag(values.map) : undefined;
        const request = { engagementId, csv: readCsvFile(positionals[0] as string), ...(mapping && { mapping }) };
        if (values['dry-run']) {
          const plan = await api.call('map.importPreview', request);
          if (values.json) io.stdout(json(plan));
          else describePlan(plan, io);
          return plan.errorCount ? 1 : 0;
        }
        const applied = await api.call('map.importApply', request);
        io.stdout(values.json ? json({ counts: applied.counts }) : `Imported ${countsText(applied.counts)} from ${applied.rows} rows\n`);
        return 0;
      }
      case 'layout': {
        const { values } = parseSub(SUBCOMMANDS, sub, rest);
        const { systems } = await api.call('map.layout', { engagementId: await engagementFlag(api, values.engagement) });
        io.stdout(`Laid out ${plural(systems, 'system')}\n`);
        return 0;
      }
      case 'trace': {
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const engagementId = await engagementFlag(api, values.engagement);
        const { map } = await api.call('map.read', { engagementId });
        const from = findSystem(map.systems, positionals[0] as string);
        const to = findSystem(map.systems, positionals[1] as string);
        const anyDirection = values['any-direction'] ?? false;
        const result = await api.call('map.trace', { engagementId, from: from.id, to: to.id, anyDirection });
        if (values.json) io.stdout(json(result));
        else describeTrace(result, map.systems, { from, to, anyDirection }, io);
        return 0;
      }
    }
  },
});

type MapReading = CallResponse<'map.read'>;
type MapSystem = MapReading['map']['systems'][number];

function showMap(map: MapReading['map'], io: CliIO): void {
  if (!map.systems.length) {
    io.stdout('The map is empty. Draw it in the app, or: outpost map import --engagement X systems.csv\n');
    return;
  }
  const zones = new Map(map.zones.map((z) => [z.id, z.name]));
  const names = new Map(map.systems.map((s) => [s.id, s.name]));
  io.stdout(
    formatTable(
      ['SYSTEM', 'KIND', 'VENDOR', 'ZONE', 'STATUS'],
      map.systems.map((s) => [s.name, SYSTEM_KIND_LABELS[s.kind], s.vendor, zones.get(s.zone) ?? '', MAP_STATUS_LABELS[s.status]]),
    ),
  );
  if (!map.integrations.length) return;
  io.stdout('\n');
  io.stdout(
    formatTable(
      ['FROM', 'TO', 'PROTOCOL', 'FORMAT', 'STATUS'],
      map.integrations.map((i) => [
        names.get(i.from) ?? '',
        `${i.direction === 'two-way' ? '<-> ' : '-> '}${names.get(i.to) ?? ''}`,
        i.protocol,
        i.format,
        MAP_STATUS_LABELS[i.status],
      ]),
    ),
  );
}

/** A system by id or by name (ignoring case). */
function findSystem(systems: MapSystem[], ref: string): MapSystem {
  const matches = systems.filter((s) => s.id === ref || s.name.toLowerCase() === ref.trim().toLowerCase());
  if (matches.length === 1) return matches[0] as MapSystem;
  if (matches.length > 1) throw new OutpostError('ambiguous', `More than one system is called "${ref}"; use its id`);
  throw new OutpostError('not_found', `No system called "${ref}" on this map`);
}

function describeTrace(
  result: CallResponse<'map.trace'>,
  systems: MapSystem[],
  ends: { from: MapSystem; to: MapSystem; anyDirection: boolean },
  io: CliIO,
): void {
  if (!result.paths.length) {
    io.stdout(
      `No path from ${ends.from.name} to ${ends.to.name}${ends.anyDirection ? '' : ' along the integrations (try --any-direction)'}\n`,
    );
    return;
  }
  const names = new Map(systems.map((s) => [s.id, s.name]));
  result.paths.forEach((hops, index) => {
    io.stdout(`Path ${index + 1} (${plural(hops.length, 'hop')}):\n`);
    for (const hop of hops) {
      const what = [hop.protocol || '?', hop.format].filter(Boolean).join(' / ');
      io.stdout(
        `  ${names.get(hop.from)} ${hop.reversed ? '<-' : '->'} ${names.get(hop.to)}  [${what}]${hop.issues ? `  issues: ${hop.issues}` : ''}\n`,
      );
    }
  });
  if (result.truncated) io.stdout('(more paths exist; showing the shortest)\n');
}

function describePlan(plan: MapImportPreview, io: CliIO): void {
  io.stdout(describeMapping(plan.mapping));
  io.stdout(`${plan.rows} rows: would add ${countsText(plan.counts)}${plan.errorCount ? ', but the file has problems' : ''}\n`);
  for (const error of plan.errors) io.stdout(`  ${error.row ? `row ${error.row}` : 'file'}: ${error.message}\n`);
  if (plan.errorCount > plan.errors.length) io.stdout(`  … and ${plan.errorCount - plan.errors.length} more\n`);
  io.stdout('Dry run: nothing was written.\n');
}

function readCsvFile(file: string): string {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_IMPORT_CHARS * 2) throw new OutpostError('invalid_request', `${file} is too large to import (${stat.size} bytes)`);
    bytes = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError('not_found', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return decodeCsv(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).text;
}

function describeMapping(mapping: Record<string, string>): string {
  const lines = Object.entries(mapping).map(([column, field]) => `  ${column} -> ${field || '(ignored)'}`);
  return `Columns:\n${lines.join('\n')}\n`;
}

function countsText(counts: { systems: number; integrations: number; zones: number }): string {
  const parts: string[] = [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (counts.systems || !counts.integrations) parts.push(plural(counts.systems, 'system'));
  if (counts.integrations) parts.push(plural(counts.integrations, 'integration'));
  if (counts.zones) parts.push(plural(counts.zones, 'zone'));
  return parts.join(', ');
}
