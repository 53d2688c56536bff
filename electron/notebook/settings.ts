import { classificationLevelsSchema, DEFAULT_CLASSIFICATION_LEVELS } from '../../shared/classification';
import { OutpostError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { parseOrThrow } from '../../shared/validation';
import type { Database } from './database';

/** Notebook-wide settings kept in `notebook_meta` (local to this notebook; not merged). */
export class NotebookSettings {
  private constructor(
    private readonly db: Database,
    readonly notebookId: string,
    private levels: string[],
  ) {}

  static async load(db: Database): Promise<NotebookSettings> {
    await db.query(`INSERT INTO notebook_meta (key, value) VALUES ('notebook_id', $1) ON CONFLICT (key) DO NOTHING`, [
      JSON.stringify(newId()),
    ]);
    const rows = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM notebook_meta');
    const meta = new Map(rows.rows.map((row) => [row.key, row.value]));
    const levels = classificationLevelsSchema.safeParse(meta.get('classification_levels') ?? DEFAULT_CLASSIFICATION_LEVELS);
    if (!levels.success) throw new OutpostError('notebook_invalid', 'The notebook’s classification levels are damaged.');
    return new NotebookSettings(db, String(meta.get('notebook_id')), levels.data);
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
