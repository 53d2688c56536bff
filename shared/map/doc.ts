import * as Y from 'yjs';
import { MAP_KEYS } from '../engagements/doc';
import { OutpostError } from '../errors';
import { newId } from '../ids';
import { parseOrThrow } from '../validation';
import {
  type EnvironmentMap,
  INTEGRATION_DEFAULTS,
  type IntegrationPatch,
  integrationFieldSchemas,
  MAP_LIMITS,
  type MapChange,
  type MapIntegration,
  type MapSystem,
  type MapZone,
  mapChangesSchema,
  SYSTEM_DEFAULTS,
  type SystemPatch,
  systemFieldSchemas,
  ZONE_DEFAULTS,
  type ZonePatch,
  zoneFieldSchemas,
} from './model';

/**
 * The map's place in the engagement's Y.Doc: three top-level Y.Maps (`systems`,
 * `integrations`, `zones`), each from an id to a Y.Map of that object's fields. One field is one
 * map entry, so two people who change different fields of the same system offline both keep
 * their change when the replicas merge; the same field set on both sides keeps one value (Yjs
 * picks it the same way on every replica) and the bundle import lists the other for review.
 *
 * Concurrent delete vs edit (defined outcome): **the delete wins.** Removing a system deletes its
 * entry from `systems`; an edit made elsewhere at the same time went into the removed field map
 * and is dropped with it when the replicas merge. Removing a system also removes the
 * integrations that touch it; an integration added elsewhere, concurrently, to a system that was
 * removed is kept in the doc but not shown (`readMap` reports it as a problem), so it reappears
 * if the system is ever restored from history. Removing a zone clears it from its systems; a
 * system moved concurrently into a removed zone reads as having no zone.
 *
 * Tags are one field (a list, last writer wins); positions are `x` and `y`, set together.
 */
type Field = string | number | boolean | null | string[];
type FieldMap = Y.Map<Field>;

export function mapSystemsMap(doc: Y.Doc): Y.Map<FieldMap> {
  return doc.getMap<FieldMap>(MAP_KEYS.systems);
}
export function mapIntegrationsMap(doc: Y.Doc): Y.Map<FieldMap> {
  return doc.getMap<FieldMap>(MAP_KEYS.integrations);
}
export function mapZonesMap(doc: Y.Doc): Y.Map<FieldMap> {
  return doc.getMap<FieldMap>(MAP_KEYS.zones);
}

/** The three shared types, e.g. for a Y.UndoManager scoped to the map. */
export function mapTypes(doc: Y.Doc): Y.Map<FieldMap>[] {
  return [mapSystemsMap(doc), mapIntegrationsMap(doc), mapZonesMap(doc)];
}

function setFields(target: FieldMap, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const current = target.get(key);
    if (Array.isArray(value) ? JSON.stringify(current) === JSON.stringify(value) : current === value) continue;
    target.set(key, value as Field);
  }
}

function newFieldMap(id: string, values: Record<string, unknown>): FieldMap {
  const map = new Y.Map<Field>();
  map.set('id', id);
  for (const [key, value] of Object.entries(values)) if (value !== undefined) map.set(key, value as Field);
  return map;
}

export interface AppliedChanges {
  /** Ids of the objects created, in the order of the add changes. */
  created: string[];
}

/**
 * Validates every change first (nothing is written if one is invalid), then applies them in one
 * transaction: one Yjs update, one undo step. References are checked against the doc as it is
 * then, plus what earlier changes of the same batch created.
 */
export function applyMapChanges(doc: Y.Doc, changes: MapChange[], origin?: unknown): AppliedChanges {
  const parsed = parseOrThrow(mapChangesSchema, changes, 'map change');
  const systems = mapSystemsMap(doc);
  const integrations = mapIntegrationsMap(doc);
  const zones = mapZonesMap(doc);
  const created: string[] = [];
  // Check references before writing anything.
  const systemIds = new Set(systems.keys());
  const zoneIds = new Set(zones.keys());
  const integrationIds = new Set(integrations.keys());
  const problems: string[] = [];
  parsed.forEach((change, index) => {
    const at = parsed.length > 1 ? `change ${index + 1}: ` : '';
    const needSystem = (id: string, role = 'system') => {
      if (!systemIds.has(id)) problems.push(`${at}no ${role} with id ${id}`);
    };
    const needZone = (zone: string | undefined) => {
      if (zone && !zoneIds.has(zone)) problems.push(`${at}no zone with id ${zone}`);
    };
    switch (change.op) {
      case 'addSystem': {
        const id = change.system.id ?? `new-${index}`;
        if (systemIds.has(id)) problems.push(`${at}a system with id ${id} already exists`);
        systemIds.add(id);
        needZone(change.system.zone);
        break;
      }
      case 'updateSystem':
        needSystem(change.id);
        needZone(change.patch.zone);
        break;
      case 'removeSystem':
        needSystem(change.id);
        systemIds.delete(change.id);
        break;
      case 'addIntegration':
      case 'updateIntegration': {
        const fields = change.op === 'addIntegration' ? change.integration : change.patch;
        if (change.op === 'updateIntegration' && !integrationIds.has(change.id)) problems.push(`${at}no integration with id ${change.id}`);
        if (change.op === 'addIntegration' && change.integration.id) integrationIds.add(change.integration.id);
        if (fields.from) needSystem(fields.from, 'source system');
        if (fields.to) needSystem(fields.to, 'target system');
        break;
      }
      case 'removeIntegration':
        if (!integrationIds.has(change.id)) problems.push(`${at}no integration with id ${change.id}`);
        integrationIds.delete(change.id);
        break;
      case 'addZone':
        if (change.zone.id) zoneIds.add(change.zone.id);
        break;
      case 'updateZone':
      case 'removeZone':
        needZone(change.id);
        if (change.op === 'removeZone') zoneIds.delete(change.id);
        break;
      case 'moveSystems':
        for (const position of change.positions) needSystem(position.id);
        break;
    }
  });
  if (systemIds.size > MAP_LIMITS.systems) problems.push(`a map holds at most ${MAP_LIMITS.systems} systems`);
  if (problems.length) throw new OutpostError('invalid_request', `Invalid map change: ${problems.slice(0, 5).join('; ')}`, problems);
  doc.transact(() => {
    for (const change of parsed) {
      switch (change.op) {
        case 'addSystem': {
          const { id: given, ...fields } = change.system;
          const id = given ?? newId();
          systems.set(id, newFieldMap(id, { ...SYSTEM_DEFAULTS, ...fields }));
          created.push(id);
          break;
        }
        case 'updateSystem': {
          const target = systems.get(change.id);
          if (target) setFields(target, change.patch as SystemPatch);
          break;
        }
        case 'removeSystem': {
          systems.delete(change.id);
          for (const [id, integration] of integrations) {
            if (integration.get('from') === change.id || integration.get('to') === change.id) integrations.delete(id);
          }
          break;
        }
        case 'addIntegration': {
          const { id: given, ...fields } = change.integration;
          const id = given ?? newId();
          integrations.set(id, newFieldMap(id, { ...INTEGRATION_DEFAULTS, ...fields }));
          created.push(id);
          break;
        }
        case 'updateIntegration': {
          const target = integrations.get(change.id);
          if (target) setFields(target, change.patch as IntegrationPatch);
          break;
        }
        case 'removeIntegration':
          integrations.delete(change.id);
          break;
        case 'addZone': {
          const { id: given, ...fields } = change.zone;
          const id = given ?? newId();
          zones.set(id, newFieldMap(id, { ...ZONE_DEFAULTS, ...fields }));
          created.push(id);
          break;
        }
        case 'updateZone': {
          const target = zones.get(change.id);
          if (target) setFields(target, change.patch as ZonePatch);
          break;
        }
        case 'removeZone': {
          zones.delete(change.id);
          for (const system of systems.values()) if (system.get('zone') === change.id) system.set('zone', '');
          break;
        }
        case 'moveSystems':
          for (const { id, x, y } of change.positions) {
            const target = systems.get(id);
            if (target) setFields(target, { x, y });
          }
          break;
      }
    }
  }, origin);
  return { created };
}

export interface MapReading {
  map: EnvironmentMap;
  /** Values that were invalid (e.g. after a merge) and were replaced by defaults, and hidden objects. */
  problems: string[];
}

function readFields<T extends object>(
  fieldMap: FieldMap,
  schemas: Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }>,
  defaults: T,
  label: string,
  problems: string[],
): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, schema] of Object.entries(schemas)) {
    const raw = fieldMap.get(key);
    if (raw === undefined) continue;
    const result = schema.safeParse(raw);
    if (result.success) out[key] = result.data;
    else problems.push(`${label}: invalid ${key}`);
  }
  return out as T;
}

const { from: _from, to: _to, ...integrationValueSchemas } = integrationFieldSchemas;

/**
 * One collator for every sort: `localeCompare` with a locale and options builds one per call, which
 * made sorting a 1,000-system map most of reading it. Same order (Intl.Collator is what
 * localeCompare uses).
 */
const nameOrder = new Intl.Collator('en', { sensitivity: 'base' });
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  nameOrder.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Reads the map out of an engagement doc, defensively: each field is validated on its own and an
 * invalid one falls back to its default; integrations whose ends are gone are left out (and
 * reported). Systems and zones come sorted by name, integrations by source, target and id, so
 * exports are stable.
 */
export function readMap(doc: Y.Doc): MapReading {
  const problems: string[] = [];
  const zones: MapZone[] = [];
  for (const [id, fields] of mapZonesMap(doc)) {
    if (!(fields instanceof Y.Map)) continue;
    const zone = readFields<Omit<MapZone, 'id'>>(
      fields,
      zoneFieldSchemas,
      { name: 'Unnamed zone', ...ZONE_DEFAULTS },
      `zone ${id}`,
      problems,
    );
    zones.push({ id, ...zone });
  }
  const zoneIds = new Set(zones.map((z) => z.id));
  const systems: MapSystem[] = [];
  for (const [id, fields] of mapSystemsMap(doc)) {
    if (!(fields instanceof Y.Map)) continue;
    const system = readFields<Omit<MapSystem, 'id'>>(
      fields,
      systemFieldSchemas,
      { name: 'Unnamed system', ...SYSTEM_DEFAULTS },
      `system ${id}`,
      problems,
    );
    if (system.zone && !zoneIds.has(system.zone)) system.zone = '';
    systems.push({ id, ...system });
  }
  const systemIds = new Set(systems.map((s) => s.id));
  const integrations: MapIntegration[] = [];
  for (const [id, fields] of mapIntegrationsMap(doc)) {
    if (!(fields instanceof Y.Map)) continue;
    const from = fields.get('from');
    const to = fields.get('to');
    if (typeof from !== 'string' || typeof to !== 'string' || !systemIds.has(from) || !systemIds.has(to)) {
      problems.push(`integration ${id}: one of its systems was removed; hidden`);
      continue;
    }
    const integration = readFields<Omit<MapIntegration, 'id' | 'from' | 'to'>>(
      fields,
      integrationValueSchemas,
      INTEGRATION_DEFAULTS,
      `integration ${id}`,
      problems,
    );
    integrations.push({ id, from, to, ...integration });
  }
  systems.sort(byName);
  zones.sort(byName);
  const order = new Map(systems.map((s, i) => [s.id, i]));
  integrations.sort(
    (a, b) =>
      (order.get(a.from) as number) - (order.get(b.from) as number) ||
      (order.get(a.to) as number) - (order.get(b.to) as number) ||
      (a.id < b.id ? -1 : 1),
  );
  return { map: { systems, integrations, zones }, problems };
}
