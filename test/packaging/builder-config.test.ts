import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderConfig, debugLogger, repoRoot } from '../helpers/packaging';

/** electron-builder.yml as electron-builder itself reads and validates it. */
async function loadConfig() {
  const config = await builderConfig.getConfig(repoRoot, null, null);
  await builderConfig.validateConfiguration(config, debugLogger());
  return config;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema check and names the app, its targets and its entry', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('dev.outpost.notebook');
    expect(config.productName).toBe('Outpost');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
    expect(config.publish).toBeNull();
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(config.extraMetadata?.main).toBe(pkg.main);
    expect(pkg.main).toBe('dist/electron/main.js');
    expect(pkg.scripts.dist).toBe('node scripts/build.mjs && electron-builder');
    // What the .deb target refuses to build without (app-builder-lib FpmTarget).
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect((config.linux as { maintainer?: string } | undefined)?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
  });

  it('packs dist/electron and dist/renderer into an asar with PGlite and tesseract.js unpacked, and no source maps', async () => {
    const config = await loadConfig();
    expect(config.asar).toBe(true);
    expect(config.files).toEqual([{ filter: ['dist/electron/**', 'dist/renderer/**', 'package.json', '!**/*.map'] }]);
    expect(config.asarUnpack).toEqual([
      'node_modules/@electric-sql/pglite/**',
      'node_modules/tesseract.js/**',
      'node_modules/tesseract.js-core/**',
      'node_modules/@tesseract.js-data/**',
    ]);
  });

  it('sets every Electron fuse that hardens a notebook holding client data', async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
      resetAdHocDarwinSignature: true,
    });
  });

  it('says why for each fuse (a comment above every key)', () => {
    const lines = fs.readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8').split('\n');
    const start = lines.indexOf('electronFuses:') + 1;
    const end = lines.findIndex((line, index) => index >= start && /^\S/.test(line));
    const section = lines.slice(start, end);
    const keys = section.map((line, index) => ({ line, index })).filter(({ line }) => /^ {2}\w+:/.test(line));
    expect(keys).toHaveLength(9);
    for (const { line, index } of keys) expect(section[index - 1], line).toMatch(/^ {2}# /);
  });
});
