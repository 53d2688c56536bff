import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServicesWorker } from '../../electron/api/worker-client';
import { BulkWorker } from '../../electron/notes/bulk-worker-client';

import { attachmentUrl } from '../../shared/notes/nodes';
import { notesToBuild } from '../helpers/bulk-notes';
import { tempDir } from '../helpers/notebook';
import { asar, packLinuxDir, readFuses, repoRoot, standInElectronDist } from '../helpers/packaging';
import { closeScreens, screenshotOf } from '../helpers/screenshots';
import { until } from '../helpers/waiting';

afterAll(closeScreens);

/**
 * What `npm run dist` puts in the package, found by running electron-builder's own pipeline (its
 * file sets, node-module collection, asar and unpacking, fuses) on a stand-in Electron binary,
 * then reading the app.asar it wrote. Needs dist/ (npm run build).
 */
let unpacked: string;
let archive: string;
let entries: string[];
const distDir = path.join(repoRoot, 'dist');

beforeAll(async () => {
  if (!fs.existsSync(path.join(distDir, 'electron/services-worker.js'))) throw new Error('dist/ is missing: run npm run build first');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-pack-'));
  unpacked = await packLinuxDir(standInElectronDist(path.join(work, 'electron')), path.join(work, 'out'));
  archive = path.join(unpacked, 'resources/app.asar');
  entries = asar.listPackage(archive, { isPack: false }).map((entry) => entry.slice(1));
  return () => fs.rmSync(work, { recursive: true, force: true });
}, 180_000);

const isFile = (entry: string) => !('files' in asar.statFile(archive, entry, false));
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((dirent) => {
    if (!dirent.isFile()) return [];
    return [path.relative(repoRoot, path.join(dirent.parentPath, dirent.name))];
  });
}
/** Package folders in the asar: node_modules/NAME or node_modules/@SCOPE/NAME, nested ones too. */
function packagesInAsar(): Set<string> {
  const found = new Set<string>();
  for (const entry of entries) {
    const match = /^((?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/@]+)\/package\.json$/.exec(entry);
    if (match?.[1]) found.add(match[1]);
  }
  return found;
}

describe('the package npm run dist builds', () => {
  it('holds the app from dist/electron and dist/renderer and package.json, nothing else of the project', () => {
    const appFiles = entries.filter((entry) => !entry.startsWith('node_modules/') && isFile(entry)).sort();
    const expected = [...filesUnder(path.join(distDir, 'electron')), ...filesUnder(path.join(distDir, 'renderer'))]
      .filter((file) => !file.endsWith('.map'))
      .concat('package.json')
      .sort();
    expect(appFiles).toEqual(expected);
    expect(appFiles).toEqual(
      expect.arrayContaining([
        'dist/electron/main.js',
        'dist/electron/preload.cjs',
        'dist/electron/services-worker.js',
        'dist/electron/bulk-worker.js',
      ]),
    );
    expect(appFiles).toContain('dist/renderer/index.html');
    const packaged = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'));
    expect(packaged).toMatchObject({ name: 'outpost', productName: 'Outpost', main: 'dist/electron/main.js' });
  });

  it('has no source maps, tests, benchmarks, sources or development-only packages', () => {
    expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([]);
    for (const dir of ['test', 'bench', 'electron', 'renderer', 'shared', 'scripts', 'dist/cli', 'dist/web.js'])
      expect(
        entries.some((entry) => entry === dir || entry.startsWith(`${dir}/`)),
        dir,
      ).toBe(false);
    const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; version?: string }>;
    };
    const packaged = packagesInAsar();
    // By name and version: the packager hoists a runtime package's nested dependency (tar's
    // yallist 5) to the top, where the lock has a development-only one of the same name (yallist 4).
    const packagedVersion = (where: string) =>
      (JSON.parse(asar.extractFile(archive, `${where}/package.json`).toString('utf8')) as { version?: string }).version;
    const devOnly = Object.entries(lock.packages)
      .filter(([where, info]) => info.dev && packaged.has(where) && packagedVersion(where) === info.version)
      .map(([where, info]) => `${where}@${info.version}`);
    expect(devOnly).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    for (const name of Object.keys(pkg.dependencies)) expect(packaged.has(`node_modules/${name}`), name).toBe(true);
    expect(packaged.has('node_modules/electron')).toBe(false);
  });

  it("keeps PGlite's files outside the asar, as real files", () => {
    const wasm = 'node_modules/@electric-sql/pglite/dist/pglite.wasm';
    expect(asar.statFile(archive, wasm, false).unpacked).toBe(true);
    for (const file of ['pglite.wasm', 'pglite.data', 'initdb.wasm', 'index.js'])
      expect(fs.statSync(path.join(`${archive}.unpacked`, 'node_modules/@electric-sql/pglite/dist', file)).isFile(), file).toBe(true);
  });

  it("keeps tesseract.js's worker script, WASM core and English model outside the asar, as real files", () => {
    for (const file of [
      'node_modules/tesseract.js/src/worker-script/node/index.js',
      'node_modules/tesseract.js-core/tesseract-core-lstm.wasm',
      'node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz',
    ]) {
      expect(asar.statFile(archive, file, false).unpacked, file).toBe(true);
      expect(fs.statSync(path.join(`${archive}.unpacked`, file)).isFile(), file).toBe(true);
    }
  });

  it('flips the fuses electron-builder.yml asks for in the packaged binary', async () => {
    expect(await readFuses(path.join(unpacked, 'outpost'))).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  /**
   * Not imports of a package: esbuild's `<runtime>` marks tesseract.js asking `typeof require`
   * (which environment it runs in), and node-fetch (under tesseract.js) requires `encoding` inside a
   * try/catch, only to convert legacy charsets of fetched pages (never used: nothing is fetched).
   */
  const OPTIONAL_IMPORTS = new Set(['<runtime>', 'encoding']);

  it('resolves every import of the packaged main, preload and services worker inside the package', async () => {
    const app = tempDir('outpost-asar-');
    asar.extractAll(archive, app);
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    for (const [entry, allowed] of [
      ['dist/electron/main.js', ['electron']],
      ['dist/electron/services-worker.js', []],
      ['dist/electron/bulk-worker.js', []],
      // A sandboxed preload can require nothing but electron.
      ['dist/electron/preload.cjs', ['electron']],
    ] as const) {
      const result = await esbuild({
        entryPoints: [path.join(app, entry)],
        absWorkingDir: app,
        bundle: true,
        write: false,
        platform: 'node',
        format: entry.endsWith('.cjs') ? 'cjs' : 'esm',
        external: [...allowed],
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(
        inputs.filter((input) => input.startsWith('..') || path.isAbsolute(input)),
        entry,
      ).toEqual([]);
      const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
      const outside = imports
        .filter((imported) => imported.external && !builtins.has(imported.path) && !OPTIONAL_IMPORTS.has(imported.path))
        .map((imported) => imported.path);
      expect(new Set(outside), entry).toEqual(new Set(allowed.filter((name) => outside.includes(name))));
      if (entry.endsWith('.cjs'))
        expect(imports.filter((imported) => imported.external).map((imported) => imported.path)).toEqual(['electron']);
    }
  });

  it('runs the notebook services from the packaged files alone (a worker thread, as the app does)', async () => {
    const app = tempDir('outpost-asar-');
    asar.extractAll(archive, app);
    const services = await startServicesWorker(path.join(app, 'dist/electron/services-worker.js'), {
      notebookDir: tempDir(),
      kind: 'app',
      templatePath: inject('templatePath'),
    });
    try {
      const session = services.connect(() => {});
      const created = await session.call('engagements.create', { client: 'Acme', codename: 'HERON' });
      expect(created).toMatchObject({ ok: true, value: { codename: 'HERON' } });
      const id = (created as { value: { id: string } }).value.id;
      const note = await session.call('notes.create', { engagementId: id, type: 'incident', title: 'Dates arrive as strings' });
      expect(note).toMatchObject({ ok: true, value: { title: 'Dates arrive as strings' } });
      // A screenshot in a note is read by OCR from the packaged tesseract.js files (its own worker thread).
      const png = await screenshotOf(['Gateway PELICANDRIFT refused the session'], { width: 700, height: 140 });
      const begun = (await session.call('attachments.begin', { name: 'screen.png', mime: 'image/png', size: png.length })) as {
        value: { uploadId: string };
      };
      const { uploadId } = begun.value;
      await session.call('attachments.chunk', { uploadId, index: 0, data: Buffer.from(png).toString('base64') });
      const stored = (await session.call('attachments.commit', { uploadId })) as { value: { sha256: string } };
      await session.call('notes.create', {
        engagementId: id,
        type: 'general',
        title: 'Gateway screen',
        markdown: `![screen.png](${attachmentUrl(stored.value.sha256)})`,
      });
      await until(async () => {
        const status = (await session.call('ocr.status', {})) as { value: { done: number; failed: number } };
        return status.value.done + status.value.failed === 1;
      }, 60_000);
      expect(await session.call('ocr.status', {})).toMatchObject({ value: { done: 1, failed: 0 } });
      await until(async () => {
        const found = (await session.call('notes.search', { query: 'pelicandrift' })) as { value: { hits: unknown[] } };
        return found.value.hits.length === 1;
      }, 20_000);
    } finally {
      await services.close();
    }
    // Bulk writes: the packaged worker starts from its file beside the services, builds notes and makes their vectors.
    const vectors = new BulkWorker({ url: pathToFileURL(path.join(app, 'dist/electron/bulk-worker.js')) });
    try {
      expect(await vectors.whenReady()).toBe(true);
      const notes = Array.from({ length: 20 }, (_, i) => ({ title: `Gateway ${i}`, tags: ['edge'], body: 'refused the session' }));
      expect((await vectors.vectors(notes))?.[0]).toEqual([
        "'0':2A 'edg':3B 'gateway':1A 'refus':4C 'session':6C",
        "'0':2A 'edg':3B 'gateway':1A 'refus':4C 'session':6C",
        "'0':2A 'edg':3B 'gateway':1A",
      ]);
      const built = await vectors.buildNotes(notesToBuild(), ['notes', 'error_signatures'], '2026-12-04T00:00:00.000Z');
      expect(built?.[0]?.rows[0]).toMatchObject({ title: 'Pump 0', body: 'pressure dropped\nORA-12170: TNS:Connect timeout occurred' });
    } finally {
      await vectors.stop();
    }
  });
});
