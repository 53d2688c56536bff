import { levelRank } from '../../shared/classification';
import { applyEngagementPatch, initEngagementDoc, readEngagement } from '../../shared/engagements/doc';
import {
  type Engagement,
  type EngagementCreate,
  type EngagementPatch,
  type EngagementSort,
  type EngagementSummary,
  engagementCreateSchema,
  engagementPatchSchema,
} from '../../shared/engagements/model';
import { OutpostError } from '../../shared/errors';
import { docIdFor, newId, uuidSchema } from '../../shared/ids';
import { parseOrThrow } from '../../shared/validation';
import type { DocStore } from '../docs/doc-store';
import type { Database } from '../notebook/database';
import type { NotebookSettings } from '../notebook/settings';
import { type EngagementRow, rowToSummary } from './engagement-projection';

const ORDER_BY: Record<EngagementSort, string> = {
  updated: 'updated_at DESC, lower(codename)',
  codename: 'lower(codename), id',
  client: 'lower(client), lower(codename), id',
  start: 'start_date DESC NULLS LAST, lower(codename)',
  status: `array_position(ARRAY['active','stabilizing','planned','closed'], status), updated_at DESC`,
};

/** Engagements: written to their Y.Doc through the DocStore, listed from the projection. */
export class EngagementService {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly settings: NotebookSettings,
  ) {}

  async create(input: EngagementCreate): Promise<Engagement> {
    const parsed = parseOrThrow(engagementCreateSchema, input, 'engagement');
    const levels = this.settings.classificationLevels;
    const ceiling = parsed.ceiling ?? (levels[0] as string);
    this.checkLevel(ceiling);
    await this.checkCodenameFree(parsed.codename, null);
    const id = newId();
    const doc = await this.docs.create(docIdFor('engagement', id), (d) =>
      initEngagementDoc(d, id, { ...parsed, ceiling }, new Date().toISOString()),
    );
    return readEngagement(doc).engagement;
  }

  async update(id: string, patch: EngagementPatch): Promise<Engagement> {
    const parsed = parseOrThrow(engagementPatchSchema, patch, 'engagement change');
    if (parsed.ceiling !== undefined) this.checkLevel(parsed.ceiling);
    if (parsed.codename !== undefined) await this.checkCodenameFree(parsed.codename, id);
    const docId = await this.existingDocId(id);
    const doc = await this.docs.open(docId);
    applyEngagementPatch(doc, parsed);
    await this.docs.flush(docId);
    return readEngagement(doc).engagement;
  }

  async get(id: string): Promise<Engagement> {
    const doc = await this.docs.open(await this.existingDocId(id));
    return readEngagement(doc).engagement;
  }

  async list(options: { includeArchived?: boolean; sort?: EngagementSort } = {}): Promise<EngagementSummary[]> {
    const where = options.includeArchived ? '' : 'WHERE NOT archived';
    const result = await this.db.query<EngagementRow>(`SELECT * FROM engagements ${where} ORDER BY ${ORDER_BY[options.sort ?? 'updated']}`);
    return result.rows.map(rowToSummary);
  }

  /** Finds an engagement by id or codename (case-insensitive), as the CLI takes either. */
  async resolve(ref: string): Promise<string> {
    const trimmed = ref.trim();
    if (uuidSchema.safeParse(trimmed).success) {
      await this.existingDocId(trimmed);
      return trimmed;
    }
    const result = await this.db.query<{ id: string; codename: string; client: string }>(
      'SELECT id, codename, client FROM engagements WHERE lower(codename) = lower($1) ORDER BY id',
      [trimmed],
    );
    if (result.rows.length === 1) return (result.rows[0] as { id: string }).id;
    if (result.rows.length > 1) {
      throw new OutpostError(
        'ambiguous',
        `More than one engagement is called "${trimmed}" (after a merge); use its id`,
        result.rows.map((row) => `${row.id}  ${row.codename}  (${row.client})`),
      );
    }
    throw new OutpostError('not_found', `No engagement with id or codename "${trimmed}"`);
  }

  /** Ceilings in use, which the notebook's level list must keep. */
  async levelsInUse(): Promise<Set<string>> {
    // Ceilings, and the markings of notes and lessons (a lesson without its own marking has its
    // engagement's ceiling): a level removed while something is marked with it would leave that
    // thing with a marking the notebook cannot rank, which exports then withhold.
    const result = await this.db.query<{ level: string }>(
      `SELECT ceiling AS level FROM engagements UNION SELECT classification FROM notes UNION SELECT classification FROM lessons`,
    );
    return new Set(result.rows.map((row) => row.level).filter(Boolean));
  }

  private checkLevel(level: string): void {
    const levels = this.settings.classificationLevels;
    if (levelRank(levels, level) < 0) {
      throw new OutpostError(
        'invalid_request',
        `Unknown classification level "${level}". This notebook's levels are: ${levels.join(' < ')}`,
      );
    }
  }

  private async checkCodenameFree(codename: string, exceptId: string | null): Promise<void> {
    const result = await this.db.query<{ id: string }>('SELECT id FROM engagements WHERE lower(codename) = lower($1) AND id::text <> $2', [
      codename,
      exceptId ?? '',
    ]);
    if (result.rows.length) throw new OutpostError('conflict', `An engagement with the codename "${codename}" already exists`);
  }

  private async existingDocId(id: string): Promise<string> {
    const docId = docIdFor('engagement', id);
    if (!(await this.docs.exists(docId))) throw new OutpostError('not_found', `No engagement with id ${id}`);
    return docId;
  }
}
