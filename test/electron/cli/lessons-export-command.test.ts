import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Notebook } from '../../../electron/notebook/notebook';
import { CLI_MODES, cli, setCliMode } from '../../helpers/cli';
import { type LessonsFixture, leaks, seedLessonsFixture } from '../../helpers/lessons-export-fixture';
import { migratedTemplate, tempDir } from '../../helpers/notebook';
import { isPdf, pdfText } from '../../helpers/pdf';

async function seeded(plant?: string): Promise<{ dir: string; f: LessonsFixture }> {
  const dir = tempDir();
  const notebook = await Notebook.open(dir, { kind: 'test', template: migratedTemplate() });
  try {
    const f = await seedLessonsFixture(notebook);
    if (plant) {
      const { updateLesson } = await import('../../../shared/lessons/doc');
      const { parseLessonRef } = await import('../../../shared/lessons/model');
      const { docIdFor } = await import('../../../shared/ids');
      const { engagementId, lessonId } = parseLessonRef(f.refs.l1);
      updateLesson(await notebook.docs.open(docIdFor('engagement', engagementId)), lessonId, { whatWorked: plant });
      await notebook.docs.flush();
    }
    return { dir, f };
  } finally {
    await notebook.close();
  }
}

describe.each(CLI_MODES)('outpost lessons export (%s)', { timeout: 120_000 }, (mode) => {
  beforeEach(() => setCliMode(mode));

  it('writes a sanitized Markdown folder of a playbook and prints every replacement', async () => {
    const { dir, f } = await seeded();
    const out = path.join(tempDir(), 'playbook');
    const run = await cli(dir, 'lessons', 'export', '--sanitize', '--format', 'md', '-o', out, '--playbook', f.playbookId);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Sanitized export of "Codename \d and Codename \d playbook": 2 lessons in 2 chapters, up to UNCLASSIFIED/);
    expect(run.stdout).toMatch(/Left out, above UNCLASSIFIED: 2 lessons/);
    expect(run.stdout).toMatch(/TERM\s+REPLACED BY\s+KIND\s+COUNT/);
    expect(run.stdout).toMatch(/Acme Logistics\s+Client [AB]\s+client/);
    expect(run.stdout).toContain(`Wrote the folder ${out} (3 files)`);
    const files = fs.readdirSync(out);
    expect(files).toContain('index.md');
    const text = files.map((name) => fs.readFileSync(path.join(out, name), 'utf8')).join('\n');
    expect(leaks(text)).toEqual([]);
    expect(text).toMatch(/^---\ntitle: "/m);
    // A second run into the same, now non-empty, folder is refused.
    const again = await cli(dir, 'lessons', 'export', '--sanitize', '--format', 'md', '-o', out, '--playbook', f.playbookId);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');
  });

  it('refuses while identifiers remain (stderr, exit 1, nothing written), then writes once each is replaced or allowed', async () => {
    const { dir, f } = await seeded('Ping 10.20.30.40 and erp01.acme.local, PO 4500012345, mail ops@acme-logistics.com.');
    const target = path.join(tempDir(), 'lessons.html');
    const refused = await cli(dir, 'lessons', 'export', '--sanitize', '--format', 'html', '-o', target, '--ref', f.refs.l1);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The final check still finds 4 identifiers');
    expect(refused.stderr).toMatch(/IP address: "10\.20\.30\.40"/);
    expect(refused.stderr).toMatch(/10\.20\.30\.40\s+IP address\s+1/);
    expect(refused.stderr).toContain('--replace "TEXT=PSEUDONYM"');
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(path.dirname(target))).toEqual([]);

    const dry = await cli(
      dir,
      'lessons',
      'export',
      '--sanitize',
      '--format',
      'html',
      '--dry-run',
      '--ref',
      f.refs.l1,
      '--replace',
      '10.20.30.40=IP-1',
      '--replace',
      'ops@acme-logistics.com=a shared mailbox',
      '--allow',
      '4500012345',
    );
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('still finds 1 identifier');
    expect(dry.stderr).toMatch(/Host name: "erp01\./);
    const host = /Host name: "([^"]+)"/.exec(dry.stderr)?.[1] as string;

    const ok = await cli(
      dir,
      'lessons',
      'export',
      '--sanitize',
      '--format',
      'html',
      '-o',
      target,
      '--ref',
      f.refs.l1,
      '--allow',
      '4500012345',
      '--allow',
      host,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const html = fs.readFileSync(target, 'utf8');
    expect(html).toContain('IP-1');
    expect(html).toContain('a shared mailbox');
    expect(leaks(html)).toEqual([]);
  });

  it('prints a PDF whose text holds pseudonyms and none of the planted names; --max-classification widens the cap', async () => {
    const { dir } = await seeded();
    const target = path.join(tempDir(), 'acme.pdf');
    const run = await cli(
      dir,
      'lessons',
      'export',
      '--sanitize',
      '--format',
      'pdf',
      '-o',
      target,
      '--engagement',
      'HERON',
      '--max-classification',
      'cui',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 lessons, up to CUI/);
    const bytes = new Uint8Array(fs.readFileSync(target));
    expect(isPdf(bytes)).toBe(true);
    const { text } = await pdfText(bytes);
    expect(text).toMatch(/Client [AB]/);
    expect(text).toContain('ERP-1');
    expect(leaks(text)).toEqual([]);
  });

  it('exports every lesson of the notebook unsanitized, and rejects bad usage', async () => {
    const { dir } = await seeded();
    const target = path.join(tempDir(), 'all.html');
    const run = await cli(dir, 'lessons', 'export', '--format', 'html', '-o', target, '--max-classification', 'SECRET');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Export of "Lessons learned": 4 lessons, up to SECRET/);
    expect(fs.readFileSync(target, 'utf8')).toContain('Acme Logistics');
    expect((await cli(dir, 'lessons', 'export', '--format', 'doc', '-o', target)).stderr).toContain('--format is md, html or pdf');
    expect((await cli(dir, 'lessons', 'export', '--format', 'md')).code).toBe(2);
    expect((await cli(dir, 'lessons', 'export', '--format', 'md', '-o', 'x', '--ref', 'nope')).stderr).toContain(
      'is not ENGAGEMENT:LESSON',
    );
    expect((await cli(dir, 'lessons', 'export', '--format', 'md', '-o', 'x', '--max-classification', 'TOP')).stderr).toContain(
      'not one of this notebook',
    );
    const help = await cli(dir, 'lessons', 'export', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('outpost lessons export [--sanitize] --format md|html|pdf -o PATH');
  });
});
