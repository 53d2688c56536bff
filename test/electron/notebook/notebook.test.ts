import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonService } from '../../../electron/api/lesson-handlers';
import { openDatabase } from '../../../electron/notebook/database';
import { SCHEMA_VERSION } from '../../../electron/notebook/migrations';
import { Notebook } from '../../../electron/notebook/notebook';
import { notebookLayout } from '../../../electron/notebook/paths';
import { DEFAULT_CLASSIFICATION_LEVELS } from '../../../shared/classification';
import { migratedTemplate, openTempNotebook, tempDir } from '../../helpers/notebook';

describe('notebook folder', () => {
  it('lays out database, attachments and device identity, and keeps the identity across reopen', async () => {
    const dir = tempDir();
    const first = await Notebook.open(dir, { kind: 'test', template: migratedTemplate() });
    const { device } = first;
    const notebookId = first.settings.notebookId;
    expect(first.settings.classificationLevels).toEqual(DEFAULT_CLASSIFICATION_LEVELS);
    await first.close();
    const layout = notebookLayout(dir);
    for (const entry of [layout.database, layout.attachments, layout.device]) expect(fs.existsSync(entry)).toBe(true);
    expect(fs.existsSync(layout.lock)).toBe(false);

    const second = await Notebook.open(dir, { kind: 'test' });
    expect(second.device).toEqual(device);
    expect(second.settings.notebookId).toBe(notebookId);
    await second.close();
  });

  it('records the applied schema version', async () => {
    const notebook = await openTempNotebook();
    const result = await notebook.db.query<{ version: number }>('SELECT max(version) AS version FROM schema_migrations');
    expect(result.rows[0]?.version).toBe(SCHEMA_VERSION);
  });

  it('refuses a notebook made by a newer Outpost, and releases the lock', async () => {
    const dir = tempDir();
    const db = await openDatabase(notebookLayout(dir).database, { template: migratedTemplate() });
    await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [SCHEMA_VERSION + 1, 'from the future']);
    await db.close();
    await expect(Notebook.open(dir, { kind: 'test' })).rejects.toThrow(/newer Outpost/);
    expect(fs.existsSync(notebookLayout(dir).lock)).toBe(false);
  });

  it('stores the update log uncompressed (pglz made imports slow), out of line', async () => {
    const notebook = await Notebook.open(tempDir(), { kind: 'test', template: migratedTemplate() });
    const result = await notebook.db.query<{ attstorage: string }>(
      "SELECT attstorage FROM pg_attribute WHERE attrelid = 'doc_updates'::regclass AND attname = 'data'",
    );
    expect(result.rows[0]?.attstorage).toBe('e');
    await notebook.close();
  });

  it('migrates a version-3 notebook with notes to the current schema: recency as a number, a title vector, notes still found', async () => {
    const dir = tempDir();
    const first = await Notebook.open(dir, { kind: 'test', template: migratedTemplate() });
    const heron = await first.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
    const note = await first.notes.create({
      engagementId: heron.id,
      type: 'runbook',
      title: 'Scanner reset',
      markdown: 'Hold the trigger.',
    });
    // Back to what version 3 had (undoing migrations 15, 14, 13, 12, 11, 10, 8, 7, 6, 5 and 4: dropping lessons undoes 10; 9 only
    // sets a column's storage and runs again).
    await first.db.exec(`
      ALTER TABLE notes DROP COLUMN search, DROP COLUMN rank_vector;
      ALTER TABLE notes ADD COLUMN search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', outpost_join_tags(tags)), 'B') ||
          setweight(to_tsvector('english', left(body, 400000)), 'C')
        ) STORED,
        ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', outpost_join_tags(tags)), 'B') ||
          setweight(to_tsvector('english', left(body, 1500)), 'C')
        ) STORED;
      CREATE INDEX notes_search ON notes USING GIN (search);
      DROP TABLE attachment_ocr;
      ALTER TABLE notes DROP COLUMN attachments;
      DROP TABLE hub_devices;
      ALTER TABLE doc_updates DROP COLUMN via_hub;
      DROP TABLE error_signatures;
      DROP TABLE import_sources;
      DROP TABLE lessons, playbooks;
      DROP TABLE projection_backlog, field_conflicts, peer_state, bundle_ledger, trusted_devices;
      ALTER TABLE doc_updates DROP COLUMN bundle_id;
      DROP INDEX notes_head;
      ALTER TABLE notes DROP COLUMN head_vector, DROP COLUMN updated_ms;
      DROP FUNCTION outpost_iso_ms(text);
      DELETE FROM schema_migrations WHERE version >= 4;
    `);
    await first.close();

    const second = await Notebook.open(dir, { kind: 'test' });
    const row = await second.db.query<{ updated_ms: string; head: string; updated_at: string }>(
      'SELECT updated_ms::text, head_vector::text AS head, updated_at FROM notes WHERE id = $1',
      [note.id],
    );
    expect(Number(row.rows[0]?.updated_ms)).toBe(Date.parse(row.rows[0]?.updated_at as string));
    expect(row.rows[0]?.head).toContain("'scanner':1A");
    expect((await second.notes.search('scanner')).map((h) => h.note.id)).toEqual([note.id]);
    // The vectors are plain columns now (migration 15), written by the projection: an edit is found.
    const generated = await second.db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'notes' AND is_generated = 'ALWAYS' ORDER BY column_name`,
    );
    expect(generated.rows.map((r) => r.column_name)).toEqual(['updated_ms']);
    await second.notes.update(note.id, { title: 'Barcode gun reset' });
    expect((await second.notes.search('barcode')).map((h) => h.note.id)).toEqual([note.id]);
    expect(await second.notes.search('scanner')).toEqual([]);
    await second.close();
  });

  it('refuses a damaged device identity instead of silently making a new one', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'device.json'), '{"deviceId": "not-a-uuid"');
    await expect(Notebook.open(dir, { kind: 'test', template: migratedTemplate() })).rejects.toThrow(
      /device identity file .* is not valid JSON/,
    );
    expect(fs.readFileSync(path.join(dir, 'device.json'), 'utf8')).toBe('{"deviceId": "not-a-uuid"');
  });

  it('changes classification levels but keeps those in use', async () => {
    const notebook = await openTempNotebook();
    await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
    await expect(notebook.setClassificationLevels(['PUBLIC', 'INTERNAL'])).rejects.toThrow(/still in use: CUI/);
    await expect(notebook.setClassificationLevels(['lower case'])).rejects.toThrow(/capital letters/);
    await expect(notebook.setClassificationLevels(['A', 'A'])).rejects.toThrow(/unique/);
    expect(notebook.settings.classificationLevels).toEqual(DEFAULT_CLASSIFICATION_LEVELS);
    await notebook.setClassificationLevels(['PUBLIC', 'CUI', 'RESTRICTED']);
    expect(notebook.settings.classificationLevels).toEqual(['PUBLIC', 'CUI', 'RESTRICTED']);
  });

  it('keeps the levels notes and lessons are marked with, not only ceilings', async () => {
    const notebook = await openTempNotebook();
    const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'SECRET' });
    await notebook.notes.create({ engagementId: heron.id, type: 'incident', title: 'Late picks', classification: 'CUI' });
    await lessonService(notebook).add(heron.id, { title: 'Throttle', skillArea: 'Production debugging', classification: 'CONFIDENTIAL' });
    await notebook.docs.flush();
    await expect(notebook.setClassificationLevels(['UNCLASSIFIED', 'CONFIDENTIAL', 'SECRET'])).rejects.toThrow(/still in use: CUI/);
    await expect(notebook.setClassificationLevels(['UNCLASSIFIED', 'CUI', 'SECRET'])).rejects.toThrow(/still in use: CONFIDENTIAL/);
    await notebook.setClassificationLevels(['CUI', 'CONFIDENTIAL', 'SECRET']);
    expect(notebook.settings.classificationLevels).toEqual(['CUI', 'CONFIDENTIAL', 'SECRET']);
  });
});
