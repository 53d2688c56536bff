import { z } from 'zod';
import type { CallSpec } from '../api/call-spec';
import { uuidSchema } from '../ids';
import { FOLDER_MODES, IMPORT_KINDS, importProgressSchema, importReportSchema } from './model';

/**
 * Importing notes from other tools. The source is a path on the machine that runs the main
 * process (for the browser host: the host's machine, the user's own). A preview reads and
 * converts everything and writes nothing; a run writes all of it in one transaction, or nothing.
 */
const importRequestSchema = z
  .strictObject({
    kind: z.enum(IMPORT_KINDS, { error: `The source is one of ${IMPORT_KINDS.join(', ')}` }),
    path: z.string().trim().min(1, 'Name the folder or file to import').max(4096),
    engagementId: uuidSchema.optional(),
    /** A new engagement of this codename, created by the import. */
    newEngagement: z.string().trim().min(1).max(64).optional(),
    folders: z.enum(FOLDER_MODES).default('tags'),
    /** Also replace notes edited in Outpost since the last import of this source. */
    overwrite: z.boolean().default(false),
    /** Import what can be, leaving out files with errors (otherwise any error refuses the import). */
    skipInvalid: z.boolean().default(false),
    /** Names this run in its progress events. */
    runId: z.string().max(64).optional(),
  })
  .refine((r) => (r.engagementId === undefined) !== (r.newEngagement === undefined), 'Name one engagement: an existing one or a new one');

export const importCalls = {
  /** What an import would do, per file: notes, links, attachments, what cannot be converted and why. Writes nothing. */
  'import.preview': { request: importRequestSchema, response: importReportSchema },
  /** Imports, all or nothing; progress arrives as `import.progress` events on the calling connection. */
  'import.run': { request: importRequestSchema, response: importReportSchema },
} satisfies Record<string, CallSpec>;

export const importEvents = {
  /** How far a running import is: files read, notes converted, written, indexed for search. */
  'import.progress': importProgressSchema,
} satisfies Record<string, z.ZodType>;
