import { z } from 'zod';
import { type CallSpec, empty } from '../api/call-spec';
import { uuidSchema } from '../ids';
import { audienceSchema, jargonListSchema, STAKEHOLDER_LIMITS } from './model';

// ---------------------------------------------------------------------------------------------
// Stakeholder translations (electron/stakeholders): briefs and the notebook-wide jargon list. The
// registry, cards and glossary live in the engagement's Y.Doc and are edited through its replica.

/** A brief's text is at most this long (a one-page brief is a few kilobytes). */
export const MAX_BRIEF_CHARS = 4 * 1024 * 1024;

const briefRequestSchema = z.strictObject({
  engagementId: uuidSchema,
  audience: audienceSchema,
  /** Card ids in the order wanted; every card with a rendering for the audience when omitted. */
  cardIds: z.array(uuidSchema).min(1, 'Choose at least one card').max(STAKEHOLDER_LIMITS.cards).optional(),
  /** The reader's local date (YYYY-MM-DD). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
const omittedCardsSchema = z.array(z.strictObject({ id: z.string(), title: z.string() }));

export const stakeholderCalls = {
  /** A brief as HTML (self-contained, every field escaped) or Markdown. */
  'stakeholders.brief': {
    request: briefRequestSchema.extend({ format: z.enum(['html', 'md']) }),
    response: z.strictObject({ fileName: z.string(), content: z.string().max(MAX_BRIEF_CHARS), omitted: omittedCardsSchema }),
  },
  /**
   * A brief as a file to download once from GET /bundles/<token> (the one-time download store of
   * exported bundles): HTML, Markdown, or PDF printed by the main process with Chromium.
   */
  'stakeholders.briefDownload': {
    request: briefRequestSchema.extend({ format: z.enum(['html', 'md', 'pdf']) }),
    response: z.strictObject({
      token: z.string(),
      expiresAt: z.string(),
      fileName: z.string(),
      bytes: z.number().int(),
      omitted: omittedCardsSchema,
    }),
  },
  /** The notebook-wide jargon list that readability hints flag in renderings. */
  'stakeholders.jargon': { request: empty, response: z.strictObject({ terms: z.array(z.string()) }) },
  'stakeholders.setJargon': {
    request: z.strictObject({ terms: jargonListSchema }),
    response: z.strictObject({ terms: z.array(z.string()) }),
  },
} satisfies Record<string, CallSpec>;
