import Papa from 'papaparse';
import { newId } from '../ids';
import {
  DIRECTIONS,
  type Direction,
  type EnvironmentMap,
  integrationFieldSchemas,
  MAP_STATUSES,
  type MapChange,
  type MapStatus,
  SYSTEM_KIND_LABELS,
  SYSTEM_KINDS,
  type SystemKind,
  systemFieldSchemas,
  type ZoneKind,
} from './model';

/**
 * Import of a client's inventory spreadsheet (CSV). One file is either a list of systems (a
 * column mapped to `name`) or a list of integrations (columns mapped to `from` and `to`, naming
 * systems already on the map). The plan is computed first, with an error per bad row; it is
 * applied only when no row is rejected, in one transaction: all rows or nothing.
 */

export const MAX_IMPORT_ROWS = 10_000;
/** The largest CSV accepted (bytes of text). */
export const MAX_IMPORT_CHARS = 16 * 1024 * 1024;

export const SYSTEM_IMPORT_FIELDS = ['name', 'kind', 'vendor', 'version', 'owner', 'zone', 'status', 'tags', 'notes'] as const;
export const INTEGRATION_IMPORT_FIELDS = [
  'from',
  'to',
  'label',
  'direction',
  'protocol',
  'format',
  'frequency',
  'auth',
  'owner',
  'status',
  'issues',
] as const;
export type ImportField = (typeof SYSTEM_IMPORT_FIELDS)[number] | (typeof INTEGRATION_IMPORT_FIELDS)[number];
export const IMPORT_FIELDS: readonly ImportField[] = [...new Set<ImportField>([...SYSTEM_IMPORT_FIELDS, ...INTEGRATION_IMPORT_FIELDS])];

/** Column → field. A column mapped to '' (or absent) is ignored. */
export type ColumnMapping = Record<string, ImportField | ''>;

const norm = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const HEADER_ALIASES: Record<ImportField, string[]> = {
  name: ['name', 'system', 'system name', 'application', 'application name', 'app', 'hostname', 'host', 'asset', 'asset name'],
  kind: ['kind', 'type', 'system type', 'category', 'class'],
  vendor: ['vendor', 'manufacturer', 'product', 'supplier'],
  version: ['version', 'release', 'firmware'],
  owner: ['owner', 'business owner', 'technical owner', 'system owner', 'contact', 'responsible'],
  zone: ['zone', 'network zone', 'network', 'segment', 'network segment', 'vlan', 'environment'],
  status: ['status', 'state', 'health'],
  tags: ['tags', 'labels', 'tag'],
  notes: ['notes', 'note', 'description', 'comments', 'comment', 'remarks'],
  from: ['from', 'source', 'source system', 'sender', 'producer', 'upstream'],
  to: ['to', 'target', 'target system', 'destination', 'receiver', 'consumer', 'downstream'],
  label: ['label', 'interface', 'interface name', 'integration', 'integration name', 'flow'],
  direction: ['direction', 'flow direction'],
  protocol: ['protocol', 'transport', 'interface type', 'technology'],
  format: ['format', 'data format', 'payload', 'message format', 'file format'],
  frequency: ['frequency', 'schedule', 'volume', 'frequency volume', 'cadence'],
  auth: ['auth', 'authentication', 'credentials'],
  issues: ['issues', 'known issues', 'problems', 'risks'],
};

/** A first guess at the mapping from the header names (case, accents and punctuation ignored). */
export function guessMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<ImportField>();
  for (const header of headers) {
    const key = norm(header);
    const field = IMPORT_FIELDS.find((f) => !taken.has(f) && HEADER_ALIASES[f].includes(key));
    mapping[header] = field ?? '';
    if (field) taken.add(field);
  }
  return mapping;
}

export interface DecodedCsv {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'windows-1252';
}

/**
 * Bytes of a CSV file to text: a UTF-8 or UTF-16 byte-order mark is honoured and dropped; valid
 * UTF-8 is read as such; anything else is read as Windows-1252 (the Latin-1 superset Excel writes
 * on Western-European Windows), which never fails.
 */
export function decodeCsv(bytes: Uint8Array): DecodedCsv {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

// Windows-1252 bytes 0x80–0x9F (undefined ones map to the C1 control of the same number).
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Decoded by hand: some runtimes' TextDecoder treats the label as ISO-8859-1 and gets 0x80–0x9F wrong. */
function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 8192) {
    let chunk = '';
    const end = Math.min(bytes.length, start + 8192);
    for (let i = start; i < end; i++) {
      const byte = bytes[i] as number;
      chunk += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
    }
    parts.push(chunk);
  }
  return parts.join('');
}

export interface RowError {
  /** Line of the file's record (the header is row 1); 0 for a problem with the whole file. */
  row: number;
  message: string;
}

export interface ImportPlan {
  kind: 'systems' | 'integrations' | null;
  headers: string[];
  mapping: ColumnMapping;
  /** Data rows read (blank lines skipped). */
  rows: number;
  /** The first rows as they would be imported (field → value), for the preview. */
  preview: Record<string, string>[];
  errors: RowError[];
  /** What applying the plan writes; applied only when `errors` is empty. */
  changes: MapChange[];
  counts: { systems: number; integrations: number; zones: number };
}

const KIND_ALIASES: Record<string, SystemKind> = {
  app: 'application',
  application: 'application',
  service: 'application',
  erp: 'application',
  wms: 'application',
  mes: 'application',
  db: 'database',
  database: 'database',
  rdbms: 'database',
  'data warehouse': 'database',
  'data lake': 'database',
  api: 'api',
  'web service': 'api',
  gateway: 'api',
  'api gateway': 'api',
  queue: 'queue',
  'message queue': 'queue',
  mq: 'queue',
  broker: 'queue',
  'message broker': 'queue',
  kafka: 'queue',
  'file drop': 'file_drop',
  'file share': 'file_drop',
  sftp: 'file_drop',
  ftp: 'file_drop',
  'model service': 'model_service',
  model: 'model_service',
  ml: 'model_service',
  'ml model': 'model_service',
  'model serving': 'model_service',
  pipeline: 'pipeline',
  'data pipeline': 'pipeline',
  etl: 'pipeline',
  device: 'device',
  plc: 'device',
  'device plc': 'device',
  scada: 'device',
  sensor: 'device',
  'user group': 'user_group',
  users: 'user_group',
  team: 'user_group',
  'external party': 'external',
  external: 'external',
  partner: 'external',
  'third party': 'external',
};
for (const kind of SYSTEM_KINDS) {
  KIND_ALIASES[norm(kind)] = kind;
  KIND_ALIASES[norm(SYSTEM_KIND_LABELS[kind])] = kind;
}

const STATUS_ALIASES: Record<string, MapStatus> = {
  ok: 'healthy',
  up: 'healthy',
  green: 'healthy',
  live: 'healthy',
  production: 'healthy',
  active: 'healthy',
  degraded: 'degraded',
  slow: 'degraded',
  amber: 'degraded',
  yellow: 'degraded',
  broken: 'broken',
  down: 'broken',
  failed: 'broken',
  failing: 'broken',
  red: 'broken',
  planned: 'planned',
  proposed: 'planned',
  future: 'planned',
  retired: 'retired',
  decommissioned: 'retired',
  legacy: 'retired',
};
for (const status of MAP_STATUSES) STATUS_ALIASES[status] = status;

const DIRECTION_ALIASES: Record<string, Direction> = {
  'one way': 'one-way',
  oneway: 'one-way',
  out: 'one-way',
  push: 'one-way',
  'two way': 'two-way',
  twoway: 'two-way',
  both: 'two-way',
  bidirectional: 'two-way',
  'bi directional': 'two-way',
  duplex: 'two-way',
};

export function zoneKindFor(name: string): ZoneKind {
  const n = ` ${norm(name)} `;
  if (/ dmz /.test(n)) return 'dmz';
  if (/ (ot|ics|scada|plant|control|level [0-2]) /.test(n)) return 'ot';
  if (/ (cloud|aws|azure|gcp|saas) /.test(n)) return 'cloud';
  if (/ (enclave|classified|secret|airgap|air gap) /.test(n)) return 'enclave';
  if (/ (corporate|corp|lan|office|it) /.test(n)) return 'corporate';
  return 'other';
}

function parseRecords(text: string): { records: string[][]; errors: RowError[] } {
  const result = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy', delimiter: '' });
  const errors: RowError[] = [];
  for (const error of result.errors) {
    // Delimiter guessing on a one-column file is not a problem.
    if (error.code === 'UndetectableDelimiter') continue;
    errors.push({ row: typeof error.row === 'number' ? error.row + 1 : 0, message: error.message });
  }
  return { records: result.data, errors };
}

/** The header row of a CSV (for the mapping form), or an error. */
export function readHeaders(text: string): string[] {
  const first = Papa.parse<string[]>(text, { header: false, preview: 1, skipEmptyLines: 'greedy', delimiter: '' });
  return (first.data[0] ?? []).map((h) => h.trim());
}

/**
 * Plans an import of `text` into `map`. Never throws: every problem is a row error (row 0 for the
 * whole file). `mapping` defaults to the guess from the headers.
 */
export function planImport(text: string, map: EnvironmentMap, mappingIn?: ColumnMapping): ImportPlan {
  const plan: ImportPlan = {
    kind: null,
    headers: [],
    mapping: {},
    rows: 0,
    preview: [],
    errors: [],
    changes: [],
    counts: { systems: 0, integrations: 0, zones: 0 },
  };
  if (text.length > MAX_IMPORT_CHARS) {
    plan.errors.push({ row: 0, message: `The file is larger than ${MAX_IMPORT_CHARS / 1024 / 1024} MB; split it` });
    return plan;
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { records, errors } = parseRecords(body);
  const header = records[0];
  if (!header?.some((h) => h.trim())) {
    plan.errors.push({ row: 0, message: 'The file is empty: expected a header row naming the columns' });
    return plan;
  }
  plan.headers = header.map((h) => h.trim());
  const seenHeaders = new Set<string>();
  for (const h of plan.headers) {
    if (h && seenHeaders.has(h)) plan.errors.push({ row: 1, message: `Two columns are called "${h}"` });
    seenHeaders.add(h);
  }
  plan.mapping = mappingIn ? { ...Object.fromEntries(plan.headers.map((h) => [h, ''])), ...mappingIn } : guessMapping(plan.headers);
  for (const column of Object.keys(plan.mapping)) {
    if (!plan.headers.includes(column))
      plan.errors.push({ row: 0, message: `The mapping names a column "${column}" the file does not have` });
  }
  const fieldColumn = new Map<ImportField, number>();
  for (const [column, field] of Object.entries(plan.mapping)) {
    if (!field) continue;
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) {
      plan.errors.push({ row: 0, message: `Unknown field "${field}" for column "${column}"; fields are ${IMPORT_FIELDS.join(', ')}` });
      continue;
    }
    if (fieldColumn.has(field)) plan.errors.push({ row: 0, message: `Two columns are mapped to ${field}` });
    fieldColumn.set(field, plan.headers.indexOf(column));
  }
  if (fieldColumn.has('from') && fieldColumn.has('to')) plan.kind = 'integrations';
  else if (fieldColumn.has('name')) plan.kind = 'systems';
  else {
    plan.errors.push({
      row: 0,
      message:
        'Missing required columns: map a column to "name" (a list of systems), or columns to "from" and "to" (a list of integrations)',
    });
    return plan;
  }
  const data = records.slice(1);
  plan.rows = data.length;
  if (data.length > MAX_IMPORT_ROWS) {
    plan.errors.push({ row: 0, message: `The file has ${data.length} rows; Outpost imports at most ${MAX_IMPORT_ROWS} at a time` });
    return plan;
  }
  for (const error of errors) if (error.row !== 1) plan.errors.push(error);
  const allowed = new Set<ImportField>(plan.kind === 'systems' ? SYSTEM_IMPORT_FIELDS : INTEGRATION_IMPORT_FIELDS);
  for (const field of fieldColumn.keys()) {
    if (!allowed.has(field)) plan.errors.push({ row: 0, message: `"${field}" is not a field of ${plan.kind}; unmap that column` });
  }
  const rowValues = (record: string[]) => {
    const values: Partial<Record<ImportField, string>> = {};
    for (const [field, index] of fieldColumn) if (allowed.has(field)) values[field] = (record[index] ?? '').trim();
    return values;
  };
  for (const record of data.slice(0, 20)) plan.preview.push(rowValues(record) as Record<string, string>);
  if (plan.kind === 'systems') planSystems(plan, data, rowValues, map);
  else planIntegrations(plan, data, rowValues, map);
  plan.errors.sort((a, b) => a.row - b.row);
  if (plan.errors.length) plan.changes = [];
  return plan;
}

function fieldError(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown) {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error?.issues[0]?.message ?? 'invalid value');
}

function planSystems(
  plan: ImportPlan,
  data: string[][],
  rowValues: (r: string[]) => Partial<Record<ImportField, string>>,
  map: EnvironmentMap,
): void {
  const existing = new Map(map.systems.map((s) => [norm(s.name), s.name]));
  const seen = new Map<string, number>();
  const zoneByName = new Map(map.zones.map((z) => [norm(z.name), z.id]));
  const newZones: MapChange[] = [];
  const systems: MapChange[] = [];
  data.forEach((record, i) => {
    const row = i + 2;
    const v = rowValues(record);
    const problems: string[] = [];
    const name = v.name ?? '';
    const key = norm(name);
    if (!name) problems.push('the name is empty');
    else if (fieldError(systemFieldSchemas.name, name)) problems.push(fieldError(systemFieldSchemas.name, name) as string);
    else if (seen.has(key)) problems.push(`duplicate name "${name}" (also on row ${seen.get(key)})`);
    else if (existing.has(key)) problems.push(`a system named "${existing.get(key)}" is already on the map`);
    if (key && !seen.has(key)) seen.set(key, row);
    let kind: SystemKind = 'application';
    if (v.kind) {
      const found = KIND_ALIASES[norm(v.kind)];
      if (found) kind = found;
      else problems.push(`unknown kind "${v.kind}" (kinds: ${SYSTEM_KINDS.map((k) => SYSTEM_KIND_LABELS[k]).join(', ')})`);
    }
    let status: MapStatus = 'healthy';
    if (v.status) {
      const found = STATUS_ALIASES[norm(v.status)];
      if (found) status = found;
      else problems.push(`unknown status "${v.status}" (statuses: ${MAP_STATUSES.join(', ')})`);
    }
    for (const field of ['vendor', 'version', 'owner', 'notes'] as const) {
      const error = v[field] ? fieldError(systemFieldSchemas[field], v[field]) : null;
      if (error) problems.push(`${field}: ${error}`);
    }
    const tags = (v.tags ?? '')
      .split(/[,;|]/)
      .map((t) => t.trim())
      .filter(Boolean);
    const tagError = fieldError(systemFieldSchemas.tags, tags);
    if (tagError) problems.push(`tags: ${tagError}`);
    let zone = '';
    if (v.zone) {
      const zoneKey = norm(v.zone);
      const known = zoneByName.get(zoneKey);
      if (known) zone = known;
      else if (fieldError(systemFieldSchemas.name, v.zone)) problems.push('zone: the name is too long');
      else {
        zone = newId();
        zoneByName.set(zoneKey, zone);
        newZones.push({ op: 'addZone', zone: { id: zone, name: v.zone, kind: zoneKindFor(v.zone) } });
      }
    }
    if (problems.length) {
      plan.errors.push({ row, message: problems.join('; ') });
      return;
    }
    systems.push({
      op: 'addSystem',
      system: {
        name,
        kind,
        status,
        zone,
        tags,
        vendor: v.vendor ?? '',
        version: v.version ?? '',
        owner: v.owner ?? '',
        notes: v.notes ?? '',
      },
    });
  });
  plan.changes = [...newZones, ...systems];
  plan.counts = { systems: systems.length, integrations: 0, zones: newZones.length };
}

function planIntegrations(
  plan: ImportPlan,
  data: string[][],
  rowValues: (r: string[]) => Partial<Record<ImportField, string>>,
  map: EnvironmentMap,
): void {
  const byName = new Map<string, string[]>();
  for (const s of map.systems) byName.set(norm(s.name), [...(byName.get(norm(s.name)) ?? []), s.id]);
  const changes: MapChange[] = [];
  data.forEach((record, i) => {
    const row = i + 2;
    const v = rowValues(record);
    const problems: string[] = [];
    const resolve = (role: 'from' | 'to'): string => {
      const name = v[role] ?? '';
      if (!name) {
        problems.push(`"${role}" is empty`);
        return '';
      }
      const ids = byName.get(norm(name)) ?? [];
      if (ids.length === 1) return ids[0] as string;
      problems.push(
        ids.length ? `more than one system is called "${name}"` : `no system called "${name}" on the map (import the systems first)`,
      );
      return '';
    };
    const from = resolve('from');
    const to = resolve('to');
    let direction: Direction = 'one-way';
    if (v.direction) {
      const key = norm(v.direction);
      const found = (DIRECTIONS as readonly string[]).includes(v.direction.trim().toLowerCase())
        ? (v.direction.trim().toLowerCase() as Direction)
        : (DIRECTION_ALIASES[key] ?? (/<->|<>|↔/.test(v.direction) ? 'two-way' : /->|→|>/.test(v.direction) ? 'one-way' : undefined));
      if (found) direction = found;
      else problems.push(`unknown direction "${v.direction}" (one-way or two-way)`);
    }
    let status: MapStatus = 'healthy';
    if (v.status) {
      const found = STATUS_ALIASES[norm(v.status)];
      if (found) status = found;
      else problems.push(`unknown status "${v.status}" (statuses: ${MAP_STATUSES.join(', ')})`);
    }
    for (const field of ['label', 'protocol', 'format', 'frequency', 'auth', 'owner', 'issues'] as const) {
      const error = v[field] ? fieldError(integrationFieldSchemas[field], v[field]) : null;
      if (error) problems.push(`${field}: ${error}`);
    }
    if (problems.length) {
      plan.errors.push({ row, message: problems.join('; ') });
      return;
    }
    changes.push({
      op: 'addIntegration',
      integration: {
        from,
        to,
        direction,
        status,
        label: v.label ?? '',
        protocol: v.protocol ?? '',
        format: v.format ?? '',
        frequency: v.frequency ?? '',
        auth: v.auth ?? '',
        owner: v.owner ?? '',
        issues: v.issues ?? '',
      },
    });
  });
  plan.changes = changes;
  plan.counts = { systems: 0, integrations: changes.length, zones: 0 };
}
