import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readTeamKeyFile } from '../../../electron/sync/secret-files';
import { docIdFor } from '../../../shared/ids';
import { CLI_MODES, type CliMode, cli, notebookDir, setCliMode, withNotebook } from '../../helpers/cli';
import { tempDir } from '../../helpers/notebook';

/** What an import writes, counted: all of it or none of it must be there. */
async function counts(dir: string) {
  return withNotebook(dir, async (nb) => {
    // Projections a kill left owed (the import commits first, lists and search catch up after) are
    // written when the notebook opens (or, in a holder, when its writes are flushed).
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
  });
}

type Counts = Awaited<ReturnType<typeof counts>>;

/**
 * What the notebook holds once nothing is under way. Directly, the killed CLI took its work with it.
 * Beside a holder, an import the killed CLI started runs on in the holder: every reading until it is
 * done must already be all or nothing, and the holder keeps answering.
 */
async function settled(dir: string, mode: CliMode, importMs: number, [empty, imported]: [Counts, Counts]): Promise<Counts> {
  if (mode === 'direct') return counts(dir);
  const until = Date.now() + importMs * 3 + 5_000;
  let reading = await counts(dir);
  for (;;) {
    expect([empty, imported]).toContainEqual(reading);
    if (reading.notes === imported.notes || Date.now() > until) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
    reading = await counts(dir);
  }
  expect((await cli(dir, 'engagements', 'list', '--all', '--json')).code).toBe(0);
  return reading;
}

describe.each(CLI_MODES)('outpost bundle (CLI, %s)', (mode) => {
  beforeEach(() => setCliMode(mode));

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
    // The way out is named for both: the UI's checkbox and the flag.
    expect(refused.stderr).toContain('tick “Trust this device”');
    expect(refused.stderr).toContain('pass --trust to outpost bundle import');
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

  it('carries a bundle of several pieces (a 3 MB attachment) through the CLI, byte for byte', async () => {
    const [a, b, work] = [await notebookDir(), await notebookDir(), tempDir()];
    const key = path.join(work, 'team.key');
    await cli(a, 'key', 'create', '-o', key);
    await cli(a, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    const data = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
    const sha256 = await withNotebook(a, async (notebook) => {
      const [engagement] = await notebook.engagements.list({});
      const note = await notebook.notes.create({
        engagementId: engagement?.id as string,
        type: 'incident',
        title: 'Core dump',
        markdown: 'x',
      });
      const dump = await notebook.attachments.put('core.bin', 'application/octet-stream', data);
      const doc = await notebook.docs.open(docIdFor('note', note.id));
      doc.transact(() => {
        const node = new Y.XmlElement('attachment');
        node.setAttribute('sha', dump.sha256);
        node.setAttribute('name', dump.name);
        (doc.getXmlFragment('body') as Y.XmlFragment).push([node]);
      });
      await notebook.docs.flush();
      return dump.sha256;
    });
    const bundle = path.join(work, 'heron.outpost');
    const exported = await cli(a, 'bundle', 'export', '--engagement', 'HERON', '--key-file', key, '-o', bundle, '--json');
    expect(exported.stderr).toBe('');
    const summary = JSON.parse(exported.stdout);
    expect(summary).toMatchObject({ file: bundle, docs: 2, attachments: 1 });
    expect(fs.statSync(bundle).size).toBe(summary.bytes);
    expect(summary.bytes).toBeGreaterThan(3 * 1024 * 1024);
    expect(fs.statSync(bundle).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(work).sort()).toEqual(['heron.outpost', 'team.key']);

    const imported = await cli(b, 'bundle', 'import', bundle, '--key-file', key, '--trust', '--json');
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)).toMatchObject({ applied: true, attachments: { received: 1, new: 1 } });
    const copy = await withNotebook(b, async (notebook) => (await notebook.attachments.read(sha256))?.data);
    expect(copy && Buffer.from(copy).equals(Buffer.from(data))).toBe(true);
  }, 120_000);

  it('lists and resolves fields two devices set at once, and revokes a device by name', async () => {
    const [a, b, work] = [await notebookDir(), await notebookDir(), tempDir()];
    const key = path.join(work, 'team.key');
    await cli(a, 'key', 'create', '-o', key);
    await cli(a, 'device', 'name', 'Ana laptop');
    await cli(a, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    const send = async (name: string) => {
      const file = path.join(work, name);
      expect((await cli(a, 'bundle', 'export', '--engagement', 'HERON', '--key-file', key, '-o', file)).code).toBe(0);
      return cli(b, 'bundle', 'import', file, '--key-file', key, '--trust');
    };
    expect((await send('1.outpost')).code).toBe(0);
    expect((await cli(b, 'conflicts', 'list')).stdout).toBe('No concurrent field changes to review.\n');
    // Both rename the client before they meet again.
    await cli(a, 'engagements', 'edit', 'HERON', '--client', 'Acme A');
    await cli(b, 'engagements', 'edit', 'HERON', '--client', 'Acme B');
    const second = await send('2.outpost');
    expect(second.stdout).toContain('were set on both sides at once');
    const listed = await cli(b, 'conflicts', 'list');
    expect(listed.stdout).toMatch(/ID\s+WHERE\s+FIELD\s+SHOWN\s+OVERWRITTEN\s+FROM\s+STATUS/);
    const [conflict] = JSON.parse((await cli(b, 'conflicts', 'list', '--json')).stdout);
    expect(conflict).toMatchObject({ label: 'HERON', resolution: null });
    expect([conflict.kept, conflict.overwritten].sort()).toEqual(['Acme A', 'Acme B']);
    expect(await cli(b, 'conflicts', 'resolve', String(conflict.id), '--keep', 'neither')).toMatchObject({ code: 2 });
    expect(await cli(b, 'conflicts', 'resolve', 'first', '--keep', 'other')).toMatchObject({ code: 2 });
    const restored = await cli(b, 'conflicts', 'resolve', String(conflict.id), '--keep', 'other');
    expect(restored.stdout).toContain(`Restored ${JSON.stringify(conflict.overwritten)} for ${conflict.path} of HERON`);
    expect(JSON.parse((await cli(b, 'engagements', 'show', 'HERON', '--json')).stdout).client).toBe(conflict.overwritten);
    expect((await cli(b, 'conflicts', 'list')).stdout).toBe('No concurrent field changes to review.\n');
    expect(JSON.parse((await cli(b, 'conflicts', 'list', '--all', '--json')).stdout)).toMatchObject([{ resolution: 'restored' }]);

    expect((await cli(b, 'devices', 'list')).stdout).toMatch(/Ana laptop\s+(\S+ ){8}\s*\d{4}-\d\d-\d\d\s+trusted/);
    expect(await cli(b, 'devices', 'revoke', 'Nobody')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No known device "Nobody"'),
    });
    expect((await cli(b, 'devices', 'revoke', 'ana LAPTOP')).stdout).toMatch(/^Revoked Ana laptop \([0-9a-f-]{36}\)/);
    expect(JSON.parse((await cli(b, 'devices', 'list', '--json')).stdout)[0].revokedAt).not.toBeNull();
    const refused = await send('3.outpost');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/revoked/);
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
    fs.writeFileSync(path.join(work, 'empty.outpost'), '');
    expect(await cli(a, 'bundle', 'inspect', path.join(work, 'empty.outpost'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is empty: it is not an Outpost bundle'),
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
    await withNotebook(a, async (source) => {
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
    });
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
    await cli(full, 'info'); // in host mode, the holder the spawned CLI sends its calls to
    const empty = await counts(full);
    const started = Date.now();
    expect(await run(full)).toBe(0);
    const duration = Date.now() - started;
    const imported = await counts(full);
    expect(imported.notes).toBe(600);
    for (const fraction of [0.5, 0.75, 0.9]) {
      const dir = await notebookDir();
      await cli(dir, 'info');
      await run(dir, Math.round(duration * fraction));
      expect([empty, imported]).toContainEqual(await settled(dir, mode, duration, [empty, imported]));
    }
  }, 240_000);
});
