import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { obsidianVault, write } from '../../fixtures/import-sources';
import { CLI_MODES, cli, notebookDir, setCliMode } from '../../helpers/cli';
import { tempDir } from '../../helpers/notebook';

async function withEngagement() {
  const dir = await notebookDir();
  expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON')).code).toBe(0);
  return dir;
}

const listJson = async (dir: string, engagement: string) =>
  JSON.parse((await cli(dir, 'notes', 'list', '--engagement', engagement, '--json')).stdout) as Array<{
    id: string;
    title: string;
    tags: string[];
  }>;

describe.each(CLI_MODES)('outpost import (%s)', (mode) => {
  beforeEach(() => setCliMode(mode));

  it('previews, imports with progress, finds the words at once, and re-imports without copies', async () => {
    const dir = await withEngagement();
    const vault = obsidianVault(tempDir());

    const dry = await cli(dir, 'import', 'obsidian', vault, '--engagement', 'HERON', '--dry-run');
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toMatch(/^Would import 3 notes from .*: 3 new, 0 updated, 0 unchanged/);
    expect(dry.stdout).toContain('1 unresolved, kept as text');
    expect(await listJson(dir, 'HERON')).toEqual([]);

    const run = await cli(dir, 'import', 'obsidian', vault, '--engagement', 'heron');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Imported 3 notes from .*: 3 new/);
    expect(run.stderr).toContain('notes indexed for search: 3 of 3');
    const notes = await listJson(dir, 'HERON');
    expect(notes.map((n) => n.title).sort()).toEqual(['Empty', 'Pump tuning', 'Welcome aboard']);
    const found = JSON.parse((await cli(dir, 'notes', 'search', 'zanzibar', '--json')).stdout) as Array<{ note: { title: string } }>;
    expect(found.map((hit) => hit.note.title)).toEqual(['Pump tuning']);

    const again = await cli(dir, 'import', 'obsidian', vault, '--engagement', 'HERON', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    write(vault, { 'Projects/Pump tuning.md': '# Settings\n\nKp is 0.9 now.\n' });
    expect((await cli(dir, 'import', 'obsidian', vault, '--engagement', 'HERON')).stdout).toMatch(/0 new, 1 updated, 2 unchanged/);
    expect(await listJson(dir, 'HERON')).toHaveLength(3);
  });

  it('refuses bad input with a message on stderr and writes nothing', async () => {
    const dir = await withEngagement();
    const vault = obsidianVault(tempDir());
    const both = await cli(dir, 'import', 'markdown', vault, '--engagement', 'HERON', '--new-engagement', 'KITE');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('Name one engagement');
    const missing = await cli(dir, 'import', 'markdown', path.join(vault, 'nope'), '--engagement', 'HERON');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nope/);
    const badEnex = path.join(tempDir(), 'broken.enex');
    fs.writeFileSync(badEnex, '<?xml version="1.0"?><en-export><note><title>x</title></en-export>');
    const broken = await cli(dir, 'import', 'enex', badEnex, '--new-engagement', 'KITE');
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/nothing was imported/i);
    // A refusal with a way out names it, for the dialog and for the command line.
    expect(broken.stderr).toContain('tick “Import what converts” in the Import notes dialog, or pass --skip-invalid');
    const kinds = await cli(dir, 'import', 'notion', vault, '--engagement', 'HERON');
    expect(kinds.code).not.toBe(0);
    expect(await listJson(dir, 'HERON')).toEqual([]);
    const engagements = JSON.parse((await cli(dir, 'engagements', 'list', '--json')).stdout) as Array<{ codename: string }>;
    expect(engagements.map((e) => e.codename)).toEqual(['HERON']);
  });

  it('re-imports its own Markdown export as the same notes: titles, tags, links and attachments', async () => {
    const dir = await withEngagement();
    const vault = obsidianVault(tempDir());
    expect((await cli(dir, 'import', 'obsidian', vault, '--engagement', 'HERON')).code).toBe(0);
    const out = path.join(tempDir(), 'export');
    expect((await cli(dir, 'notes', 'export', '--engagement', 'HERON', '--format', 'md', '-o', out)).code).toBe(0);
    const back = await cli(dir, 'import', 'markdown', out, '--new-engagement', 'HERON-COPY', '--json');
    // [[Nowhere]] had no target in the vault either: it stays text both times.
    expect(JSON.parse(back.stdout)).toMatchObject({ created: 3, links: 2, unresolvedLinks: 1, attachments: 2 });

    // Exported again, the copy reads the same: front matter (but its id and update time), body,
    // links by target file, attachments by content.
    const again = path.join(tempDir(), 'again');
    expect((await cli(dir, 'notes', 'export', '--engagement', 'HERON-COPY', '--format', 'md', '-o', again)).code).toBe(0);
    const read = (folder: string) =>
      Object.fromEntries(
        fs
          .readdirSync(folder)
          .filter((f) => f.endsWith('.md'))
          .map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8').replace(/^(id|updated): .*\n/gm, '')]),
      );
    const original = read(out);
    expect(original['welcome-aboard.md']).toContain('[[pump-tuning|the pump notes]]');
    expect(original['pump-tuning.md']).toContain('[[welcome-aboard|Start]]');
    expect(read(again)).toEqual(original);
    expect(fs.readdirSync(path.join(again, 'attachments')).sort()).toEqual(fs.readdirSync(path.join(out, 'attachments')).sort());
  });
});
