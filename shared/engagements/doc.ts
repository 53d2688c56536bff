import * as Y from 'yjs';
import { OutpostError } from '../errors';
import { newId } from '../ids';
import { diffText } from '../text-diff';
import { parseOrThrow } from '../validation';
import {
  type Engagement,
  type EngagementCreate,
  type EngagementFields,
  type EngagementPatch,
  engagementCreateSchema,
  engagementFieldSchemas,
  engagementPatchSchema,
  type TeamMember,
} from './model';

/**
 * The engagement's Y.Doc. Scalar fields are entries of one Y.Map so that two people who edit
 * different fields offline both keep their edit; the summary is a Y.Text so concurrent typing
 * merges character by character; team members are Y.Maps in a Y.Array for the same reason.
 * Later features (map, stakeholders, lessons) add their own top-level types to this doc.
 */
export const ENGAGEMENT_KEYS = { fields: 'engagement', summary: 'summary', team: 'team' } as const;

/**
 * The environment map (shared/map/doc.ts): systems, integrations and zones, each a Y.Map from id
 * to a Y.Map of fields, so concurrent edits of different fields of one system both survive.
 */
export const MAP_KEYS = { systems: 'systems', integrations: 'integrations', zones: 'zones' } as const;

type Scalar = string | boolean | null;

export function engagementFieldsMap(doc: Y.Doc): Y.Map<Scalar> {
  return doc.getMap<Scalar>(ENGAGEMENT_KEYS.fields);
}

export function engagementSummaryText(doc: Y.Doc): Y.Text {
  return doc.getText(ENGAGEMENT_KEYS.summary);
}

export function engagementTeamArray(doc: Y.Doc): Y.Array<Y.Map<string>> {
  return doc.getArray<Y.Map<string>>(ENGAGEMENT_KEYS.team);
}

const DEFAULTS: Omit<EngagementFields, 'client' | 'codename' | 'ceiling' | 'team' | 'summary'> = {
  site: '',
  startDate: null,
  endDate: null,
  status: 'planned',
  archived: false,
};

/** Writes a new engagement into an empty doc. `input` is validated; `ceiling` must already be resolved. */
export function initEngagementDoc(doc: Y.Doc, id: string, input: EngagementCreate & { ceiling: string }, createdAt: string): void {
  const parsed = parseOrThrow(engagementCreateSchema, input, 'engagement');
  doc.transact(() => {
    const fields = engagementFieldsMap(doc);
    fields.set('id', id);
    fields.set('createdAt', createdAt);
    fields.set('client', parsed.client);
    fields.set('codename', parsed.codename);
    fields.set('site', parsed.site ?? DEFAULTS.site);
    fields.set('ceiling', input.ceiling);
    fields.set('startDate', parsed.startDate ?? DEFAULTS.startDate);
    fields.set('endDate', parsed.endDate ?? DEFAULTS.endDate);
    fields.set('status', parsed.status ?? DEFAULTS.status);
    fields.set('archived', DEFAULTS.archived);
    if (parsed.summary) engagementSummaryText(doc).insert(0, parsed.summary);
    if (parsed.team) writeTeam(doc, parsed.team);
  });
}

/**
 * Applies a validated patch in one transaction, touching only the fields that change, so
 * the update carries no more than the edit. Throws an `invalid_request` OutpostError on invalid input, before
 * anything is written.
 */
export function applyEngagementPatch(doc: Y.Doc, patch: EngagementPatch, origin?: unknown): void {
  const parsed = parseOrThrow(engagementPatchSchema, patch, 'engagement change');
  const current = readEngagement(doc).engagement;
  const startDate = 'startDate' in parsed ? parsed.startDate : current.startDate;
  const endDate = 'endDate' in parsed ? parsed.endDate : current.endDate;
  if (startDate && endDate && startDate > endDate) {
    throw new OutpostError('invalid_request', `Invalid engagement change: the end date ${endDate} is before the start date ${startDate}`, [
      'endDate: The end date is before the start date',
    ]);
  }
  doc.transact(() => {
    const fields = engagementFieldsMap(doc);
    for (const key of ['client', 'site', 'codename', 'ceiling', 'startDate', 'endDate', 'status', 'archived'] as const) {
      if (!(key in parsed)) continue;
      const value = parsed[key] as Scalar;
      if (fields.get(key) !== value) fields.set(key, value);
    }
    if (parsed.summary !== undefined) {
      const text = engagementSummaryText(doc);
      const change = diffText(text.toString(), parsed.summary);
      if (change) {
        if (change.deleteCount) text.delete(change.index, change.deleteCount);
        if (change.insert) text.insert(change.index, change.insert);
      }
    }
    if (parsed.team !== undefined) writeTeam(doc, parsed.team);
  }, origin);
}

/** Reconciles the team array with `desired`: members are matched by id, so an edit keeps identity. */
function writeTeam(doc: Y.Doc, desired: ReadonlyArray<{ id?: string | undefined; name: string; role: string }>): void {
  const team = engagementTeamArray(doc);
  const wanted = new Map(desired.filter((m) => m.id).map((m) => [m.id as string, m]));
  for (let i = team.length - 1; i >= 0; i--) {
    const id = team.get(i).get('id');
    if (!id || !wanted.has(id)) team.delete(i, 1);
  }
  const existing = new Map(team.toArray().map((member) => [member.get('id') as string, member]));
  for (const member of desired) {
    const present = member.id ? existing.get(member.id) : undefined;
    if (present) {
      if (present.get('name') !== member.name) present.set('name', member.name);
      if (present.get('role') !== member.role) present.set('role', member.role);
      continue;
    }
    const entry = new Y.Map<string>();
    entry.set('id', member.id ?? newId());
    entry.set('name', member.name);
    entry.set('role', member.role);
    team.push([entry]);
  }
}

export interface EngagementReading {
  engagement: Engagement;
  /** Fields whose stored value was invalid and was replaced by a safe default (e.g. after a merge). */
  problems: string[];
}

/**
 * Reads an engagement out of its doc. The doc may come from another device or an older
 * version, so every field is validated on its own and an invalid one falls back to a
 * default instead of failing the whole read.
 */
export function readEngagement(doc: Y.Doc): EngagementReading {
  const fields = engagementFieldsMap(doc);
  const problems: string[] = [];
  const pick = <T>(key: keyof typeof engagementFieldSchemas, fallback: T): T => {
    const raw = fields.get(key);
    if (raw === undefined) return fallback;
    const result = engagementFieldSchemas[key].safeParse(raw);
    if (result.success) return result.data as T;
    problems.push(`${key}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
    return fallback;
  };
  const team: TeamMember[] = [];
  for (const member of engagementTeamArray(doc)) {
    const id = member.get('id');
    const name = member.get('name');
    if (typeof id !== 'string' || typeof name !== 'string' || !name.trim()) {
      problems.push('team: a member without a name was skipped');
      continue;
    }
    const role = member.get('role');
    team.push({ id, name, role: typeof role === 'string' ? role : '' });
  }
  const id = fields.get('id');
  const createdAt = fields.get('createdAt');
  return {
    engagement: {
      id: typeof id === 'string' ? id : '',
      createdAt: typeof createdAt === 'string' ? createdAt : '',
      client: pick('client', ''),
      site: pick('site', DEFAULTS.site),
      codename: pick('codename', ''),
      ceiling: pick('ceiling', ''),
      startDate: pick('startDate', DEFAULTS.startDate),
      endDate: pick('endDate', DEFAULTS.endDate),
      status: pick('status', DEFAULTS.status),
      summary: engagementSummaryText(doc).toString(),
      archived: pick('archived', DEFAULTS.archived),
      team,
    },
    problems,
  };
}
