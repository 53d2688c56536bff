import fs from 'node:fs';
import path from 'node:path';
import { OutpostError } from '../../shared/errors';
import { MAP_EXPORT_FORMATS, type MapExportFormat } from '../../shared/map/calls';
import { type ColumnMapping, decodeCsv, IMPORT_FIELDS, MAX_IMPORT_CHARS } from '../../shared/map/csv-import';
import { MAP_STATUS_LABELS, SYSTEM_KIND_LABELS } from '../../shared/map/model';
import { MapService } from '../map/map-service';
import { writeFileAtomic } from '../notebook/atomic-write';
import type { Notebook } from '../notebook/notebook';
import { parseCommand, UsageError } from './args';
import { type CliIO, formatTable, json } from './output';

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

export async function mapCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const maps = new MapService(notebook.docs, notebook.engagements);
  const engagementOf = async (value: string | undefined) => {
    if (value === undefined) throw new UsageError('Missing --engagement');
    return notebook.engagements.resolve(value);
  };
  switch (sub) {
    case 'show': {
      const { values } = parseCommand(rest, { engagement: { type: 'string' }, json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
      const { map, problems } = await maps.read(await engagementOf(values.engagement));
      if (values.json) {
        io.stdout(json({ ...map, problems }));
        return 0;
      }
      if (!map.systems.length) {
        io.stdout('The map is empty. Draw it in the app, or: outpost map import --engagement X systems.csv\n');
        return 0;
      }
      const zones = new Map(map.zones.map((z) => [z.id, z.name]));
      const names = new Map(map.systems.map((s) => [s.id, s.name]));
      io.stdout(
        formatTable(
          ['SYSTEM', 'KIND', 'VENDOR', 'ZONE', 'STATUS'],
          map.systems.map((s) => [s.name, SYSTEM_KIND_LABELS[s.kind], s.vendor, zones.get(s.zone) ?? '', MAP_STATUS_LABELS[s.status]]),
        ),
      );
      if (map.integrations.length) {
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
      return 0;
    }
    case 'export': {
      const { values } = parseCommand(
        rest,
        { engagement: { type: 'string' }, format: { type: 'string' }, o: { type: 'string', short: 'o' } },
        { min: 0, max: 0, names: '' },
      );
      const format = values.format;
      if (!format || !(MAP_EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw new UsageError(`--format is one of ${MAP_EXPORT_FORMATS.join(', ')}`);
      }
      const result = await maps.export(await engagementOf(values.engagement), format as MapExportFormat);
      if (values.o) {
        const file = path.resolve(values.o);
        writeFileAtomic(file, result.text);
        io.stderr(`Wrote ${file}\n`);
      } else io.stdout(result.text);
      return 0;
    }
    case 'import': {
      const { values, positionals } = parseCommand(
        rest,
        { engagement: { type: 'string' }, 'dry-run': { type: 'boolean' }, map: { type: 'string' }, json: { type: 'boolean' } },
        { min: 1, max: 1, names: 'the CSV file' },
      );
      const engagementId = await engagementOf(values.engagement);
      const mapping = values.map !== undefined ? parseMappingFlag(values.map) : undefined;
      const csv = readCsvFile(positionals[0] as string);
      const plan = values['dry-run'] ? await maps.planImport(engagementId, csv, mapping) : null;
      if (plan) {
        if (values.json) io.stdout(json({ ...plan, changes: undefined }));
        else {
          io.stdout(describeMapping(plan.mapping));
          io.stdout(`${plan.rows} rows: would add ${countsText(plan.counts)}${plan.errors.length ? ', but the file has problems' : ''}\n`);
          for (const error of plan.errors) io.stdout(`  ${error.row ? `row ${error.row}` : 'file'}: ${error.message}\n`);
          io.stdout('Dry run: nothing was written.\n');
        }
        return plan.errors.length ? 1 : 0;
      }
      const applied = await maps.applyImport(engagementId, csv, mapping);
      io.stdout(values.json ? json({ counts: applied.counts }) : `Imported ${countsText(applied.counts)} from ${applied.rows} rows\n`);
      return 0;
    }
    case 'layout': {
      const { values } = parseCommand(rest, { engagement: { type: 'string' } }, { min: 0, max: 0, names: '' });
      const count = await maps.autoLayout(await engagementOf(values.engagement));
      io.stdout(`Laid out ${count} system${count === 1 ? '' : 's'}\n`);
      return 0;
    }
    case 'trace': {
      const { values, positionals } = parseCommand(
        rest,
        { engagement: { type: 'string' }, 'any-direction': { type: 'boolean' }, json: { type: 'boolean' } },
        { min: 2, max: 2, names: 'FROM and TO systems' },
      );
      const engagementId = await engagementOf(values.engagement);
      const { map } = await maps.read(engagementId);
      const find = (ref: string) => {
        const matches = map.systems.filter((s) => s.id === ref || s.name.toLowerCase() === ref.trim().toLowerCase());
        if (matches.length === 1) return matches[0] as (typeof map.systems)[number];
        if (matches.length > 1) throw new OutpostError('ambiguous', `More than one system is called "${ref}"; use its id`);
        throw new OutpostError('not_found', `No system called "${ref}" on this map`);
      };
      const from = find(positionals[0] as string);
      const to = find(positionals[1] as string);
      const result = await maps.trace(engagementId, from.id, to.id, { ignoreDirection: values['any-direction'] ?? false });
      if (values.json) {
        io.stdout(json(result));
        return 0;
      }
      const names = new Map(map.systems.map((s) => [s.id, s.name]));
      if (!result.paths.length) {
        io.stdout(
          `No path from ${from.name} to ${to.name}${values['any-direction'] ? '' : ' along the integrations (try --any-direction)'}\n`,
        );
        return 0;
      }
      result.paths.forEach((hops, index) => {
        io.stdout(`Path ${index + 1} (${hops.length} hop${hops.length === 1 ? '' : 's'}):\n`);
        for (const hop of hops) {
          const what = [hop.protocol || '?', hop.format].filter(Boolean).join(' / ');
          io.stdout(
            `  ${names.get(hop.from)} ${hop.reversed ? '<-' : '->'} ${names.get(hop.to)}  [${what}]${hop.issues ? `  issues: ${hop.issues}` : ''}\n`,
          );
        }
      });
      if (result.truncated) io.stdout('(more paths exist; showing the shortest)\n');
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "map ${sub}"\n${MAP_USAGE}` : MAP_USAGE);
  }
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

function describeMapping(mapping: ColumnMapping): string {
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
