import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI_MODES, cli, cliWithStdin, notebookDir, setCliMode } from '../../helpers/cli';
import { javaOdbcTimeout, vars } from '../../shared/debugging/corpus';

describe.each(CLI_MODES)('outpost seen (%s)', (mode) => {
  beforeEach(() => setCliMode(mode));

  it('prints the notes that met the same error, with their resolution; withholds above the ceiling; refuses empty input', async () => {
    const dir = await notebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON', '--ceiling', 'SECRET')).code).toBe(0);
    expect((await cli(dir, 'engagements', 'create', '--client', 'Kestrel', '--codename', 'KITE', '--ceiling', 'CUI')).code).toBe(0);
    const body = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-seen-')), 'incident.md');
    fs.writeFileSync(body, `\`\`\`\n${javaOdbcTimeout(vars(1))}\n\`\`\`\n\n## Resolution\n\nRaise the ODBC timeout to 300 s.\n`);
    const add = (title: string, classification: string) =>
      cli(
        dir,
        'notes',
        'add',
        '--engagement',
        'HERON',
        '--type',
        'incident',
        '--title',
        title,
        '--classification',
        classification,
        '--body-file',
        body,
      );
    expect((await add('Nightly import times out', 'CUI')).code).toBe(0);
    expect((await add('NIGHTJAR vault outage', 'SECRET')).code).toBe(0);

    const found = await cliWithStdin(dir, javaOdbcTimeout(vars(5)), 'seen', '--engagement', 'KITE');
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toContain('HERON · “Nightly import times out”');
    expect(found.stdout).toContain('same error');
    expect(found.stdout).toContain('Resolution: Raise the ODBC timeout to 300 s.');
    expect(found.stdout).toContain('1 match in notes or lessons marked SECRET, above CUI: withheld.');
    expect(found.stdout).not.toContain('NIGHTJAR');

    const json = JSON.parse((await cliWithStdin(dir, javaOdbcTimeout(vars(6)), 'seen', '--engagement', 'HERON', '--json')).stdout);
    expect(json.matches.map((m: { title: string }) => m.title).sort()).toEqual(['NIGHTJAR vault outage', 'Nightly import times out']);

    // No engagement named: only the lowest level shows, and the way out is named.
    const bare = await cliWithStdin(dir, javaOdbcTimeout(vars(7)), 'seen');
    expect(bare.stdout).toContain('Not seen before in this notebook.');
    expect(bare.stdout).toContain('--engagement X');

    expect((await cliWithStdin(dir, 'all quiet today\n', 'seen')).stdout).toContain('No error found in the input');
    const wrongLimit = await cliWithStdin(dir, 'x', 'seen', '--limit', '0');
    expect(wrongLimit.code).not.toBe(0);
    expect(wrongLimit.stderr).toContain('--limit');
  });
});
