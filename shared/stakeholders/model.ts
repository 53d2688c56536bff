import { z } from 'zod';
import { uuidSchema } from '../ids';
import { withThousands } from '../validation';

/** The audience kinds a rendering (or a brief) can address when it is not for one person. */
export const STAKEHOLDER_KINDS = ['executive', 'operations', 'it_security', 'data_owner', 'end_user', 'vendor'] as const;
export type StakeholderKind = (typeof STAKEHOLDER_KINDS)[number];

export const KIND_LABELS: Record<StakeholderKind, string> = {
  executive: 'Executive',
  operations: 'Operations',
  it_security: 'IT / security',
  data_owner: 'Data owner',
  end_user: 'End user',
  vendor: 'Vendor',
};

/** Plural labels, for an audience kind ("Executives"). */
export const KIND_AUDIENCE_LABELS: Record<StakeholderKind, string> = {
  executive: 'Executives',
  operations: 'Operations',
  it_security: 'IT and security',
  data_owner: 'Data owners',
  end_user: 'End users',
  vendor: 'Vendors',
};

export const REGISTERS = ['formal', 'plain', 'technical'] as const;
export const REGISTER_LABELS: Record<(typeof REGISTERS)[number], string> = {
  formal: 'Formal',
  plain: 'Plain, conversational',
  technical: 'Technical',
};
export const LEVELS = ['low', 'medium', 'high'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CONFIDENCES = ['suspected', 'likely', 'confirmed'] as const;
export const RENDERING_STATUSES = ['draft', 'reviewed', 'delivered'] as const;
export type RenderingStatus = (typeof RENDERING_STATUSES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
export const STATUS_LABELS: Record<RenderingStatus, string> = { draft: 'Draft', reviewed: 'Reviewed', delivered: 'Delivered' };

/** Generous for people, small enough that one field cannot bloat a notebook (or a one-page brief). */
export const STAKEHOLDER_LIMITS = {
  name: 120,
  role: 120,
  organisation: 200,
  caresAbout: 2_000,
  channel: 120,
  notes: 10_000,
  listItem: 200,
  listLength: 100,
  title: 200,
  finding: 20_000,
  explanation: 10_000,
  impact: 5_000,
  ask: 5_000,
  deliveredVia: 200,
  term: 120,
  meaning: 2_000,
  aliases: 20,
  stakeholders: 500,
  cards: 2_000,
  glossary: 2_000,
  jargon: 1_000,
} as const;
const L = STAKEHOLDER_LIMITS;

const text = (max: number, what: string) => z.string().max(max, `${what} is at most ${withThousands(max)} characters`);
const line = (max: number, what: string) => z.string().trim().max(max, `${what} is at most ${max} characters`);
const list = (what: string) =>
  z
    .array(z.string().trim().min(1).max(L.listItem, `${what}: an item is at most ${L.listItem} characters`))
    .max(L.listLength, `${what}: at most ${L.listLength} items`);

/** A calendar date (YYYY-MM-DD) or a timestamp (ISO 8601). */
const whenSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'Use a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(new Date(value.length === 10 ? `${value}T00:00:00Z` : value).getTime()), 'Not a date');

export const stakeholderNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the stakeholder a name')
  .max(L.name, `A name is at most ${L.name} characters`);

/** Every field of a stakeholder a person edits, each validated on its own. */
export const stakeholderFieldSchemas = {
  name: stakeholderNameSchema,
  role: line(L.role, 'A role'),
  organisation: line(L.organisation, 'An organisation'),
  kind: z.enum(STAKEHOLDER_KINDS, { error: `Kind is one of ${STAKEHOLDER_KINDS.join(', ')}` }),
  caresAbout: text(L.caresAbout, 'What they care about'),
  fluency: z.number().int().min(1, 'Technical fluency is 1 to 5').max(5, 'Technical fluency is 1 to 5'),
  register: z.enum(REGISTERS, { error: `Register is one of ${REGISTERS.join(', ')}` }),
  channel: line(L.channel, 'A channel'),
  influence: z.enum(LEVELS, { error: 'Influence is low, medium or high' }),
  interest: z.enum(LEVELS, { error: 'Interest is low, medium or high' }),
  notes: text(L.notes, 'Notes'),
  /** Systems they own: names or map ids, free text for now. */
  systems: list('Systems'),
  /** Meeting notes they attended (note ids). */
  meetings: z.array(uuidSchema).max(L.listLength * 5),
};
export type StakeholderFieldName = keyof typeof stakeholderFieldSchemas;

export interface Stakeholder {
  id: string;
  createdAt: string;
  name: string;
  role: string;
  organisation: string;
  kind: StakeholderKind;
  caresAbout: string;
  fluency: number;
  register: (typeof REGISTERS)[number];
  channel: string;
  influence: (typeof LEVELS)[number];
  interest: (typeof LEVELS)[number];
  notes: string;
  systems: string[];
  meetings: string[];
}

export const STAKEHOLDER_DEFAULTS: Omit<Stakeholder, 'id' | 'createdAt' | 'name'> = {
  role: '',
  organisation: '',
  kind: 'operations',
  caresAbout: '',
  fluency: 2,
  register: 'plain',
  channel: '',
  influence: 'medium',
  interest: 'medium',
  notes: '',
  systems: [],
  meetings: [],
};

export const stakeholderCreateSchema = z.strictObject(stakeholderFieldSchemas).partial().required({ name: true });
export type StakeholderCreate = z.input<typeof stakeholderCreateSchema>;
export const stakeholderPatchSchema = z
  .strictObject(stakeholderFieldSchemas)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
export type StakeholderPatch = z.input<typeof stakeholderPatchSchema>;

/** Who a rendering (or brief) is for: one stakeholder, or every stakeholder of a kind. */
export type Audience = { type: 'stakeholder'; id: string } | { type: 'kind'; kind: StakeholderKind };
export const audienceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('stakeholder'), id: uuidSchema }),
  z.strictObject({ type: z.literal('kind'), kind: z.enum(STAKEHOLDER_KINDS) }),
]);

/** The key of a rendering in its card: `stakeholder:<id>` or `kind:<kind>`. */
export function audienceKey(audience: Audience): string {
  return audience.type === 'stakeholder' ? `stakeholder:${audience.id}` : `kind:${audience.kind}`;
}

export function parseAudienceKey(key: string): Audience | null {
  const [type, value] = key.split(':', 2);
  if (type === 'stakeholder' && uuidSchema.safeParse(value).success) return { type, id: value as string };
  if (type === 'kind' && (STAKEHOLDER_KINDS as readonly string[]).includes(value ?? '')) return { type, kind: value as StakeholderKind };
  return null;
}

export const cardFieldSchemas = {
  title: z.string().trim().min(1, 'Give the card a title').max(L.title, `A title is at most ${L.title} characters`),
  /** The precise technical statement. */
  finding: text(L.finding, 'The finding'),
  /** Evidence: note ids (field logs, incidents). */
  evidence: z.array(uuidSchema).max(L.listLength, `At most ${L.listLength} evidence links`),
  systems: list('Affected systems'),
  severity: z.enum(SEVERITIES, { error: `Severity is one of ${SEVERITIES.join(', ')}` }),
  confidence: z.enum(CONFIDENCES, { error: `Confidence is one of ${CONFIDENCES.join(', ')}` }),
};
export type CardFieldName = keyof typeof cardFieldSchemas;

export const cardCreateSchema = z.strictObject(cardFieldSchemas).partial().required({ title: true });
export type CardCreate = z.input<typeof cardCreateSchema>;
export const cardPatchSchema = z
  .strictObject(cardFieldSchemas)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
export type CardPatch = z.input<typeof cardPatchSchema>;

export const renderingFieldSchemas = {
  explanation: text(L.explanation, 'The explanation'),
  impact: text(L.impact, 'The business impact'),
  ask: text(L.ask, 'What is needed'),
  status: z.enum(RENDERING_STATUSES, { error: 'Status is draft, reviewed or delivered' }),
  deliveredAt: whenSchema.nullable(),
  deliveredVia: line(L.deliveredVia, 'How it was delivered'),
};
export const renderingPatchSchema = z
  .strictObject(renderingFieldSchemas)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
export type RenderingPatch = z.input<typeof renderingPatchSchema>;

export interface Rendering {
  /** `stakeholder:<id>` or `kind:<kind>`. */
  key: string;
  audience: Audience | null;
  /** The audience's display name when the rendering was last written: kept if the stakeholder is deleted. */
  audienceLabel: string;
  /** The stakeholder it addresses was deleted: `audienceLabel` is the name they had. */
  audienceGone: boolean;
  explanation: string;
  impact: string;
  ask: string;
  status: RenderingStatus;
  deliveredAt: string | null;
  deliveredVia: string;
  updatedAt: string;
}

export interface Card {
  id: string;
  createdAt: string;
  title: string;
  finding: string;
  evidence: string[];
  systems: string[];
  severity: Severity;
  confidence: (typeof CONFIDENCES)[number];
  renderings: Rendering[];
}

export const CARD_DEFAULTS = { finding: '', evidence: [], systems: [], severity: 'medium', confidence: 'likely' } as const;

export const GLOSSARY_KINDS = ['client', 'technical'] as const;
export type GlossaryKind = (typeof GLOSSARY_KINDS)[number];

export const glossaryFieldSchemas = {
  /** The word as people say it ("the green screen", "wave", "ODBC"). */
  term: z.string().trim().min(1, 'Give the term').max(L.term, `A term is at most ${L.term} characters`),
  /** What it means: the technical meaning of a client term, the plain meaning of a technical one. */
  meaning: text(L.meaning, 'A meaning'),
  /** `client`: the client's own word; `technical`: jargon a business reader may not know. */
  kind: z.enum(GLOSSARY_KINDS),
  aliases: z.array(z.string().trim().min(1).max(L.term)).max(L.aliases, `At most ${L.aliases} other spellings`),
};
export const glossaryCreateSchema = z.strictObject(glossaryFieldSchemas).partial().required({ term: true });
export type GlossaryCreate = z.input<typeof glossaryCreateSchema>;
export const glossaryPatchSchema = z
  .strictObject(glossaryFieldSchemas)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
export type GlossaryPatch = z.input<typeof glossaryPatchSchema>;

export interface GlossaryEntry {
  id: string;
  term: string;
  meaning: string;
  kind: GlossaryKind;
  aliases: string[];
}

/** The notebook-wide jargon list: words that need explaining to a business reader. */
export const jargonListSchema = z
  .array(z.string().trim().min(1).max(L.term, `A jargon term is at most ${L.term} characters`))
  .max(L.jargon, `At most ${L.jargon} jargon terms`);

export const DEFAULT_JARGON = [
  'API',
  'p99',
  'p95',
  'latency',
  'throughput',
  'throttle',
  'throttling',
  'rate limit',
  'endpoint',
  'payload',
  'schema',
  'ETL',
  'pipeline',
  'inference',
  'model drift',
  'deployment',
  'timeout',
  'retry',
  'queue',
  'ODBC',
  'JDBC',
  'SSO',
  'VPN',
  'firewall',
  'SLA',
  'microservice',
  'container',
  'Kubernetes',
  'regression',
  'false positive',
  'idempotent',
  'race condition',
  'cache',
];

// ---- Values as they travel over the contract ----------------------------------------------

export const stakeholderSchema = z.strictObject({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  role: z.string(),
  organisation: z.string(),
  kind: z.enum(STAKEHOLDER_KINDS),
  caresAbout: z.string(),
  fluency: z.number().int(),
  register: z.enum(REGISTERS),
  channel: z.string(),
  influence: z.enum(LEVELS),
  interest: z.enum(LEVELS),
  notes: z.string(),
  systems: z.array(z.string()),
  meetings: z.array(z.string()),
});

export const renderingSchema = z.strictObject({
  key: z.string(),
  audience: audienceSchema.nullable(),
  audienceLabel: z.string(),
  audienceGone: z.boolean(),
  explanation: z.string(),
  impact: z.string(),
  ask: z.string(),
  status: z.enum(RENDERING_STATUSES),
  deliveredAt: z.string().nullable(),
  deliveredVia: z.string(),
  updatedAt: z.string(),
});

export const cardSchema = z.strictObject({
  id: z.string(),
  createdAt: z.string(),
  title: z.string(),
  finding: z.string(),
  evidence: z.array(z.string()),
  systems: z.array(z.string()),
  severity: z.enum(SEVERITIES),
  confidence: z.enum(CONFIDENCES),
  renderings: z.array(renderingSchema),
});

export const BRIEF_FORMATS = ['html', 'md', 'pdf'] as const;
export type BriefFormat = (typeof BRIEF_FORMATS)[number];
