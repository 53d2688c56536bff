import { z } from 'zod';
import { uuidSchema } from '../ids';

/**
 * The environment map: the client's systems (nodes), the integrations between them (edges) and
 * the network zones that group systems. Every field is validated on its own, so a value that
 * arrives invalid from another device spoils one field, never the whole map.
 */

export const SYSTEM_KINDS = [
  'application',
  'database',
  'api',
  'queue',
  'file_drop',
  'model_service',
  'pipeline',
  'device',
  'user_group',
  'external',
] as const;
export type SystemKind = (typeof SYSTEM_KINDS)[number];

export const SYSTEM_KIND_LABELS: Record<SystemKind, string> = {
  application: 'Application',
  database: 'Database',
  api: 'API',
  queue: 'Message queue',
  file_drop: 'File drop',
  model_service: 'Model service',
  pipeline: 'Data pipeline',
  device: 'Device / PLC',
  user_group: 'User group',
  external: 'External party',
};

export const MAP_STATUSES = ['healthy', 'degraded', 'broken', 'planned', 'retired'] as const;
export type MapStatus = (typeof MAP_STATUSES)[number];

export const MAP_STATUS_LABELS: Record<MapStatus, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  broken: 'Broken',
  planned: 'Planned',
  retired: 'Retired',
};

export const ZONE_KINDS = ['corporate', 'dmz', 'ot', 'enclave', 'cloud', 'other'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];
export const ZONE_KIND_LABELS: Record<ZoneKind, string> = {
  corporate: 'Corporate LAN',
  dmz: 'DMZ',
  ot: 'OT network',
  enclave: 'Enclave',
  cloud: 'Cloud',
  other: 'Other',
};

export const DIRECTIONS = ['one-way', 'two-way'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Suggestions offered in the editor; protocol and format stay free text (sites have odd ones). */
export const PROTOCOL_SUGGESTIONS = [
  'REST',
  'SOAP',
  'GraphQL',
  'gRPC',
  'ODBC/JDBC',
  'SFTP/file',
  'SMB share',
  'MQ/AMQP',
  'Kafka',
  'MQTT',
  'EDI',
  'OPC-UA',
  'Modbus',
  'email',
  'manual',
] as const;
export const FORMAT_SUGGESTIONS = [
  'JSON',
  'XML',
  'CSV',
  'fixed-width',
  'EDI X12',
  'EDIFACT',
  'Parquet',
  'Avro',
  'IDoc',
  'binary',
  'PDF',
] as const;

export const MAP_LIMITS = {
  name: 200,
  text: 200,
  notes: 20_000,
  tags: 50,
  tag: 60,
  systems: 20_000,
  integrations: 60_000,
  zones: 500,
  /** Changes in one request or one import. */
  changes: 100_000,
} as const;

const text = (max: number = MAP_LIMITS.text) => z.string().trim().max(max, `At most ${max} characters`);
const coordinate = z.number().finite().min(-1e7).max(1e7);

export const systemFieldSchemas = {
  name: z.string().trim().min(1, 'Give the system a name').max(MAP_LIMITS.name, `A system name is at most ${MAP_LIMITS.name} characters`),
  kind: z.enum(SYSTEM_KINDS),
  vendor: text(),
  version: text(),
  owner: text(),
  /** A zone id, or '' for none. */
  zone: z.union([z.literal(''), uuidSchema]),
  status: z.enum(MAP_STATUSES),
  tags: z.array(z.string().trim().min(1).max(MAP_LIMITS.tag)).max(MAP_LIMITS.tags),
  notes: text(MAP_LIMITS.notes),
  x: coordinate.nullable(),
  y: coordinate.nullable(),
} as const;

export const integrationFieldSchemas = {
  from: uuidSchema,
  to: uuidSchema,
  label: text(),
  direction: z.enum(DIRECTIONS),
  protocol: text(),
  format: text(),
  frequency: text(),
  auth: text(),
  owner: text(),
  status: z.enum(MAP_STATUSES),
  issues: text(MAP_LIMITS.notes),
} as const;

export const zoneFieldSchemas = {
  name: z.string().trim().min(1, 'Give the zone a name').max(MAP_LIMITS.name),
  kind: z.enum(ZONE_KINDS),
} as const;

export const systemPatchSchema = z.strictObject(systemFieldSchemas).partial();
export const integrationPatchSchema = z.strictObject(integrationFieldSchemas).partial();
export const zonePatchSchema = z.strictObject(zoneFieldSchemas).partial();
export type SystemPatch = z.infer<typeof systemPatchSchema>;
export type IntegrationPatch = z.infer<typeof integrationPatchSchema>;
export type ZonePatch = z.infer<typeof zonePatchSchema>;

export const systemCreateSchema = systemPatchSchema.extend({ id: uuidSchema.optional(), name: systemFieldSchemas.name });
export const integrationCreateSchema = integrationPatchSchema.extend({
  id: uuidSchema.optional(),
  from: uuidSchema,
  to: uuidSchema,
});
export const zoneCreateSchema = zonePatchSchema.extend({ id: uuidSchema.optional(), name: zoneFieldSchemas.name });
export type SystemCreate = z.input<typeof systemCreateSchema>;
export type IntegrationCreate = z.input<typeof integrationCreateSchema>;
export type ZoneCreate = z.input<typeof zoneCreateSchema>;

/** One change to the map. Several are applied in one Yjs transaction (one undo step, one update). */
export const mapChangeSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('addSystem'), system: systemCreateSchema }),
  z.strictObject({ op: z.literal('updateSystem'), id: uuidSchema, patch: systemPatchSchema }),
  z.strictObject({ op: z.literal('removeSystem'), id: uuidSchema }),
  z.strictObject({ op: z.literal('addIntegration'), integration: integrationCreateSchema }),
  z.strictObject({ op: z.literal('updateIntegration'), id: uuidSchema, patch: integrationPatchSchema }),
  z.strictObject({ op: z.literal('removeIntegration'), id: uuidSchema }),
  z.strictObject({ op: z.literal('addZone'), zone: zoneCreateSchema }),
  z.strictObject({ op: z.literal('updateZone'), id: uuidSchema, patch: zonePatchSchema }),
  z.strictObject({ op: z.literal('removeZone'), id: uuidSchema }),
  z.strictObject({
    op: z.literal('moveSystems'),
    positions: z.array(z.strictObject({ id: uuidSchema, x: coordinate, y: coordinate })).max(MAP_LIMITS.systems),
  }),
]);
export type MapChange = z.input<typeof mapChangeSchema>;
export const mapChangesSchema = z.array(mapChangeSchema).max(MAP_LIMITS.changes);

export interface MapSystem {
  id: string;
  name: string;
  kind: SystemKind;
  vendor: string;
  version: string;
  owner: string;
  zone: string;
  status: MapStatus;
  tags: string[];
  notes: string;
  x: number | null;
  y: number | null;
}

export interface MapIntegration {
  id: string;
  from: string;
  to: string;
  label: string;
  direction: Direction;
  protocol: string;
  format: string;
  frequency: string;
  auth: string;
  owner: string;
  status: MapStatus;
  issues: string;
}

export interface MapZone {
  id: string;
  name: string;
  kind: ZoneKind;
}

export interface EnvironmentMap {
  systems: MapSystem[];
  integrations: MapIntegration[];
  zones: MapZone[];
}

export const SYSTEM_DEFAULTS: Omit<MapSystem, 'id' | 'name'> = {
  kind: 'application',
  vendor: '',
  version: '',
  owner: '',
  zone: '',
  status: 'healthy',
  tags: [],
  notes: '',
  x: null,
  y: null,
};

export const INTEGRATION_DEFAULTS: Omit<MapIntegration, 'id' | 'from' | 'to'> = {
  label: '',
  direction: 'one-way',
  protocol: '',
  format: '',
  frequency: '',
  auth: '',
  owner: '',
  status: 'healthy',
  issues: '',
};

export const ZONE_DEFAULTS: Omit<MapZone, 'id' | 'name'> = { kind: 'other' };

/** The JSON export: versioned so a later reader knows what it holds. */
export const mapJsonSchema = z.strictObject({
  format: z.literal('outpost-map'),
  version: z.literal(1),
  systems: z.array(z.strictObject({ id: uuidSchema, ...systemFieldSchemas })),
  integrations: z.array(z.strictObject({ id: uuidSchema, ...integrationFieldSchemas })),
  zones: z.array(z.strictObject({ id: uuidSchema, ...zoneFieldSchemas })),
});

/** Status colours, shared by the editor and the SVG export (readable on white and on dark grey). */
export const MAP_STATUS_COLORS: Record<MapStatus, string> = {
  healthy: '#2e7d32',
  degraded: '#b26a00',
  broken: '#c62828',
  planned: '#1565c0',
  retired: '#6b6b6b',
};

/** The size of a system's box, used by layout, SVG export and the editor alike. */
export const NODE_SIZE = { width: 180, height: 64 } as const;
