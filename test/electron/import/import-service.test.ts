import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportRequest, ImportService } from '../../../electron/import/import-service';
import type { Notebook } from '../../../electron/notebook/notebook';
import { OutpostError } from '../../../shared/errors';
import { docIdFor } from '../../../shared/ids';
import { noteBodyJSON } from '../../../shared/notes/doc';
import { enex, joplinJex, joplinRaw, obsidianVault, PNG, tarBomb, write } from '../../fixtures/import-sources';
import { openTempNotebook, tempDir } from '../../helpers/notebook';

async function setup() {
  const notebook = await openTempNotebook();
  const engagement = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
  const service = new ImportService(notebook.db, notebook.docs, notebook.attachments, notebook.settings, () => notebook.device);
  const run = (request: Partial<ImportRequest> & Pick<ImportRequest, 'kind' | 'path'>, progress?: Parameters<ImportService['run']>[1]) =>
    service.run(
      { engagementId: engagement.id, folders: 'tags', overwrite: false, dryRun: false, skipInvalid: false, ...request },
      progress,
    );
  return { notebook, engagement, run };
}

/** Everything a user can see of the notebook's notes, for before/after comparisons. */
async function snapshot(notebook: Notebook) {
  const notes = await notebook.db.query('SELECT id, title, tags, body FROM notes ORDER BY id');
  const docs = await notebook.db.query<{ n: number }>('SELECT count(*)::int AS n FROM docs');
  const updates = await notebook.db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates');
  const attachments = await notebook.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments');
  const sources = await notebook.db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_sources');
  return JSON.stringify([notes.rows, docs.rows, updates.rows, attachments.rows, sources.rows]);
}

async function bodyOf(notebook: Notebook, id: string) {
  return noteBodyJSON(await notebook.docs.open(docIdFor('note', id)));
}

describe('ImportService', () => {
  it('imports an Obsidian vault: front matter, wiki links by id (a cycle too), embeds and file links as attachments, callouts, tasks', async () => {
    const { notebook, engagement, run } = await setup();
    const vault = obsidianVault(tempDir());
    const preview = await run({ kind: 'obsidian', path: vault, dryRun: true });
    expect(preview).toMatchObject({ notes: 3, created: 3, links: 2, unresolvedLinks: 1, attachments: 2, errors: 0 });
    expect(await notebook.db.query('SELECT 1 FROM notes')).toMatchObject({ rows: [] });
    const phases = new Set<string>();
    const report = await run({ kind: 'obsidian', path: vault }, (p) => phases.add(p.phase));
    expect(report).toMatchObject({ created: 3, updated: 0, links: 2, attachments: 2 });
    expect([...phases]).toEqual(expect.arrayContaining(['reading', 'writing', 'indexing', 'done']));

    const { notes } = await notebook.notes.list({ engagementId: engagement.id, sort: 'title' });
    const welcome = notes.find((n) => n.title === 'Welcome aboard');
    const pump = notes.find((n) => n.title === 'Pump tuning');
    expect(welcome).toMatchObject({ type: 'runbook', tags: ['onboarding', 'site/plant-3'], createdAt: '2024-03-01T00:00:00.000Z' });
    expect(pump?.tags).toEqual(['projects']);
    const body = JSON.stringify(await bodyOf(notebook, welcome?.id as string));
    expect(body).toContain(`"id":"${pump?.id}"`);
    expect(body).toContain('the pump notes');
    expect(body).toContain('[[Nowhere]]');
    expect(body).toContain('"type":"image"');
    expect(body).toMatch(/"type":"attachment","attrs":\{"sha":"[0-9a-f]{64}","name":"spec v2.pdf"/);
    expect(body).toContain('[!warning] Careful');
    expect(body).toContain('"type":"taskItem","attrs":{"checked":true}');
    // The cycle: Pump tuning links back to Welcome through its alias.
    expect(await notebook.notes.backlinks(welcome?.id as string)).toMatchObject([{ id: pump?.id }]);
    expect((await notebook.notes.search('zanzibar')).map((h) => h.note.id)).toEqual([pump?.id]);
  });

  it('re-imports: unchanged notes stay, changed ones are updated in place, notes edited here are left unless overwritten', async () => {
    const { notebook, run } = await setup();
    const vault = obsidianVault(tempDir());
    const first = await run({ kind: 'obsidian', path: vault });
    const again = await run({ kind: 'obsidian', path: vault });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });

    fs.appendFileSync(path.join(vault, 'Projects/Pump tuning.md'), '\nKi is 0.1 now.\n');
    const pumpId = first.noteIds[first.files.findIndex((f) => f.path === 'Projects/Pump tuning.md')] as string;
    const welcomeId = first.noteIds[first.files.findIndex((f) => f.path === 'Welcome.md')] as string;
    await notebook.notes.update(welcomeId, { title: 'Welcome (edited here)' });
    fs.appendFileSync(path.join(vault, 'Welcome.md'), '\nMore from the vault.\n');
    const third = await run({ kind: 'obsidian', path: vault });
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 1, edited: 1 });
    expect(third.files.find((f) => f.path === 'Welcome.md')?.action).toBe('edited');
    expect(JSON.stringify(await bodyOf(notebook, pumpId))).toContain('Ki is 0.1 now.');
    expect((await notebook.notes.summary(welcomeId)).title).toBe('Welcome (edited here)');

    const forced = await run({ kind: 'obsidian', path: vault, overwrite: true });
    expect(forced).toMatchObject({ updated: 1, unchanged: 2 });
    expect((await notebook.notes.summary(welcomeId)).title).toBe('Welcome aboard');
    expect((await notebook.db.query('SELECT 1 FROM notes')).rows).toHaveLength(3);
  });

  it('refuses bad input per file and leaves the notebook unchanged', async () => {
    const { notebook, run } = await setup();
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret.md'), 'secret words');
    fs.writeFileSync(path.join(outside, 'secret.png'), PNG);
    const vault = write(tempDir(), {
      'Broken.md': '---\ntitle: [unclosed\n---\nbody',
      'Escape.md': 'See [x](../secret.md) and ![y](../../secret.png) and [[../secret]].',
      'Дневник/日本語 ملاحظة.md': '---\ntitle: Ünïcödé 日本語\n---\nText in every script: ελληνικά, עברית, हिन्दी.',
      'Dup1.md': '---\ntitle: Same\n---\none',
      'sub/Dup2.md': '---\ntitle: Same\n---\ntwo',
      'Big.md': '![[big.bin]]',
      'big.bin': Buffer.alloc(2 * 1024 * 1024),
    });
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(vault, 'Linked.md'));
    fs.symlinkSync(outside, path.join(vault, 'linked-folder'));
    await notebook.settings.setAttachmentMaxBytes(1024 * 1024);
    const before = await snapshot(notebook);

    const preview = await run({ kind: 'markdown', path: vault, dryRun: true });
    const issues = preview.files.flatMap((f) => f.issues);
    const about = (file: string) => issues.filter((i) => i.path === file).map((i) => `${i.severity}: ${i.message}`);
    expect(about('Broken.md')).toEqual([expect.stringMatching(/^error: Front matter is not valid YAML/)]);
    expect(about('Big.md')).toEqual([expect.stringMatching(/^error: big.bin is 2.0 MB; attachments are limited to 1.0 MB/)]);
    expect(about('Escape.md').every((m) => m.startsWith('warning:') && /outside the source|no note or file/.test(m))).toBe(true);
    expect(about('Linked.md')).toEqual([expect.stringMatching(/symbolic link: not followed/)]);
    expect(about('linked-folder')).toEqual([expect.stringMatching(/symbolic link: not followed/)]);
    expect(about('Dup1.md')).toEqual([expect.stringMatching(/2 notes are titled "Same"/)]);
    expect(preview.errors).toBe(2);
    expect(JSON.stringify(preview)).not.toContain('secret words');

    await expect(run({ kind: 'markdown', path: vault })).rejects.toMatchObject({
      code: 'invalid_request',
      details: expect.arrayContaining([expect.stringMatching(/^Broken.md: /)]),
    });
    expect(await snapshot(notebook)).toBe(before);

    const rest = await run({ kind: 'markdown', path: vault, skipInvalid: true });
    expect(rest).toMatchObject({ created: 4, skipped: 2 });
    const titles = (await notebook.db.query<{ title: string }>('SELECT title FROM notes ORDER BY title')).rows.map((r) => r.title);
    expect(titles).toEqual(['Escape', 'Same', 'Same', 'Ünïcödé 日本語']);
    expect((await notebook.notes.search('עברית')).length + (await notebook.notes.search('ελληνικά')).length).toBeGreaterThan(0);
    expect((await notebook.db.query("SELECT 1 FROM notes WHERE body LIKE '%secret words%'")).rows).toEqual([]);
  });

  it('imports a Joplin export (.jex and RAW): notebooks as tags, tags, to-dos, note links and resources', async () => {
    const { notebook, engagement, run } = await setup();
    const dir = tempDir();
    for (const [kind, source] of [
      ['jex', await joplinJex(dir)],
      ['raw', joplinRaw(path.join(dir, 'raw'))],
    ] as const) {
      const target = await notebook.engagements.create({ client: 'Acme', codename: `J-${kind}` });
      const report = await run({ kind: 'joplin', path: source, engagementId: target.id });
      expect(report).toMatchObject({ created: 2, links: 1, attachments: 1, errors: 0 });
      const { notes } = await notebook.notes.list({ engagementId: target.id, sort: 'title' });
      expect(notes.map((n) => [n.title, n.tags])).toEqual([
        ['Gateway fix', ['field notebook']],
        ['Gateway outage', ['field notebook', 'networking']],
      ]);
      const outage = JSON.stringify(await bodyOf(notebook, notes[1]?.id as string));
      expect(outage).toContain(`"id":"${notes[0]?.id}"`);
      expect(outage).toMatch(/"src":"attachments\/[0-9a-f]{64}"/);
      expect(JSON.stringify(await bodyOf(notebook, notes[0]?.id as string))).toContain('"checked":true');
    }
    void engagement;
  });

  it('bounds a tar bomb in a .jex and leaves the notebook unchanged', async () => {
    const { notebook, run } = await setup();
    const bomb = await tarBomb(tempDir(), 64 * 1024 * 1024);
    expect(fs.statSync(bomb).size).toBeLessThan(200_000);
    const before = await snapshot(notebook);
    const { loadJoplin } = await import('../../../electron/import/joplin-source');
    await expect(loadJoplin(bomb, { levels: ['internal'], fileMaxBytes: 1e6, archiveMaxBytes: 8 * 1024 * 1024 })).rejects.toThrow(
      /expands to more than/,
    );
    // With the real limit, tar's own decompression-ratio guard stops it first.
    await expect(run({ kind: 'joplin', path: bomb })).rejects.toThrow(/Not a readable Joplin export.*decompression ratio/);
    expect(await snapshot(notebook)).toBe(before);
  });

  it('imports an Evernote export: ENML to the note schema, resources by md5 as attachments; invalid XML is refused', async () => {
    const { notebook, engagement, run } = await setup();
    const dir = tempDir();
    const file = path.join(dir, 'runbooks.enex');
    fs.writeFileSync(
      file,
      enex([
        {
          title: 'Restart procedure',
          tags: ['Runbook', 'ops'],
          enml: '<h1>Restart</h1><div>Stop the <b>wombat</b> daemon&nbsp;first.</div><div><en-todo checked="true"/>Drain queue</div><ul><li>one</li><li>two</li></ul><en-media type="image/png" hash="HASH"/><table><tr><td>a</td><td>b</td></tr></table>',
          resources: [{ data: PNG, mime: 'image/png', name: 'screen.png' }],
        },
        { title: 'Second', enml: '<div>plain <a href="https://example.com">link</a></div>' },
      ]).replace('HASH', (await import('node:crypto')).createHash('md5').update(PNG).digest('hex')),
    );
    const report = await run({ kind: 'enex', path: file });
    expect(report).toMatchObject({ created: 2, attachments: 1, errors: 0 });
    const { notes } = await notebook.notes.list({ engagementId: engagement.id, sort: 'title' });
    const restart = notes.find((n) => n.title === 'Restart procedure');
    expect(restart).toMatchObject({ tags: ['ops', 'runbook'], createdAt: '2024-03-01T10:15:00.000Z' });
    const body = JSON.stringify(await bodyOf(notebook, restart?.id as string));
    expect(body).toContain('"type":"heading"');
    expect(body).toContain('"type":"bold"');
    expect(body).toContain('"type":"bulletList"');
    expect(body).toContain('"type":"table"');
    expect(body).toMatch(/"src":"attachments\/[0-9a-f]{64}"/);
    expect((await notebook.notes.search('wombat')).map((h) => h.note.id)).toEqual([restart?.id]);

    const bad = path.join(dir, 'bad.enex');
    fs.writeFileSync(bad, '<en-export><note><title>x</title></en-export>');
    const before = await snapshot(notebook);
    await expect(run({ kind: 'enex', path: bad })).rejects.toBeInstanceOf(OutpostError);
    const preview = await run({ kind: 'enex', path: bad, dryRun: true });
    expect(preview.files[0]?.issues[0]?.message).toMatch(/^Not valid XML/);
    expect(await snapshot(notebook)).toBe(before);
  });

  it('folders as engagements: each top folder becomes (or joins) an engagement, deeper folders are tags', async () => {
    const { notebook, run } = await setup();
    const vault = write(tempDir(), { 'Heron/a.md': 'A', 'Osprey/2023/b.md': 'B', 'root.md': 'R' });
    const report = await run({ kind: 'markdown', path: vault, folders: 'engagements' });
    expect(report).toMatchObject({ created: 3, newEngagements: ['Osprey'] });
    const rows = await notebook.db.query<{ title: string; codename: string; tags: string[] }>(
      'SELECT n.title, e.codename, n.tags FROM notes n JOIN engagements e ON e.id = n.engagement_id ORDER BY n.title',
    );
    expect(rows.rows).toEqual([
      { title: 'a', codename: 'HERON', tags: [] },
      { title: 'b', codename: 'Osprey', tags: ['2023'] },
      { title: 'root', codename: 'HERON', tags: [] },
    ]);
  });
});
