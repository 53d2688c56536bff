import { describe, expect, it } from 'vitest';
import { diffMarkdown, groupVersions } from '../../../shared/notes/history';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 29, 8, minutes)).toISOString();

describe('note history', () => {
  it('groups local edits into sessions split by pauses and by imports, newest first', () => {
    const me = 'device-a';
    const versions = groupVersions([
      { seq: 1, receivedAt: at(0), deviceId: me, bundleId: null },
      { seq: 2, receivedAt: at(3), deviceId: me, bundleId: null },
      { seq: 3, receivedAt: at(9), deviceId: me, bundleId: null },
      { seq: 7, receivedAt: at(30), deviceId: me, bundleId: null }, // after a pause: a new session
      { seq: 8, receivedAt: at(31), deviceId: 'device-b', bundleId: 'bundle-1' },
      { seq: 9, receivedAt: at(31), deviceId: 'device-b', bundleId: 'bundle-1' },
      { seq: 10, receivedAt: at(32), deviceId: me, bundleId: null },
    ]);
    expect(versions.map((v) => [v.upto, v.kind, v.rows])).toEqual([
      [10, 'session', 1],
      [9, 'import', 2],
      [7, 'session', 1],
      [3, 'session', 3],
    ]);
  });

  it('diffs two versions line by line', () => {
    expect(diffMarkdown('a\nb\nc\n', 'a\nB\nc\n')).toEqual([
      { kind: 'same', text: 'a\n' },
      { kind: 'removed', text: 'b\n' },
      { kind: 'added', text: 'B\n' },
      { kind: 'same', text: 'c\n' },
    ]);
  });
});
