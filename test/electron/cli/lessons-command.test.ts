import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI_MODES, cli, notebookDir, setCliMode } from '../../helpers/cli';
import { tempDir } from '../../helpers/notebook';

describe.each(CLI_MODES)('outpost lessons / playbooks (%s)', { timeout: 120_000 }, (mode) => {
  beforeEach(() => setCliMode(mode));

  it('adds lessons from a Markdown body file, lists, finds similar ones and merges them', async () => {
    const dir = await notebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON', '--ceiling', 'CUI')).code).toBe(0);
    expect((await cli(dir, 'engagements', 'create', '--client', 'Borealis', '--codename', 'KITE')).code).toBe(0);
    const body = path.join(tempDir(), 'lesson.md');
    fs.writeFileSync(
      body,
      [
        'The nightly export shifted by an hour after the DST change.',
        '',
        '## Root cause',
        'The ERP export job runs in local time.',
        '',
        '## Recommendation',
        'Ask for the export job timezone on day one and normalise timestamps to UTC at ingestion.',
        '',
        '## Who was on call',
        'Dana',
      ].join('\n'),
    );
    const added = await cli(
      dir,
      'lessons',
      'add',
      '--engagement',
      'heron',
      '--title',
      'Check the ERP export timezone before reconciling',
      '--skill-area',
      'Data pipeline engineering',
      '--body-file',
      body,
      '--tags',
      'ERP, timezones',
      '--applies-to',
      'system:database,protocol:SOAP',
      '--industry',
      'Logistics',
      '--json',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const a = JSON.parse(added.stdout);
    expect(a).toMatchObject({ engagementCodename: 'HERON', tags: ['erp', 'timezones'], appliesTo: ['system:database', 'protocol:SOAP'] });
    expect(a.classification).toBe('CUI');
    expect(a.snippet).toContain('Ask for the export job timezone');

    const second = await cli(
      dir,
      'lessons',
      'add',
      '--engagement',
      'KITE',
      '--title',
      'Check the ERP export time zone before reconciling',
      '--skill-area',
      'Data pipeline engineering',
      '--body-file',
      body,
      '--json',
    );
    const b = JSON.parse(second.stdout);
    expect(
      (
        await cli(
          dir,
          'lessons',
          'add',
          '--engagement',
          'KITE',
          '--title',
          'Brief the plant manager',
          '--skill-area',
          'Stakeholder communication',
        )
      ).stdout,
    ).toMatch(/^Added lesson "Brief the plant manager" to KITE/);

    const listed = await cli(dir, 'lessons', 'list', '--skill-area', 'Data pipeline engineering');
    expect(listed.stdout).toMatch(/TITLE\s+SKILL AREA\s+ENGAGEMENT/);
    expect(listed.stdout).toContain('HERON');
    expect(listed.stdout).not.toContain('Brief the plant manager');
    const searched = JSON.parse((await cli(dir, 'lessons', 'list', '--query', 'plant', '--json')).stdout);
    expect(searched.map((l: { title: string }) => l.title)).toEqual(['Brief the plant manager']);
    expect(JSON.parse((await cli(dir, 'lessons', 'list', '--engagement', 'heron', '--json')).stdout)).toHaveLength(1);

    const similar = JSON.parse((await cli(dir, 'lessons', 'similar', '--json')).stdout);
    expect(similar).toHaveLength(1);
    expect([similar[0].a.ref, similar[0].b.ref].sort()).toEqual([a.ref, b.ref].sort());
    expect((await cli(dir, 'lessons', 'similar', '--threshold', '0.99')).stdout).toContain('No similar lessons');

    const merged = await cli(dir, 'lessons', 'merge', a.ref, b.ref);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toMatch(/^Merged 1 lesson into "Check the ERP export timezone/);
    expect(JSON.parse((await cli(dir, 'lessons', 'list', '--json')).stdout)).toHaveLength(2);
    expect(JSON.parse((await cli(dir, 'lessons', 'list', '--include-merged', '--json')).stdout)).toHaveLength(3);
    expect((await cli(dir, 'doctor')).code).toBe(0);
  });

  it('refuses bad input with a clear message and writes nothing', async () => {
    const dir = await notebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON', '--ceiling', 'CUI')).code).toBe(0);
    const base = ['lessons', 'add', '--engagement', 'HERON', '--title', 'T'];
    const noSkill = await cli(dir, ...base);
    expect(noSkill.code).toBe(2);
    expect(noSkill.stderr).toContain('Missing --skill-area');
    const above = await cli(dir, ...base, '--skill-area', 'Production debugging', '--classification', 'SECRET');
    expect(above.code).toBe(1);
    expect(above.stderr).toContain("engagement's ceiling is CUI");
    const applies = await cli(dir, ...base, '--skill-area', 'Production debugging', '--applies-to', 'database');
    expect(applies.code).toBe(1);
    expect(applies.stderr).toContain('system:<kind>');
    const missingFile = await cli(dir, ...base, '--skill-area', 'X', '--body-file', '/nonexistent/lesson.md');
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toContain('Cannot read /nonexistent/lesson.md');
    expect((await cli(dir, 'lessons', 'add', '--engagement', 'NOPE', '--title', 'T', '--skill-area', 'X')).code).toBe(1);
    expect((await cli(dir, 'lessons', 'similar', '--threshold', '2')).code).toBe(2);
    const badRef = await cli(dir, 'lessons', 'merge', 'a', 'b');
    expect(badRef.code).toBe(1);
    expect(badRef.stderr).toContain('lesson reference');
    expect((await cli(dir, 'lessons', 'merge', 'only-one')).code).toBe(2);
    expect((await cli(dir, 'lessons', 'frobnicate')).code).toBe(2);
    expect((await cli(dir, 'playbooks', 'create', '--title', '   ')).code).toBe(1);
    expect(JSON.parse((await cli(dir, 'lessons', 'list', '--json')).stdout)).toEqual([]);
    expect(JSON.parse((await cli(dir, 'playbooks', 'list', '--json')).stdout)).toEqual([]);
  });

  it('creates and lists playbooks, and shows the usage', async () => {
    const dir = await notebookDir();
    const created = await cli(dir, 'playbooks', 'create', '--title', 'New hire: first deployment');
    expect(created.stdout).toMatch(/^Created playbook "New hire: first deployment"/);
    const list = await cli(dir, 'playbooks', 'list');
    expect(list.stdout).toMatch(/New hire: first deployment\s+0\s+0/);
    const help = await cli(dir, 'lessons', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('outpost lessons add --engagement X');
    expect((await cli(dir, '--help')).stdout).toMatch(/^ {2}lessons +lessons learned across engagements/m);
  });
});
