import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import { CLI_MODES, cli, notebookDir, setCliMode } from '../../helpers/cli';
import { tempDir } from '../../helpers/notebook';
import { isPdf, pdfText } from '../../helpers/pdf';

const EVIL = '<script>alert(1)</script>';

async function engagementWithPeople() {
  const dir = await notebookDir();
  expect((await cli(dir, 'engagements', 'create', '--client', 'Acme <Logistics>', '--codename', 'HERON', '--ceiling', 'CUI')).code).toBe(0);
  const maria = await cli(
    dir,
    'stakeholders',
    'add',
    '--engagement',
    'heron',
    '--name',
    'Maria Lopez',
    '--role',
    'Operations director',
    '--kind',
    'operations',
    '--fluency',
    '2',
    '--systems',
    'WMS, pick-to-light',
    '--json',
  );
  expect(maria.stderr).toBe('');
  expect(maria.code).toBe(0);
  expect(
    (await cli(dir, 'stakeholders', 'add', '--engagement', 'HERON', '--name', 'Dev Patel', '--role', 'ERP admin', '--kind', 'it-security'))
      .code,
  ).toBe(0);
  return { dir, mariaId: JSON.parse(maria.stdout).id as string };
}

describe.each(CLI_MODES)('outpost stakeholders / cards / brief (%s)', { timeout: 90_000 }, (mode) => {
  beforeEach(() => setCliMode(mode));

  it('adds and lists stakeholders, as a table and as JSON', async () => {
    const { dir, mariaId } = await engagementWithPeople();
    const table = await cli(dir, 'stakeholders', 'list', '--engagement', 'HERON');
    expect(table.stdout).toMatch(/NAME\s+ROLE\s+ORGANISATION\s+KIND/);
    expect(table.stdout).toMatch(/Dev Patel\s+ERP admin\s+IT \/ security/);
    const list = JSON.parse((await cli(dir, 'stakeholders', 'list', '--engagement', 'HERON', '--json')).stdout);
    expect(list.map((s: { name: string }) => s.name)).toEqual(['Dev Patel', 'Maria Lopez']);
    expect(list[1]).toMatchObject({ id: mariaId, kind: 'operations', fluency: 2, systems: ['WMS', 'pick-to-light'], duplicateName: false });
  });

  it('refuses bad input with a clear message and changes nothing', async () => {
    const { dir } = await engagementWithPeople();
    const dup = await cli(dir, 'stakeholders', 'add', '--engagement', 'HERON', '--name', '  maria LOPEZ ', '--role', 'x');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('A stakeholder called "Maria Lopez" already exists');
    const kind = await cli(dir, 'stakeholders', 'add', '--engagement', 'HERON', '--name', 'X', '--kind', 'boss');
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('--kind is one of executive, operations');
    expect((await cli(dir, 'stakeholders', 'add', '--engagement', 'HERON', '--name', 'Y', '--fluency', '9')).code).toBe(2);
    expect((await cli(dir, 'stakeholders', 'add', '--engagement', 'HERON', '--role', 'r')).stderr).toContain('Missing --name');
    const long = await cli(dir, 'stakeholders', 'add', '--engagement', 'HERON', '--name', 'Z', '--notes', 'x'.repeat(10_001));
    expect(long.code).toBe(1);
    expect(long.stderr).toContain('Notes is at most 10,000 characters');
    const unknownEngagement = await cli(dir, 'stakeholders', 'list', '--engagement', 'NOPE');
    expect(unknownEngagement.stderr).toContain('No engagement with id or codename "NOPE"');
    expect(JSON.parse((await cli(dir, 'stakeholders', 'list', '--engagement', 'HERON', '--json')).stdout)).toHaveLength(2);
  });

  it('writes a Markdown and an HTML brief with markup in fields kept as text', async () => {
    const { dir } = await engagementWithPeople();
    const card = await cli(
      dir,
      'cards',
      'add',
      '--engagement',
      'HERON',
      '--title',
      `Late picks ${EVIL}`,
      '--severity',
      'high',
      '--finding',
      'p99 > 2 s',
      '--json',
    );
    const cardId = JSON.parse(card.stdout).id as string;
    const render = await cli(
      dir,
      'cards',
      'render',
      cardId,
      '--engagement',
      'HERON',
      '--stakeholder',
      'maria lopez',
      '--explanation',
      `Pick suggestions arrive late. ${EVIL}`,
      '--impact',
      'About 40 late picks a day.',
      '--ask',
      'Approve a Sunday change window.',
    );
    expect(render.stderr).toBe('');
    const out = tempDir();
    const md = await cli(
      dir,
      'brief',
      '--engagement',
      'HERON',
      '--stakeholder',
      'Maria Lopez',
      '--format',
      'md',
      '-o',
      path.join(out, 'b.md'),
    );
    expect(md.stderr).toBe('');
    expect(md.stdout).toContain('Wrote Briefing for Maria Lopez (1 card)');
    const mdText = fs.readFileSync(path.join(out, 'b.md'), 'utf8');
    expect(mdText).toContain('# Briefing for Maria Lopez');
    expect(mdText).toContain('Pick suggestions arrive late. &lt;script&gt;alert(1)&lt;/script&gt;');
    const html = await cli(dir, 'brief', '--engagement', 'HERON', '--stakeholder', 'Maria Lopez', '-o', path.join(out, 'b.html'));
    expect(html.code).toBe(0);
    const htmlText = fs.readFileSync(path.join(out, 'b.html'), 'utf8');
    expect(htmlText).toContain('Late picks &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(htmlText).not.toContain('<script>');
    expect(htmlText).toContain('Acme &lt;Logistics&gt;');
    // Dev has no rendering: a clear error, and no file.
    const none = await cli(
      dir,
      'brief',
      '--engagement',
      'HERON',
      '--stakeholder',
      'Dev Patel',
      '--format',
      'html',
      '-o',
      path.join(out, 'dev.html'),
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Nothing to brief');
    expect(fs.existsSync(path.join(out, 'dev.html'))).toBe(false);
  });

  it('refuses an unknown stakeholder, card or format, naming who exists', async () => {
    const { dir } = await engagementWithPeople();
    const out = tempDir();
    const unknown = await cli(
      dir,
      'brief',
      '--engagement',
      'HERON',
      '--stakeholder',
      'Nobody',
      '--format',
      'md',
      '-o',
      path.join(out, 'x.md'),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No stakeholder "Nobody" in this engagement');
    expect(unknown.stderr).toContain('Stakeholders: Dev Patel, Maria Lopez');
    expect(
      (await cli(dir, 'brief', '--engagement', 'HERON', '--stakeholder', 'Dev Patel', '--format', 'docx', '-o', path.join(out, 'x'))).code,
    ).toBe(2);
    expect((await cli(dir, 'brief', '--engagement', 'HERON', '--format', 'md', '-o', path.join(out, 'x.md'))).stderr).toContain(
      'Give either --stakeholder NAME or --audience KIND',
    );
    const card = await cli(
      dir,
      'brief',
      '--engagement',
      'HERON',
      '--stakeholder',
      'Dev Patel',
      '--cards',
      'nope',
      '--format',
      'md',
      '-o',
      path.join(out, 'x.md'),
    );
    expect(card.stderr).toContain('No translation card with id nope');
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('prints a PDF brief with the system Chromium; the file is a PDF holding the text', async () => {
    const { dir } = await engagementWithPeople();
    const card = JSON.parse((await cli(dir, 'cards', 'add', '--engagement', 'HERON', '--title', 'Late picks', '--json')).stdout)
      .id as string;
    await cli(
      dir,
      'cards',
      'render',
      card,
      '--engagement',
      'HERON',
      '--audience',
      'operations',
      '--explanation',
      'During the morning peak, pick suggestions arrive late.',
      '--ask',
      'Raise one limit.',
    );
    const file = path.join(tempDir(), 'brief.pdf');
    const result = await cli(dir, 'brief', '--engagement', 'HERON', '--stakeholder', 'Maria Lopez', '--format', 'pdf', '-o', file);
    expect(result.stderr).toBe('');
    const bytes = new Uint8Array(fs.readFileSync(file));
    expect(isPdf(bytes)).toBe(true);
    const { text, pages } = await pdfText(bytes);
    expect(pages).toBe(1);
    expect(text).toContain('Briefing for Maria Lopez');
    expect(text).toContain('During the morning peak, pick suggestions arrive late.');
    expect(text).toContain('Raise one limit.');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['brief.pdf']);
  }, 60_000);

  it('says clearly when Chromium is missing for a PDF', async () => {
    const { dir } = await engagementWithPeople();
    const card = JSON.parse((await cli(dir, 'cards', 'add', '--engagement', 'HERON', '--title', 'Late picks', '--json')).stdout)
      .id as string;
    await cli(dir, 'cards', 'render', card, '--engagement', 'HERON', '--stakeholder', 'Maria Lopez', '--explanation', 'Late.');
    let stderr = '';
    const out = path.join(tempDir(), 'brief.pdf');
    // The PDF is printed where the notebook is open: by the CLI itself (its environment names the
    // Chromium), or by the holder, with the Chromium of the holder's environment.
    const missing = { OUTPOST_CHROMIUM: '/nonexistent/chromium' };
    const before = process.env.OUTPOST_CHROMIUM;
    if (mode === 'host') process.env.OUTPOST_CHROMIUM = missing.OUTPOST_CHROMIUM;
    try {
      const code = await runCli(
        ['--notebook', dir, 'brief', '--engagement', 'HERON', '--stakeholder', 'Maria Lopez', '--format', 'pdf', '-o', out],
        {
          stdout: () => {},
          stderr: (t) => {
            stderr += t;
          },
          readStdin: async () => new Uint8Array(),
          env: mode === 'direct' ? missing : {},
        },
      );
      expect(code).toBe(1);
    } finally {
      if (before === undefined) delete process.env.OUTPOST_CHROMIUM;
      else process.env.OUTPOST_CHROMIUM = before;
    }
    expect(stderr).toContain('OUTPOST_CHROMIUM names /nonexistent/chromium, which does not exist');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
  });

  it('removes a stakeholder; their card keeps the rendering under their name', async () => {
    const { dir } = await engagementWithPeople();
    const card = JSON.parse((await cli(dir, 'cards', 'add', '--engagement', 'HERON', '--title', 'Late picks', '--json')).stdout)
      .id as string;
    await cli(
      dir,
      'cards',
      'render',
      card,
      '--engagement',
      'HERON',
      '--stakeholder',
      'Dev Patel',
      '--explanation',
      'Throttled.',
      '--status',
      'delivered',
      '--via',
      'email',
    );
    expect((await cli(dir, 'stakeholders', 'remove', '--engagement', 'HERON', 'Dev Patel')).code).toBe(0);
    const cards = JSON.parse((await cli(dir, 'cards', 'list', '--engagement', 'HERON', '--json')).stdout);
    expect(cards[0].renderings[0]).toMatchObject({
      audienceLabel: 'Dev Patel',
      audienceGone: true,
      status: 'delivered',
      deliveredVia: 'email',
    });
    expect((await cli(dir, 'cards', 'list', '--engagement', 'HERON')).stdout).toContain('Dev Patel: delivered');
  });
});
