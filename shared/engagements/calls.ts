import { z } from 'zod';
import type { CallSpec } from '../api/call-spec';
import { uuidSchema } from '../ids';
import { ENGAGEMENT_SORTS, engagementCreateSchema, engagementPatchSchema, engagementSchema, engagementSummarySchema } from './model';

/** Engagements' contract calls: listing, reading and editing an engagement's metadata. */
export const engagementCalls = {
  'engagements.list': {
    request: z.strictObject({
      includeArchived: z.boolean().default(false),
      sort: z.enum(ENGAGEMENT_SORTS).default('updated'),
    }),
    response: z.strictObject({ engagements: z.array(engagementSummarySchema) }),
  },
  /** An engagement by its id or codename (the CLI's way to name one); ambiguous codenames are refused with the candidates. */
  'engagements.resolve': {
    request: z.strictObject({ ref: z.string().trim().min(1).max(200) }),
    response: z.strictObject({ id: uuidSchema }),
  },
  /** The user looked at this engagement: quick capture (the app's shortcut, `outpost log`) goes there next. */
  'engagements.shown': { request: z.strictObject({ id: uuidSchema }), response: z.strictObject({}) },
  'engagements.get': { request: z.strictObject({ id: uuidSchema }), response: engagementSchema },
  'engagements.create': { request: engagementCreateSchema, response: engagementSchema },
  'engagements.update': {
    request: z.strictObject({ id: uuidSchema, patch: engagementPatchSchema }),
    response: engagementSchema,
  },
} satisfies Record<string, CallSpec>;

export const engagementEvents = {
  /** Engagement projections changed; lists should refresh. */
  'engagements.changed': z.strictObject({ ids: z.array(z.string()) }),
} satisfies Record<string, z.ZodType>;
