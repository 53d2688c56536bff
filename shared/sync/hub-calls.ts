import { z } from 'zod';
import type { CallSpec } from '../api/call-spec';
import { docIdSchema, uuidSchema } from '../ids';

export const hubStatusSchema = z.strictObject({
  /** A hub is configured (URL and trusted key). Without one the notebook opens no connection. */
  configured: z.boolean(),
  url: z.string().nullable(),
  /** The hub's key fingerprint, trusted on first use. */
  fingerprint: z.string().nullable(),
  /** This process syncs (the app or the browser host); a CLI on its own only configures. */
  running: z.boolean(),
  connection: z.enum(['off', 'connecting', 'connected', 'offline']),
  /** Since when the connection is as it is. */
  since: z.string().nullable(),
  /** The hub's classification ceiling: notes marked above it are never sent. */
  ceiling: z.string().nullable(),
  lastError: z.string().nullable(),
  engagements: z.array(
    z.strictObject({
      engagementId: z.string(),
      codename: z.string(),
      /** Documents with changes not yet on the hub, or the hub's not yet here. */
      waiting: z.number().int(),
      withheld: z.number().int(),
      received: z.number().int(),
      refused: z.array(z.strictObject({ docId: z.string(), reason: z.string() })),
      /** Other devices the hub has seen writing to the engagement (its index), as it verified them. */
      teammates: z.array(z.strictObject({ name: z.string(), fingerprint: z.string() })).max(200),
    }),
  ),
});
export type HubStatus = z.infer<typeof hubStatusSchema>;

/** Another device editing a note now, as the hub verified it (its key), not as it claims. */
export const hubEditorSchema = z.strictObject({
  deviceId: z.string().max(64),
  name: z.string().max(80),
  fingerprint: z.string().max(80),
});
export type HubEditor = z.infer<typeof hubEditorSchema>;

const editorsSchema = z.strictObject({ docId: docIdSchema, editors: z.array(hubEditorSchema).max(100) });

export const hubCalls = {
  'hub.status': { request: z.strictObject({}), response: hubStatusSchema },
  /**
   * Points this notebook at a hub: asks it for a challenge, checks the hub signed it, and trusts its
   * key. A hub not trusted yet is refused with its fingerprint, to compare with the hub's admin, and
   * trusted when asked again with `trust`. With `engagementId`, that engagement's sync is turned on.
   */
  'hub.connect': {
    request: z.strictObject({ url: z.string().min(1).max(500), trust: z.boolean().default(false), engagementId: uuidSchema.optional() }),
    response: hubStatusSchema,
  },
  /** Turns "Sync with team hub" on or off for one engagement. */
  'hub.setEngagement': {
    request: z.strictObject({ engagementId: uuidSchema, enabled: z.boolean() }),
    response: hubStatusSchema,
  },
  /** Forgets the hub: every engagement stops syncing and the notebook is zero-network again. */
  'hub.disconnect': { request: z.strictObject({}), response: hubStatusSchema },
  /**
   * This window has a note open in its editor (or no longer has): while it does, the hub tells the
   * other devices syncing it, and the answer names those editing it too. Nothing is sent when the
   * note's engagement does not sync with a hub.
   */
  'hub.editing': { request: z.strictObject({ docId: docIdSchema, editing: z.boolean() }), response: editorsSchema },
} satisfies Record<string, CallSpec>;

export const hubEvents = {
  /** The hub connection or an engagement's sync changed (throttled). */
  'hub.status': hubStatusSchema,
  /** Who else edits a note changed (only for notes a window of this notebook has open). */
  'hub.editors': editorsSchema,
} satisfies Record<string, z.ZodType>;
