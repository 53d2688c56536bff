import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closedMirrorUrl,
  ELECTRON_VERSION,
  type Mirror,
  makeLauncherProject,
  readRecord,
  runScript,
  standInElectronDist,
  startMirror,
  ZIP_NAME,
} from '../helpers/launcher-fixture';

/**
 * `npm start` (scripts/start.mjs) in a copy of the project whose `electron` package is the real
 * one, with a stand-in release zip on a loopback mirror and stand-ins for the Electron binary and
 * for browser mode that record how they were started. Nothing here needs the real binary.
 */
const mirrors: Mirror[] = [];
afterEach(async () => {
  for (const mirror of mirrors.splice(0)) await mirror.close();
});

async function mirrorFor(zip: Uint8Array): Promise<Mirror> {
  const mirror = await startMirror(zip);
  mirrors.push(mirror);
  return mirror;
}

const display = { DISPLAY: ':0' };
const reasonLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('Starting browser mode'));

describe('npm start', () => {
  it("starts Electron's binary (ELECTRON_OVERRIDE_DIST_PATH) on the app folder with the user's arguments and environment", async () => {
    const project = makeLauncherProject();
    const mirror = await mirrorFor(project.zip);
    const run = await runScript(project, 'start.mjs', ['--notebook', '/tmp/acme notes', '--verbose'], {
      ...display,
      ELECTRON_OVERRIDE_DIST_PATH: standInElectronDist(),
      ELECTRON_MIRROR: mirror.url,
      OUTPOST_MARKER: 'passed through',
      ELECTRON_RUN_AS_NODE: '1',
      STAND_IN_EXIT: '3',
    });
    const record = readRecord(project);
    expect(record?.mode).toBe('electron');
    // The app folder, whose package.json names dist/electron/main.js, then the user's arguments.
    expect(record?.argv).toEqual([project.root, '--notebook', '/tmp/acme notes', '--verbose']);
    expect(JSON.parse(fs.readFileSync(path.join(record?.argv[0] ?? '', 'package.json'), 'utf8')).main).toBe('dist/electron/main.js');
    expect(record?.env).toEqual({ OUTPOST_MARKER: 'passed through' });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('');
    expect(mirror.requests).toEqual([]);
  });

  it("with no binary, runs Electron's own installer, then starts what it installed; the next start downloads nothing", async () => {
    const project = makeLauncherProject();
    const mirror = await mirrorFor(project.zip);
    const env = { ...display, ELECTRON_MIRROR: mirror.url, electron_config_cache: path.join(project.root, 'cache') };
    const first = await runScript(project, 'start.mjs', ['--notebook', 'nb'], env);
    expect(first.stdout).toContain("getting it with Electron's own installer");
    expect(mirror.requests).toEqual([`/v${ELECTRON_VERSION}/${ZIP_NAME}`]);
    expect(fs.readFileSync(path.join(project.electronDir, 'path.txt'), 'utf8')).toBe('electron');
    expect(readRecord(project)).toMatchObject({ mode: 'electron', argv: [project.root, '--notebook', 'nb'] });
    expect(first.code).toBe(0);
    expect(reasonLines(first.stderr)).toEqual([]);

    fs.rmSync(project.recordFile);
    const second = await runScript(project, 'start.mjs', [], env);
    expect(second.stdout).not.toContain('installer');
    expect(mirror.requests).toHaveLength(1);
    expect(readRecord(project)).toMatchObject({ mode: 'electron', argv: [project.root] });
  });

  it('with no binary and a failing installer (no network), falls back to browser mode with one line saying why and what to run', async () => {
    const project = makeLauncherProject();
    const run = await runScript(project, 'start.mjs', ['--port', '4100'], {
      ...display,
      ELECTRON_MIRROR: await closedMirrorUrl(),
      electron_config_cache: path.join(project.root, 'cache'),
    });
    expect(readRecord(project)).toMatchObject({ mode: 'browser', argv: ['--port', '4100'] });
    expect(run.code).toBe(0);
    // The installer's own error is shown, then exactly one line of ours.
    expect(run.stderr).toMatch(/fetch failed|ECONNREFUSED/);
    const [reason, ...others] = reasonLines(run.stderr);
    expect(others).toEqual([]);
    expect(reason).toMatch(/^Starting browser mode: Electron 45\.5\.0's installer failed \(exit code 1; its message is above\)\./);
    expect(reason).toContain('node node_modules/electron/install.js');
    expect(reason).toContain('npm run electron:from-zip');
    expect(fs.existsSync(path.join(project.electronDir, 'path.txt'))).toBe(false);
  });

  it('--browser chooses browser mode even where Electron is installed, and says nothing about it', async () => {
    const project = makeLauncherProject();
    const run = await runScript(project, 'start.mjs', ['--notebook', 'nb', '--browser'], {
      ...display,
      ELECTRON_OVERRIDE_DIST_PATH: standInElectronDist(),
    });
    expect(readRecord(project)).toMatchObject({ mode: 'browser', argv: ['--notebook', 'nb'] });
    expect(run.stderr).toBe('');
  });

  it('ELECTRON_SKIP_BINARY_DOWNLOAD skips the installer and says so in one line', async () => {
    const project = makeLauncherProject();
    const mirror = await mirrorFor(project.zip);
    const run = await runScript(project, 'start.mjs', [], { ...display, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_MIRROR: mirror.url });
    expect(mirror.requests).toEqual([]);
    expect(readRecord(project)?.mode).toBe('browser');
    expect(reasonLines(run.stderr)).toEqual([
      expect.stringMatching(/^Starting browser mode: ELECTRON_SKIP_BINARY_DOWNLOAD is set, .*node node_modules\/electron\/install\.js/),
    ]);
  });

  it('an ELECTRON_OVERRIDE_DIST_PATH without a binary, or a binary the OS will not run, falls back with the reason', async () => {
    const project = makeLauncherProject();
    const mirror = await mirrorFor(project.zip);
    const empty = standInElectronDist();
    fs.rmSync(path.join(empty, 'electron'));
    const missing = await runScript(project, 'start.mjs', [], {
      ...display,
      ELECTRON_OVERRIDE_DIST_PATH: empty,
      ELECTRON_MIRROR: mirror.url,
    });
    expect(reasonLines(missing.stderr)).toEqual([expect.stringContaining(`${path.join(empty, 'electron')} does not exist`)]);
    expect(mirror.requests).toEqual([]);
    expect(readRecord(project)?.mode).toBe('browser');

    fs.rmSync(project.recordFile);
    const notExecutable = standInElectronDist();
    fs.chmodSync(path.join(notExecutable, 'electron'), 0o644);
    const refused = await runScript(project, 'start.mjs', ['--x'], { ...display, ELECTRON_OVERRIDE_DIST_PATH: notExecutable });
    expect(reasonLines(refused.stderr)).toEqual([expect.stringMatching(/could not start \(EACCES\)/)]);
    expect(readRecord(project)).toMatchObject({ mode: 'browser', argv: ['--x'] });
  });

  it.runIf(process.platform === 'linux')('on Linux with no display, starts browser mode and says why', async () => {
    const project = makeLauncherProject();
    const run = await runScript(project, 'start.mjs', [], { ELECTRON_OVERRIDE_DIST_PATH: standInElectronDist() });
    expect(reasonLines(run.stderr)).toEqual([expect.stringContaining('DISPLAY and WAYLAND_DISPLAY are unset')]);
    expect(readRecord(project)?.mode).toBe('browser');
  });
});
