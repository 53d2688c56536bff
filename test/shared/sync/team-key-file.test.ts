import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTeamKeyFile, readTeamKeyFile } from '../../../electron/sync/secret-files';
import { decodeBytes } from '../../../shared/bytes';
import { parseTeamKeyFile } from '../../../shared/sync/team-key-file';
import { tempDir } from '../../helpers/notebook';

describe('team key files read in the renderer', () => {
  it('reads what `outpost key create` writes, with the same key the CLI reads', () => {
    const file = path.join(tempDir(), 'team.key');
    const keyId = createTeamKeyFile(file);
    const parsed = parseTeamKeyFile(fs.readFileSync(file, 'utf8'));
    expect(parsed.keyId).toBe(keyId);
    const cli = readTeamKeyFile(file);
    expect(cli.kind === 'team-key' && [...cli.key]).toEqual([...decodeBytes(parsed.key)]);
  });

  it('refuses other files and damaged keys', () => {
    const file = path.join(tempDir(), 'team.key');
    createTeamKeyFile(file);
    const good = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(() => parseTeamKeyFile('not json')).toThrow(/not an Outpost team key file/);
    expect(() => parseTeamKeyFile(JSON.stringify({ ...good, extra: 1 }))).toThrow(/not an Outpost team key file/);
    expect(() => parseTeamKeyFile(JSON.stringify({ ...good, keyId: '0000000000000000' }))).toThrow(/damaged/);
    expect(() => parseTeamKeyFile(JSON.stringify({ ...good, key: 'AAAA' }))).toThrow(/damaged/);
  });
});
