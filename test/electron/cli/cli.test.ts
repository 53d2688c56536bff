import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { Notebook } from '../../../electron/notebook/notebook';
import { CLI_MODES, cli, cliWithStdin, notebookDir, setCliMode, withNotebook } from '../../helpers/cli';

describe.each(CLI_MODES)('outpost CLI (%s)', (mode) => {
  beforeEach(() => setCliMode(mode));

  it('creates, lists, shows, edits and archives engagements', async () => {
    const dir = await notebookDir();
    const created = await cli(
      dir,
      'engagements',
      'create',
      '--client',
      'Acme Logistics',
      '--codename',
      'HERON',
      '--site',
      'Reno DC',
      '--json',
    );
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout);

    const list = await cli(dir, 'engagements', 'list');
    expect(list.stdout).toMatch(/CODENAME\s+CLIENT/);
    expect(list.stdout).toMatch(/HERON\s+Acme Logistics\s+Reno DC\s+Planned\s+UNCLASSIFIED/);

    expect((await cli(dir, 'engagements', 'edit', 'heron', '--status', 'active', '--start', '2026-03-01')).code).toBe(0);
    const shown = await cli(dir, 'engagements', 'show', id, '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, status: 'active', startDate: '2026-03-01' });
    expect((await cli(dir, 'engagements', 'show', 'HERON')).stdout).toContain('Client:     Acme Logistics');

    expect((await cli(dir, 'engagements', 'archive', 'HERON')).code).toBe(0);
    expect(JSON.parse((await cli(dir, 'engagements', 'list', '--json')).stdout)).toEqual([]);
    expect(JSON.parse((await cli(dir, 'engagements', 'list', '--all', '--json')).stdout)).toHaveLength(1);
  });

  it('rejects bad flags and bad values on stderr with a non-zero exit, changing nothing', async () => {
    const dir = await notebookDir();
    await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    const bad: Array<[string[], number, RegExp]> = [
      [['engagements', 'create', '--client', 'Acme'], 2, /Missing --codename/],
      [['engagements', 'create', '--client', 'A', '--codename', 'B', '--colour', 'red'], 2, /Unknown option '--colour'/],
      [['engagements', 'create', '--client', '', '--codename', 'B'], 1, /Name the client/],
      [['engagements', 'create', '--client', 'A', '--codename', 'B', '--start', '2026-13-01'], 1, /date/],
      [['engagements', 'create', '--client', 'A', '--codename', 'heron'], 1, /already exists/],
      [['engagements', 'create', '--client', 'A', '--codename', 'B', '--ceiling', 'ULTRA'], 1, /Unknown classification level/],
      [['engagements', 'create', '--client', 'A', '--codename', 'B', '--status', 'done'], 1, /Status is one of/],
      [['engagements', 'show'], 2, /Missing engagement/],
      [['engagements', 'show', 'nope'], 1, /No engagement with id or codename "nope"/],
      [['engagements', 'edit', 'HERON'], 2, /Nothing to change/],
      [['engagements', 'list', '--sort', 'random'], 2, /--sort is one of/],
      [['engagements', 'frobnicate'], 2, /Unknown command "engagements frobnicate"/],
      [['teleport'], 2, /Unknown command "teleport"/],
      [['levels', 'set', 'lower'], 1, /capital letters/],
    ];
    for (const [args, code, pattern] of bad) {
      const result = await cli(dir, ...args);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr).toMatch(pattern);
      expect(result.stdout).toBe('');
    }
    const list = JSON.parse((await cli(dir, 'engagements', 'list', '--all', '--json')).stdout);
    expect(list.map((e: { codename: string }) => e.codename)).toEqual(['HERON']);
  });

  it('doctor reports a healthy notebook, a damaged projection, and a missing notebook', async () => {
    const dir = await notebookDir();
    await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    const healthy = await cli(dir, 'doctor', '--json');
    expect(healthy.code).toBe(0);
    expect(JSON.parse(healthy.stdout).checks.map((c: { name: string }) => c.name)).toEqual([
      'lock',
      'schema',
      'device',
      'documents',
      'projections',
    ]);

    await withNotebook(dir, (notebook) => notebook.db.query(`UPDATE engagements SET client = 'tampered'`));
    const damaged = await cli(dir, 'doctor');
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toMatch(/FAIL\s+projections: .* differs from its update log/);

    const rebuilt = await cli(dir, 'projections', 'rebuild');
    expect(rebuilt.stdout).toBe(
      'Rebuilt engagements: 1 rows\nRebuilt notes: 0 rows\nRebuilt lessons: 0 rows\nRebuilt playbooks: 0 rows\nRebuilt error_signatures: 0 rows\n',
    );
    expect((await cli(dir, 'doctor')).code).toBe(0);
    expect(JSON.parse((await cli(dir, 'engagements', 'show', 'HERON', '--json')).stdout).client).toBe('Acme');

    setCliMode('direct'); // a holder would make the notebook it is asked about
    const missing = await cli(path.join(dir, 'nothing-here'), 'doctor');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/no notebook database/);
    expect(fs.existsSync(path.join(dir, 'nothing-here'))).toBe(false);
  });

  it('adds notes from Markdown (file or stdin), lists, shows, searches and exports them', async () => {
    const dir = await notebookDir();
    await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON', '--ceiling', 'CONFIDENTIAL');
    const file = path.join(dir, 'incident.md');
    fs.writeFileSync(file, '# Symptom\n\nPicks arrive **late** after the ERP throttles us.\n');
    const added = await cli(
      dir,
      'notes',
      'add',
      '--engagement',
      'heron',
      '--type',
      'incident',
      '--title',
      'Late picks',
      '--tags',
      'erp, Latency',
      '--classification',
      'CUI',
      '--body-file',
      file,
      '--json',
    );
    expect(added.code).toBe(0);
    const note = JSON.parse(added.stdout);
    expect(note).toMatchObject({ title: 'Late picks', tags: ['erp', 'latency'], classification: 'CUI', type: 'incident' });
    const piped = await cliWithStdin(
      dir,
      '- [ ] call IT\n',
      'notes',
      'add',
      '--engagement',
      'HERON',
      '--type',
      'field-log',
      '--title',
      'Log',
      '--body-file',
      '-',
    );
    expect(piped.code).toBe(0);

    expect((await cli(dir, 'notes', 'list', '--engagement', 'HERON')).stdout).toMatch(
      /Late picks\s+Incident \/ debug session\s+CUI\s+erp,latency/,
    );
    const shown = await cli(dir, 'notes', 'show', 'late picks');
    expect(shown.stdout).toContain('Picks arrive **late** after the ERP throttles us.');
    const search = await cli(dir, 'notes', 'search', 'throttle', '--json');
    expect(JSON.parse(search.stdout).map((h: { note: { id: string } }) => h.note.id)).toEqual([note.id]);
    expect((await cli(dir, 'notes', 'search', '"""')).stdout).toBe('No notes match.\n');

    const out = path.join(dir, 'export');
    expect((await cli(dir, 'notes', 'export', '--engagement', 'HERON', '--format', 'md', '-o', out)).stdout).toBe(
      `Exported 2 notes to ${out}\n`,
    );
    const exported = fs.readFileSync(path.join(out, 'late-picks.md'), 'utf8');
    expect(exported).toMatch(/^---\nid: .+\ntitle: "Late picks"\ntype: incident\nclassification: "CUI"\ntags: \["erp", "latency"\]/);
    expect((await cli(dir, 'notes', 'export', '--engagement', 'HERON', '--format', 'md', '-o', out)).stderr).toMatch(/is not empty/);
  });

  it('refuses bad note input without writing anything', async () => {
    const dir = await notebookDir();
    await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON', '--ceiling', 'CUI');
    const bad: Array<[string[], number, RegExp]> = [
      [['notes', 'add', '--engagement', 'HERON', '--type', 'memo', '--body-file', '-'], 2, /--type is one of/],
      [['notes', 'add', '--engagement', 'HERON', '--type', 'incident'], 2, /Missing --body-file/],
      [
        ['notes', 'add', '--engagement', 'HERON', '--type', 'incident', '--body-file', '/nonexistent.md'],
        1,
        /Cannot read \/nonexistent.md: ENOENT/,
      ],
      [
        ['notes', 'add', '--engagement', 'HERON', '--type', 'incident', '--classification', 'SECRET', '--body-file', '-'],
        1,
        /ceiling is CUI/,
      ],
      [['notes', 'add', '--engagement', 'NOPE', '--type', 'incident', '--body-file', '-'], 1, /No engagement/],
      [['notes', 'add', '--engagement', 'HERON', '--type', 'incident', '--tags', 'a#b', '--body-file', '-'], 1, /commas, # or line breaks/],
      [['notes', 'export', '--engagement', 'HERON', '--format', 'pdf', '-o', '/tmp/x'], 2, /--format is one of md/],
      [['notes', 'show', 'nothing'], 1, /No note with id or title "nothing"/],
    ];
    for (const [args, code, pattern] of bad) {
      const result = await cli(dir, ...args);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr).toMatch(pattern);
    }
    expect(JSON.parse((await cli(dir, 'notes', 'list', '--json')).stdout)).toEqual([]);
  });
});

describe('outpost CLI, only when nobody holds the notebook', () => {
  it('refuses a notebook held by another process with exit code 3 (doctor names the holder)', async () => {
    const dir = await notebookDir();
    const holder = await Notebook.open(dir, { kind: 'web host' });
    try {
      const list = await cli(dir, 'engagements', 'list');
      expect(list.code).toBe(3);
      expect(list.stderr).toContain(`already open by web host process ${process.pid}`);
      const doctor = await cli(dir, 'doctor');
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/FAIL\s+lock: held by web host process/);
    } finally {
      await holder.close();
    }
  });

  it('runs as a real process through bin/outpost.js (the built CLI)', async () => {
    const dir = await notebookDir();
    const bin = path.resolve('bin/outpost.js');
    if (!fs.existsSync(path.resolve('dist/cli/outpost.js'))) throw new Error('dist/cli/outpost.js is missing: run npm run build first');
    const run = promisify(execFile);
    const env = { ...process.env, OUTPOST_NOTEBOOK: dir };
    await run(process.execPath, [bin, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON'], { env });
    const { stdout } = await run(process.execPath, [bin, 'engagements', 'list', '--json'], { env });
    expect(JSON.parse(stdout)[0].codename).toBe('HERON');
    const failed = await run(process.execPath, [bin, 'engagements', 'show', 'nope'], { env }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('outpost: No engagement with id or codename "nope"\n');
  });
});
