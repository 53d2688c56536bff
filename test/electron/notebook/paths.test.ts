import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultNotebookDir, resolveNotebookDir } from '../../../electron/notebook/paths';

describe('notebook location', () => {
  it('uses each OS’s per-user data folder', () => {
    expect(defaultNotebookDir('linux', {}, '/home/ana')).toBe('/home/ana/.local/share/outpost/notebook');
    expect(defaultNotebookDir('linux', { XDG_DATA_HOME: '/data' }, '/home/ana')).toBe('/data/outpost/notebook');
    expect(defaultNotebookDir('linux', { XDG_DATA_HOME: 'relative' }, '/home/ana')).toBe('/home/ana/.local/share/outpost/notebook');
    expect(defaultNotebookDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Outpost/notebook');
    expect(defaultNotebookDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toContain('Outpost');
  });

  it('prefers --notebook, then OUTPOST_NOTEBOOK', () => {
    expect(resolveNotebookDir('/flag', { OUTPOST_NOTEBOOK: '/env' })).toBe('/flag');
    expect(resolveNotebookDir(undefined, { OUTPOST_NOTEBOOK: '/env' })).toBe('/env');
    expect(resolveNotebookDir('relative/nb', {})).toBe(path.resolve('relative/nb'));
  });
});
