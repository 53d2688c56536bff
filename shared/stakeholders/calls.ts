import { z } from 'zod';
import { type CallSpec, empty } from '../api/call-spec';
import { uuidSchema } from '../ids';
import {
  audienceSchema,
  cardCreateSchema,
  cardSchema,
  jargonListSchema,
  renderingPatchSchema,
  STAKEHOLDER_LIMITS,
  stakeholderCreateSchema,
  stakeholderSchema,
} from './model';

// ---------------------------------------------------------------------------------------------
// Stakeholder translations (electron/stakeholders): briefs and the notebook-wide jargon list. The
// registry, cards and glossary live in the engagement's Y.Doc and the app edits them through its
// replica; the registry and card calls below are the command line's way to the same doc.

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

const engagementRequest = z.strictObject({ engagementId: uuidSchema });
/** A stakeholder or card named on the command line: an id, a name or a title. */
const refSchema = z.string().trim().min(1).max(STAKEHOLDER_LIMITS.title);

export const stakeholderCalls = {
  /** The registry of an engagement, each with whether another has the same name and how many cards they were not told yet. */
  'stakeholders.list': {
    request: engagementRequest,
    response: z.strictObject({
      stakeholders: z.array(stakeholderSchema.extend({ duplicateName: z.boolean(), untoldCards: z.number().int() })),
    }),
  },
  'stakeholders.add': {
    request: z.strictObject({ engagementId: uuidSchema, stakeholder: stakeholderCreateSchema }),
    response: stakeholderSchema,
  },
  /** A stakeholder by id or by name (ignoring case and spacing); a name two share is `ambiguous`, listing both. */
  'stakeholders.resolve': { request: z.strictObject({ engagementId: uuidSchema, ref: refSchema }), response: stakeholderSchema },
  /** Removes a stakeholder; cards keep their renderings for them, labelled with the name. */
  'stakeholders.remove': { request: z.strictObject({ engagementId: uuidSchema, id: uuidSchema }), response: empty },
  'cards.list': { request: engagementRequest, response: z.strictObject({ cards: z.array(cardSchema) }) },
  'cards.add': { request: z.strictObject({ engagementId: uuidSchema, card: cardCreateSchema }), response: cardSchema },
  /** Writes a card's rendering for one audience (created when there is none yet). */
  'cards.setRendering': {
    request: z.strictObject({ engagementId: uuidSchema, cardId: uuidSchema, audience: audienceSchema, patch: renderingPatchSchema }),
    response: cardSchema,
  },
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
      /** The brief's title, who it addresses and how many cards it holds. */
      title: z.string(),
      audienceLabel: z.string(),
      cards: z.number().int(),
    }),
  },
  /** The notebook-wide jargon list that readability hints flag in renderings. */
  'stakeholders.jargon': { request: empty, response: z.strictObject({ terms: z.array(z.string()) }) },
  'stakeholders.setJargon': {
    request: z.strictObject({ terms: jargonListSchema }),
    response: z.strictObject({ terms: z.array(z.string()) }),
  },
} satisfies Record<string, CallSpec>;
