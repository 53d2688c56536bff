import type * as Y from 'yjs';
import { OutpostError } from '../../shared/errors';
import { docIdFor, uuidSchema } from '../../shared/ids';
import { type Brief, briefFileName, briefToHtml, briefToMarkdown, composeBrief } from '../../shared/stakeholders/brief';
import {
  addCard,
  addStakeholder,
  normalizeName,
  notYetTold,
  readCards,
  readGlossary,
  readStakeholders,
  removeStakeholder,
  setRendering,
  updateStakeholder,
} from '../../shared/stakeholders/doc';
import {
  type Audience,
  type BriefFormat,
  type Card,
  type CardCreate,
  DEFAULT_JARGON,
  jargonListSchema,
  type RenderingPatch,
  type Stakeholder,
  type StakeholderCreate,
  type StakeholderPatch,
} from '../../shared/stakeholders/model';
import { parseOrThrow } from '../../shared/validation';
import type { DocStore } from '../docs/doc-store';
import type { EngagementService } from '../engagements/engagement-service';
import type { Database } from '../notebook/database';
import type { PdfPrinter } from './pdf-printer';

export interface StakeholderListing {
  stakeholders: Array<Stakeholder & { duplicateName: boolean; untoldCards: number }>;
}

export interface BriefOutput {
  fileName: string;
  /** HTML or Markdown text, or PDF bytes. */
  content: string | Uint8Array;
  /** Chosen cards left out because they have no rendering for the audience. */
  omitted: Array<{ id: string; title: string }>;
  brief: Brief;
}

export interface BriefRequest {
  audience: Audience;
  cardIds?: string[] | undefined;
  format: BriefFormat;
  /** The reader's local date (YYYY-MM-DD); today in UTC when omitted. */
  date?: string | undefined;
  preparedBy?: string | undefined;
}

const JARGON_KEY = 'stakeholder_jargon';

/**
 * Stakeholders, translation cards, glossary and briefs of an engagement, read from and written to
 * its Y.Doc through the DocStore (the renderer edits its replica of the same doc directly with the
 * same shared functions). Briefs are composed here, so the CLI and the app produce the same file.
 */
export class StakeholderService {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly engagements: EngagementService,
    private readonly printer: () => PdfPrinter,
  ) {}

  async list(engagementId: string): Promise<StakeholderListing> {
    const doc = await this.open(engagementId);
    const { stakeholders, duplicates } = readStakeholders(doc);
    const { cards } = readCards(doc);
    const untold = new Map<string, number>();
    for (const card of cards) for (const s of notYetTold(card, stakeholders)) untold.set(s.id, (untold.get(s.id) ?? 0) + 1);
    return {
      stakeholders: stakeholders.map((s) => ({ ...s, duplicateName: duplicates.has(s.id), untoldCards: untold.get(s.id) ?? 0 })),
    };
  }

  async add(engagementId: string, input: StakeholderCreate): Promise<Stakeholder> {
    return this.edit(engagementId, (doc) => {
      const id = addStakeholder(doc, input);
      return readStakeholders(doc).stakeholders.find((s) => s.id === id) as Stakeholder;
    });
  }

  async update(engagementId: string, id: string, patch: StakeholderPatch): Promise<Stakeholder> {
    return this.edit(engagementId, (doc) => {
      updateStakeholder(doc, id, patch);
      return readStakeholders(doc).stakeholders.find((s) => s.id === id) as Stakeholder;
    });
  }

  async remove(engagementId: string, id: string): Promise<void> {
    await this.edit(engagementId, (doc) => removeStakeholder(doc, id));
  }

  async cards(engagementId: string): Promise<Card[]> {
    return readCards(await this.open(engagementId)).cards;
  }

  async addCard(engagementId: string, input: CardCreate): Promise<Card> {
    return this.edit(engagementId, (doc) => {
      const id = addCard(doc, input);
      return readCards(doc).cards.find((c) => c.id === id) as Card;
    });
  }

  async setRendering(engagementId: string, cardId: string, audience: Audience, patch: RenderingPatch): Promise<Card> {
    return this.edit(engagementId, (doc) => {
      setRendering(doc, cardId, audience, patch);
      return readCards(doc).cards.find((c) => c.id === cardId) as Card;
    });
  }

  /** A stakeholder by id or by name (ignoring case and spacing); two with that name is an error that lists both. */
  async resolveStakeholder(engagementId: string, ref: string): Promise<Stakeholder> {
    const { stakeholders } = readStakeholders(await this.open(engagementId));
    const trimmed = ref.trim();
    if (uuidSchema.safeParse(trimmed).success) {
      const byId = stakeholders.find((s) => s.id === trimmed);
      if (byId) return byId;
    }
    const matches = stakeholders.filter((s) => normalizeName(s.name) === normalizeName(trimmed));
    if (matches.length === 1) return matches[0] as Stakeholder;
    if (matches.length > 1) {
      throw new OutpostError(
        'ambiguous',
        `More than one stakeholder is called "${trimmed}" (after a merge); use their id`,
        matches.map((s) => `${s.id}  ${s.name}${s.role ? ` (${s.role})` : ''}`),
      );
    }
    const known = stakeholders.map((s) => s.name);
    throw new OutpostError(
      'not_found',
      `No stakeholder "${trimmed}" in this engagement`,
      known.length ? [`Stakeholders: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`] : ['The registry is empty'],
    );
  }

  /** Composes a brief and renders it as HTML, Markdown or (through the PdfPrinter) PDF. */
  async brief(engagementId: string, request: BriefRequest): Promise<BriefOutput> {
    const engagement = await this.engagements.get(engagementId);
    const doc = await this.open(engagementId);
    const date = request.date ?? new Date().toISOString().slice(0, 10);
    const { brief, omitted } = composeBrief(
      {
        engagement: { codename: engagement.codename, client: engagement.client, site: engagement.site, ceiling: engagement.ceiling },
        stakeholders: readStakeholders(doc).stakeholders,
        cards: readCards(doc).cards,
        glossary: readGlossary(doc).entries,
      },
      { audience: request.audience, cardIds: request.cardIds, date, preparedBy: request.preparedBy },
    );
    const content =
      request.format === 'md'
        ? briefToMarkdown(brief)
        : request.format === 'html'
          ? briefToHtml(brief)
          : await this.printer().print(briefToHtml(brief));
    return { fileName: briefFileName(brief, request.format), content, omitted: omitted.map((c) => ({ id: c.id, title: c.title })), brief };
  }

  /** The notebook-wide jargon list (a default list until someone edits it). Local to this notebook. */
  async jargon(): Promise<string[]> {
    const result = await this.db.query<{ value: unknown }>('SELECT value FROM notebook_meta WHERE key = $1', [JARGON_KEY]);
    const parsed = jargonListSchema.safeParse(result.rows[0]?.value);
    return parsed.success ? parsed.data : [...DEFAULT_JARGON];
  }

  async setJargon(terms: string[]): Promise<string[]> {
    const parsed = parseOrThrow(jargonListSchema, terms, 'jargon list');
    const unique = [...new Map(parsed.map((t) => [t.toLocaleLowerCase('en-US'), t])).values()];
    await this.db.query(`INSERT INTO notebook_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [
      JARGON_KEY,
      JSON.stringify(unique),
    ]);
    return unique;
  }

  private async open(engagementId: string): Promise<Y.Doc> {
    await this.engagements.get(engagementId);
    return this.docs.open(docIdFor('engagement', engagementId));
  }

  /** Runs a shared edit on the live doc (which validates before writing) and waits until it is on disk. */
  private async edit<T>(engagementId: string, change: (doc: Y.Doc) => T): Promise<T> {
    const doc = await this.open(engagementId);
    const result = change(doc);
    await this.docs.flush(docIdFor('engagement', engagementId));
    return result;
  }
}
