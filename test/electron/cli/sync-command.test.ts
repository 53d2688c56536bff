import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Notebook } from '../../../electron/notebook/notebook';
import { readTeamKeyFile } from '../../../electron/sync/secret-files';
import { cli, notebookDir } from '../../helpers/cli';
import { tempDir } from '../../helpers/notebook';

/** What an import writes, counted: all of it or none of it must be there. */
async function counts(dir: string) {
  const nb = await Notebook.open(dir, { kind: 'test' });
  try {
    // Projections a kill left owed (the import commits first, lists and search catch up after) are
    // written when the notebook opens.
    await nb.docs.flush();
    const one = async (sql: string) => Number((await nb.db.query<{ n: number }>(sql)).rows[0]?.n);
    return {
      docs: await one('SELECT count(*)::int AS n FROM docs'),
      updates: await one('SELECT count(*)::int AS n FROM doc_updates'),
      notes: await one('SELECT count(*)::int AS n FROM notes'),
      received: await one("SELECT count(*)::int AS n FROM bundle_ledger WHERE direction = 'received'"),
      trusted: await one('SELECT count(*)::int AS n FROM trusted_devices'),
      owed: await one('SELECT count(*)::int AS n FROM projection_backlog'),
    };
  } finally {
    await nb.close();
  }
}

describe('outpost bundle (CLI)', () => {
  it('exports, inspects, previews and imports a bundle between two notebooks, then sends only what is missing', async () => {
    const [a, b, work] = [await notebookDir(), await notebookDir(), tempDir()];
    const key = path.join(work, 'team.key');
    expect((await cli(a, 'key', 'create', '-o', key)).stdout).toMatch(/Wrote team key [0-9a-f]{16}/);
    expect(await cli(a, 'key', 'create', '-o', key)).toMatchObject({ code: 1, stderr: expect.stringContaining('never overwritten') });
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);

    await cli(a, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON', '--ceiling', 'SECRET');
    const body = path.join(work, 'note.md');
    fs.writeFileSync(body, 'Scanners on dock 3 drop their session every 20 minutes.\n');
    await cli(
      a,
      'notes',
      'add',
      '--engagement',
      'HERON',
      '--type',
      'incident',
      '--title',
      'Dock 3 scanners',
      '--classification',
      'CUI',
      '--body-file',
      body,
    );
    fs.writeFileSync(body, 'Gateway moves to building QUARTZWING.\n');
    await cli(
      a,
      'notes',
      'add',
      '--engagement',
      'HERON',
      '--type',
      'decision',
      '--title',
      'Gateway move',
      '--classification',
      'SECRET',
      '--body-file',
      body,
    );

    const bundle = path.join(work, 'heron.outpost');
    const exported = await cli(
      a,
      'bundle',
      'export',
      '--engagement',
      'HERON',
      '--max-classification',
      'CUI',
      '--key-file',
      key,
      '-o',
      bundle,
    );
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toMatch(/2 documents, 0 attachments/);
    expect(exported.stdout).toContain('Withheld 1 document (notes, playbooks) marked above CUI');
    expect(fs.readFileSync(bundle).includes('QUARTZWING')).toBe(false);
    expect(await cli(a, 'bundle', 'export', '--engagement', 'HERON', '--key-file', key, '-o', bundle)).toMatchObject({ code: 1 });

    const inspected = await cli(b, 'bundle', 'inspect', bundle);
    expect(inspected.stdout).toContain('not trusted yet');
    expect(inspected.stdout).toContain('HERON (up to SECRET)');
    expect(inspected.stdout).toContain('Cap        CUI');

    const before = await counts(b);
    const refused = await cli(b, 'bundle', 'import', bundle, '--key-file', key);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not trust yet\. Key fingerprint: ([0-9a-f]{4} ){7}[0-9a-f]{4}/);
    const preview = await cli(b, 'bundle', 'import', bundle, '--key-file', key, '--trust', '--dry-run');
    expect(preview.stdout).toContain('Would import (dry run)');
    expect(preview.stdout).toContain('new      note “Dock 3 scanners”');
    expect(await counts(b)).toEqual(before);

    expect((await cli(b, 'bundle', 'import', bundle, '--key-file', key, '--trust')).stdout).toContain('new      engagement HERON');
    expect((await cli(b, 'notes', 'search', 'scanners')).stdout).toContain('Dock 3 scanners');
    expect((await cli(b, 'devices', 'list')).stdout).toMatch(/trusted/);
    expect((await cli(b, 'bundle', 'import', bundle, '--key-file', key)).stdout).toMatch(/imported before[\s\S]*Nothing new/);

    // B writes back; A sends only what B's "have" file lacks.
    const have = path.join(work, 'b.have');
    expect((await cli(b, 'have', 'export', '-o', have)).code).toBe(0);
    fs.writeFileSync(body, 'Firmware 4.2 fixes the drops.\n');
    await cli(
      a,
      'notes',
      'add',
      '--engagement',
      'HERON',
      '--type',
      'field-log',
      '--title',
      'Firmware',
      '--classification',
      'CUI',
      '--body-file',
      body,
    );
    const delta = path.join(work, 'delta.outpost');
    const second = await cli(
      a,
      'bundle',
      'export',
      '--engagement',
      'HERON',
      '--have',
      have,
      '--max-classification',
      'CUI',
      '--key-file',
      key,
      '-o',
      delta,
    );
    expect(second.stdout).toMatch(/1 document, 0 attachments/);
    expect(second.stdout).toContain('Left out 2 documents the peer already has');
    await cli(b, 'bundle', 'import', delta, '--key-file', key);
    expect((await cli(b, 'notes', 'list', '--json')).stdout).toContain('Firmware');
  }, 120_000);

  it('refuses bad command lines and secrets with a clear message', async () => {
    const [a, work] = [await notebookDir(), tempDir()];
    await cli(a, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    const short = path.join(work, 'pass');
    fs.writeFileSync(short, 'too short\n');
    const out = path.join(work, 'x.outpost');
    expect(await cli(a, 'bundle', 'export', '--engagement', 'HERON', '-o', out)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--passphrase-file'),
    });
    expect(await cli(a, 'bundle', 'export', '--engagement', 'HERON', '--passphrase-file', short, '-o', out)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('at least 12 characters'),
    });
    fs.writeFileSync(path.join(work, 'junk.outpost'), 'hello');
    expect(await cli(a, 'bundle', 'inspect', path.join(work, 'junk.outpost'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not an Outpost bundle'),
    });
    expect(fs.existsSync(out)).toBe(false);
    // A 2 GB file is refused before it is read (a sparse file: no disk used).
    const huge = path.join(work, 'huge.outpost');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, 2 * 1024 ** 3);
    expect(await cli(a, 'bundle', 'import', huge, '--passphrase-file', short)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('2.0 GB'),
    });
  });

  it('leaves the notebook as it was, or fully imported, when the import process is killed (SIGKILL)', async () => {
    const [a, work] = [await notebookDir(), tempDir()];
    const key = path.join(work, 'team.key');
    await cli(a, 'key', 'create', '-o', key);
    const bundle = path.join(work, 'big.outpost');
    const source = await Notebook.open(a, { kind: 'test' });
    try {
      const engagement = await source.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'SECRET' });
      const text = 'Pick waves stall when the ERP throttles the API. '.repeat(40);
      await source.notes.createMany(
        Array.from({ length: 600 }, (_, i) => ({
          engagementId: engagement.id,
          type: 'field-log' as const,
          title: `Shift ${i}`,
          markdown: text,
        })),
      );
      const result = await source.bundles.export({
        engagementIds: [engagement.id],
        delta: { kind: 'full' },
        secret: readTeamKeyFile(key),
        fileName: 'big.outpost',
      });
      fs.writeFileSync(bundle, result.bytes);
    } finally {
      await source.close();
    }
    const bin = path.resolve('bin/outpost.js');
    if (!fs.existsSync(path.resolve('dist/cli/outpost.js'))) throw new Error('dist/cli/outpost.js is missing: run npm run build first');
    const run = (dir: string, killAfterMs?: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [bin, '--notebook', dir, 'bundle', 'import', bundle, '--key-file', key, '--trust'], {
          stdio: 'ignore',
        });
        const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.on('exit', (code) => {
          if (timer) clearTimeout(timer);
          resolve(code);
        });
      });
    // How long a whole import takes here, then kills spread over it.
    const full = await notebookDir();
    const empty = await counts(full);
    const started = Date.now();
    expect(await run(full)).toBe(0);
    const duration = Date.now() - started;
    const imported = await counts(full);
    expect(imported.notes).toBe(600);
    for (const fraction of [0.5, 0.75, 0.9]) {
      const dir = await notebookDir();
      await run(dir, Math.round(duration * fraction));
      const after = await counts(dir);
      expect([empty, imported]).toContainEqual(after);
    }
  }, 180_000);
});
