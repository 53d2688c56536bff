import { z } from 'zod';
import { levelNameSchema } from '../classification';
import { uuidSchema } from '../ids';

export const ENGAGEMENT_STATUSES = ['planned', 'active', 'stabilizing', 'closed'] as const;
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number];

export const STATUS_LABELS: Record<EngagementStatus, string> = {
  planned: 'Planned',
  active: 'Active',
  stabilizing: 'Stabilizing',
  closed: 'Closed',
};

/** Limits are generous for people and small enough that one request cannot bloat a notebook. */
export const LIMITS = {
  client: 200,
  site: 200,
  codename: 64,
  summary: 20_000,
  memberName: 120,
  memberRole: 120,
  teamSize: 100,
} as const;

const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'Not a calendar date');

export const codenameSchema = z
  .string()
  .trim()
  .min(1, { error: 'Give the engagement a codename', abort: true })
  .max(LIMITS.codename, `A codename is at most ${LIMITS.codename} characters`)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'A codename starts with a letter or digit and uses letters, digits, spaces, ".", "_" or "-"')
  .refine((value) => !uuidSchema.safeParse(value).success, 'A codename cannot look like an id');

export const teamMemberSchema = z.strictObject({
  id: uuidSchema.optional(),
  name: z.string().trim().min(1, 'A team member needs a name').max(LIMITS.memberName),
  role: z.string().trim().max(LIMITS.memberRole).default(''),
});
export type TeamMemberInput = z.input<typeof teamMemberSchema>;
export interface TeamMember {
  id: string;
  name: string;
  role: string;
}

/** Every field a person edits on an engagement, each validated on its own. */
export const engagementFieldSchemas = {
  client: z.string().trim().min(1, 'Name the client').max(LIMITS.client, `A client name is at most ${LIMITS.client} characters`),
  site: z.string().trim().max(LIMITS.site, `A site is at most ${LIMITS.site} characters`),
  codename: codenameSchema,
  ceiling: levelNameSchema,
  startDate: isoDateSchema.nullable(),
  endDate: isoDateSchema.nullable(),
  status: z.enum(ENGAGEMENT_STATUSES, { error: `Status is one of ${ENGAGEMENT_STATUSES.join(', ')}` }),
  summary: z.string().max(LIMITS.summary, `A summary is at most ${LIMITS.summary} characters`),
  archived: z.boolean(),
  team: z.array(teamMemberSchema).max(LIMITS.teamSize, `At most ${LIMITS.teamSize} team members`),
};

const datesInOrder = (value: { startDate?: string | null; endDate?: string | null }) =>
  !value.startDate || !value.endDate || value.startDate <= value.endDate;
const datesMessage = { message: 'The end date is before the start date', path: ['endDate'] };

export const engagementPatchSchema = z
  .strictObject(engagementFieldSchemas)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change')
  .refine(datesInOrder, datesMessage);
export type EngagementPatch = z.input<typeof engagementPatchSchema>;

export const engagementCreateSchema = z
  .strictObject({
    client: engagementFieldSchemas.client,
    codename: engagementFieldSchemas.codename,
    site: engagementFieldSchemas.site.optional(),
    ceiling: engagementFieldSchemas.ceiling.optional(),
    startDate: engagementFieldSchemas.startDate.optional(),
    endDate: engagementFieldSchemas.endDate.optional(),
    status: engagementFieldSchemas.status.optional(),
    summary: engagementFieldSchemas.summary.optional(),
    team: engagementFieldSchemas.team.optional(),
  })
  .refine(datesInOrder, datesMessage);
export type EngagementCreate = z.input<typeof engagementCreateSchema>;

export interface EngagementFields {
  client: string;
  site: string;
  codename: string;
  ceiling: string;
  startDate: string | null;
  endDate: string | null;
  status: EngagementStatus;
  summary: string;
  archived: boolean;
  team: TeamMember[];
}

export interface Engagement extends EngagementFields {
  id: string;
  createdAt: string;
}

const teamMemberOutSchema = z.strictObject({ id: z.string(), name: z.string(), role: z.string() });

export const engagementSchema = z.strictObject({
  id: z.string(),
  createdAt: z.string(),
  client: z.string(),
  site: z.string(),
  codename: z.string(),
  ceiling: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  status: z.enum(ENGAGEMENT_STATUSES),
  summary: z.string(),
  archived: z.boolean(),
  team: z.array(teamMemberOutSchema),
});

/** One row of the engagement list: what the projection holds. */
export const engagementSummarySchema = z.strictObject({
  id: z.string(),
  client: z.string(),
  site: z.string(),
  codename: z.string(),
  ceiling: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  status: z.enum(ENGAGEMENT_STATUSES),
  archived: z.boolean(),
  teamSize: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EngagementSummary = z.infer<typeof engagementSummarySchema>;

export const ENGAGEMENT_SORTS = ['updated', 'codename', 'client', 'start', 'status'] as const;
export type EngagementSort = (typeof ENGAGEMENT_SORTS)[number];
