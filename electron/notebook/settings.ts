import { classificationLevelsSchema, DEFAULT_CLASSIFICATION_LEVELS } from '../../shared/classification';
import { OutpostError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { EXTERNAL_LINK_MODES, type ExternalLinkMode } from '../../shared/notes/link-policy';
import { parseOrThrow } from '../../shared/validation';
import type { Database } from './database';

export const DEFAULT_ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024;

const MAX_ATTACHMENT_LIMIT = 2 * 1024 * 1024 * 1024;

/** Notebook-wide settings kept in `notebook_meta` (local to this notebook; not merged). */
export class NotebookSettings {
  private constructor(
    private readonly db: Database,
    readonly notebookId: string,
    private levels: string[],
    private maxAttachment: number,
    private linkMode: ExternalLinkMode,
    private lastShown: string | null,
  ) {}

  static async load(db: Database): Promise<NotebookSettings> {
    await db.query(`INSERT INTO notebook_meta (key, value) VALUES ('notebook_id', $1) ON CONFLICT (key) DO NOTHING`, [
      JSON.stringify(newId()),
    ]);
    const rows = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM notebook_meta');
    const meta = new Map(rows.rows.map((row) => [row.key, row.value]));
    const levels = classificationLevelsSchema.safeParse(meta.get('classification_levels') ?? DEFAULT_CLASSIFICATION_LEVELS);
    if (!levels.success) throw new OutpostError('notebook_invalid', 'The notebook’s classification levels are damaged.');
    const max = Number(meta.get('attachment_max_bytes') ?? DEFAULT_ATTACHMENT_MAX_BYTES);
    return new NotebookSettings(
      db,
      String(meta.get('notebook_id')),
      levels.data,
      Number.isFinite(max) && max > 0 ? max : DEFAULT_ATTACHMENT_MAX_BYTES,
      meta.get('external_links') === 'ask' ? 'ask' : 'never',
      typeof meta.get('last_engagement') === 'string' ? (meta.get('last_engagement') as string) : null,
    );
  }

  /** The engagement the user looked at last (in any window): quick capture goes there when none is named. */
  get lastShownEngagement(): string | null {
    return this.lastShown;
  }

  async setLastShownEngagement(id: string): Promise<void> {
    if (id === this.lastShown) return;
    await this.db.query(
      `INSERT INTO notebook_meta (key, value) VALUES ('last_engagement', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(id)],
    );
    this.lastShown = id;
  }

  /** Whether a link in a note may be opened in the user's browser (never, in offline mode). */
  get externalLinks(): ExternalLinkMode {
    return this.linkMode;
  }

  async setExternalLinks(mode: ExternalLinkMode): Promise<void> {
    if (!EXTERNAL_LINK_MODES.includes(mode))
      throw new OutpostError('invalid_request', `Links are opened ${EXTERNAL_LINK_MODES.join(' or ')}`);
    await this.db.query(
      `INSERT INTO notebook_meta (key, value) VALUES ('external_links', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(mode)],
    );
    this.linkMode = mode;
  }

  /** The largest attachment this notebook accepts. */
  get attachmentMaxBytes(): number {
    return this.maxAttachment;
  }

  async setAttachmentMaxBytes(bytes: number): Promise<void> {
    if (!Number.isInteger(bytes) || bytes < 1024 || bytes > MAX_ATTACHMENT_LIMIT) {
      throw new OutpostError(
        'invalid_request',
        `The attachment size limit must be between 1 KB and ${MAX_ATTACHMENT_LIMIT / 1024 / 1024 / 1024} GB`,
      );
    }
    await this.db.query(
      `INSERT INTO notebook_meta (key, value) VALUES ('attachment_max_bytes', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(bytes)],
    );
    this.maxAttachment = bytes;
  }

  get classificationLevels(): readonly string[] {
    return this.levels;
  }

  /** Replaces the ordered level list. `inUse` are levels that data still refers to and must stay. */
  async setClassificationLevels(levels: string[], inUse: ReadonlySet<string>): Promise<void> {
    const parsed = parseOrThrow(classificationLevelsSchema, levels, 'classification levels');
    const missing = [...inUse].filter((level) => !parsed.includes(level));
    if (missing.length) {
      throw new OutpostError('conflict', `Cannot remove level${missing.length > 1 ? 's' : ''} still in use: ${missing.join(', ')}`);
    }
    await this.db.query(
      `INSERT INTO notebook_meta (key, value) VALUES ('classification_levels', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(parsed)],
    );
    this.levels = parsed;
  }
}
