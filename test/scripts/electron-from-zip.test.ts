import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ELECTRON_VERSION,
  type LauncherProject,
  type Mirror,
  makeLauncherProject,
  readRecord,
  runScript,
  startMirror,
  ZIP_NAME,
} from '../helpers/launcher-fixture';
import { tempDir } from '../helpers/notebook';

/**
 * `npm run electron:from-zip -- FILE` on a machine with no network: the real Electron installer,
 * fed from the zip through its cache, in a copy of the project (see launcher-fixture.ts).
 */
const mirrors: Mirror[] = [];
afterEach(async () => {
  for (const mirror of mirrors.splice(0)) await mirror.close();
});

/** A mirror the user's environment points at, which must never be asked for anything. */
async function tripwire(project: LauncherProject): Promise<{ mirror: Mirror; env: { [name: string]: string } }> {
  const mirror = await startMirror(project.zip);
  mirrors.push(mirror);
  return { mirror, env: { ELECTRON_MIRROR: mirror.url, npm_config_electron_mirror: mirror.url, ELECTRON_CUSTOM_DIR: 'elsewhere' } };
}

function carried(bytes: Uint8Array, name = ZIP_NAME): string {
  const file = path.join(tempDir('outpost-usb-'), name);
  fs.writeFileSync(file, bytes);
  return file;
}

const installed = (project: LauncherProject) => fs.existsSync(path.join(project.electronDir, 'path.txt'));

describe('npm run electron:from-zip', () => {
  it("installs Electron's binary from the carried zip without touching any network, and npm start then opens it", async () => {
    const project = makeLauncherProject();
    const { mirror, env } = await tripwire(project);
    const run = await runScript(project, 'electron-from-zip.mjs', [carried(project.zip)], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Electron ${ELECTRON_VERSION} is installed`);
    expect(mirror.requests).toEqual([]);
    expect(fs.readFileSync(path.join(project.electronDir, 'dist/version'), 'utf8')).toBe(`v${ELECTRON_VERSION}`);
    // Its temporary cache is gone.
    expect(fs.readdirSync(path.join(project.root, 'tmp'))).toEqual([]);

    await runScript(project, 'start.mjs', ['--notebook', 'nb'], { ...env, DISPLAY: ':0' });
    expect(readRecord(project)).toMatchObject({ mode: 'electron', argv: [project.root, '--notebook', 'nb'] });
    expect(mirror.requests).toEqual([]);
  });

  it('refuses a zip for another version or machine, naming the file it needs, and installs nothing', async () => {
    const project = makeLauncherProject();
    const other = process.arch === 'arm64' ? 'x64' : 'arm64';
    const run = await runScript(
      project,
      'electron-from-zip.mjs',
      [carried(project.zip, `electron-v${ELECTRON_VERSION}-${process.platform}-${other}.zip`)],
      {},
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `This machine needs ${ZIP_NAME} (Electron ${ELECTRON_VERSION} for ${process.platform}-${process.arch}), not electron-v${ELECTRON_VERSION}-${process.platform}-${other}.zip.`,
    );
    expect(installed(project)).toBe(false);
  });

  it('refuses a zip whose SHA-256 is not the one the electron package ships, and installs nothing', async () => {
    const project = makeLauncherProject();
    const tampered = project.zip.slice();
    const at = tampered.length - 30;
    tampered[at] = (tampered[at] ?? 0) ^ 0xff;
    const run = await runScript(project, 'electron-from-zip.mjs', [carried(tampered)], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is not the file Electron 45\.5\.0 published .*Nothing was installed\./);
    expect(installed(project)).toBe(false);
    expect(fs.existsSync(path.join(project.electronDir, 'dist'))).toBe(false);
  });

  it('says how to use it when called without a file, or with one that cannot be read', async () => {
    const project = makeLauncherProject();
    const bare = await runScript(project, 'electron-from-zip.mjs', [], {});
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('Usage: npm run electron:from-zip -- PATH/TO/electron-vVERSION-PLATFORM-ARCH.zip');
    const missing = await runScript(project, 'electron-from-zip.mjs', [path.join(project.root, ZIP_NAME)], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Cannot read .*ENOENT/);
  });
});
