import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronPackage, planAfterInstall, planLaunch, probeElectronBinary } from '../../scripts/launch-plan.mjs';
import { tempDir } from '../helpers/notebook';

type ElectronState = { version: string; binary: string | null; expected: string | null };

/** The decisions behind `npm start` (scripts/launch-plan.mjs), from plain facts. */
const desktop = { DISPLAY: ':0' };
const missing: ElectronState = { version: '45.5.0', binary: null, expected: null };
const present = { version: '45.5.0', binary: '/opt/electron/electron', expected: '/opt/electron/electron' };

describe('planLaunch', () => {
  it('starts an installed binary with the arguments, and installs a missing one first', () => {
    expect(planLaunch({ args: ['--notebook', 'x'], env: desktop, platform: 'linux', electron: present })).toEqual({
      kind: 'electron',
      binary: '/opt/electron/electron',
      args: ['--notebook', 'x'],
    });
    expect(planLaunch({ args: ['a'], env: desktop, platform: 'linux', electron: missing })).toEqual({ kind: 'install', args: ['a'] });
    // macOS and Windows have a display without DISPLAY.
    expect(planLaunch({ args: [], env: {}, platform: 'darwin', electron: missing }).kind).toBe('install');
    expect(planLaunch({ args: [], env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux', electron: missing }).kind).toBe('install');
  });

  it('--browser wins over everything, is removed from the arguments and needs no reason', () => {
    expect(planLaunch({ args: ['--browser', '--port', '1'], env: desktop, platform: 'linux', electron: present })).toEqual({
      kind: 'browser',
      args: ['--port', '1'],
      reason: null,
    });
  });

  it('falls back with one line for each case that cannot or must not install', () => {
    const reason = (env: { [k: string]: string }, electron: ElectronState | null, platform = 'linux') =>
      planLaunch({ args: [], env, platform, electron });
    expect(reason({}, missing)).toMatchObject({ kind: 'browser', reason: expect.stringContaining('no graphical display') });
    expect(reason(desktop, null)).toMatchObject({ kind: 'browser', reason: expect.stringContaining('electron package is not installed') });
    expect(reason({ ...desktop, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, missing)).toMatchObject({
      kind: 'browser',
      reason: expect.stringContaining('ELECTRON_SKIP_BINARY_DOWNLOAD is set'),
    });
    expect(reason({ ...desktop, ELECTRON_OVERRIDE_DIST_PATH: '/x' }, { ...missing, expected: '/x/electron' })).toMatchObject({
      kind: 'browser',
      reason: expect.stringContaining('/x/electron does not exist'),
    });
    for (const env of [{}, { ...desktop, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }]) {
      const plan = reason(env, missing);
      expect(plan.kind === 'browser' && plan.reason?.split('\n')).toHaveLength(1);
    }
  });
});

describe('planAfterInstall', () => {
  it('starts what the installer left, or says the installer failed or left nothing', () => {
    expect(planAfterInstall({ args: ['x'], exitCode: 0, electron: present })).toEqual({
      kind: 'electron',
      binary: present.binary,
      args: ['x'],
    });
    expect(planAfterInstall({ args: [], exitCode: 1, electron: missing })).toMatchObject({
      kind: 'browser',
      reason: expect.stringContaining('installer failed (exit code 1; its message is above)'),
    });
    expect(planAfterInstall({ args: [], exitCode: null, electron: missing })).toMatchObject({
      reason: expect.stringContaining('(killed;'),
    });
    expect(planAfterInstall({ args: [], exitCode: 0, electron: missing })).toMatchObject({
      reason: expect.stringContaining('left no binary'),
    });
  });
});

describe('probeElectronBinary', () => {
  it("looks where Electron's own index.js looks: path.txt under dist/, or under ELECTRON_OVERRIDE_DIST_PATH", () => {
    const dir = tempDir();
    expect(probeElectronBinary(dir, {})).toEqual({ binary: null, expected: null });
    expect(probeElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' })).toEqual({ binary: null, expected: '/nowhere/electron' });
    fs.writeFileSync(path.join(dir, 'path.txt'), 'Electron.app/Contents/MacOS/Electron');
    const mac = path.join(dir, 'dist/Electron.app/Contents/MacOS/Electron');
    expect(probeElectronBinary(dir, {})).toEqual({ binary: null, expected: mac });
    fs.mkdirSync(path.dirname(mac), { recursive: true });
    fs.writeFileSync(mac, '');
    expect(probeElectronBinary(dir, {})).toEqual({ binary: mac, expected: mac });
  });

  it("finds this project's electron package and its version", () => {
    expect(findElectronPackage(path.resolve('.'))).toEqual({ dir: path.resolve('node_modules/electron'), version: '45.5.0' });
    expect(findElectronPackage(tempDir())).toBeNull();
  });
});
