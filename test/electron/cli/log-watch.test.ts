import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import { CLI_MODES, cli, cliWithStdin, notebookDir, setCliMode, withNotebook } from '../../helpers/cli';

async function fieldLog(dir: string) {
  const notes = JSON.parse((await cli(dir, 'notes', 'list', '--type', 'field-log', '--json')).stdout);
  return notes as Array<{ id: string; title: string; engagementId: string }>;
}

describe.each(CLI_MODES)('outpost log (%s)', (mode) => {
  beforeEach(() => setCliMode(mode));

  it('appends timestamped lines and code blocks to today’s field log of the engagement named, else the one last shown', async () => {
    const dir = await notebookDir();
    await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    await cli(dir, 'engagements', 'create', '--client', 'Borealis', '--codename', 'KITE');
    const logged = await cli(dir, 'log', 'Wave', '3', 'released', 'late', '--engagement', 'HERON');
    expect(logged.code).toBe(0);
    expect(logged.stdout).toMatch(/^Logged to “Field log \d{4}-\d{2}-\d{2}” of HERON at \d{2}:\d{2}\n$/);

    const trace = 'java.sql.SQLTimeoutException: ORA-01013\n\tat oracle.jdbc.driver.T4CTTIoer.processError(T4CTTIoer.java:494)\n';
    expect((await cliWithStdin(dir, trace, 'log', '--code', '--lang', 'java', '--engagement', 'heron')).code).toBe(0);
    expect((await cliWithStdin(dir, 'first line\nsecond line\n', 'log', '--engagement', 'HERON')).code).toBe(0);

    const [log] = await fieldLog(dir);
    const shown = (await cli(dir, 'notes', 'show', log?.id as string)).stdout;
    expect(shown).toMatch(/\d{2}:\d{2} — Wave 3 released late/);
    expect(shown).toContain(
      '```java\njava.sql.SQLTimeoutException: ORA-01013\n\tat oracle.jdbc.driver.T4CTTIoer.processError(T4CTTIoer.java:494)\n```',
    );
    expect(shown).toMatch(/\d{2}:\d{2} — first line\n\nsecond line/);

    // No --engagement: the one last shown in the app (KITE), not the last created or edited.
    const kite = JSON.parse((await cli(dir, 'engagements', 'show', 'KITE', '--json')).stdout);
    await withNotebook(dir, (notebook) => notebook.settings.setLastShownEngagement(kite.id));
    expect((await cli(dir, 'log', 'Dock door 4 sensor flapping')).stdout).toContain('of KITE');
    expect((await fieldLog(dir)).map((n) => n.engagementId)).toContain(kite.id);
  });

  it('attaches input too long to paste, and refuses binary or empty input without writing', async () => {
    const dir = await notebookDir();
    await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    const big = `${'2026-12-03T10:00:00Z INFO wave released picks=1200\n'.repeat(200_000)}`; // ≈ 10 MB
    const attached = await cliWithStdin(dir, big, 'log', '--code', '--engagement', 'HERON');
    expect(attached.code).toBe(0);
    expect(attached.stdout).toMatch(/^9\.\d MB attached as output-\d{4}-\d{2}-\d{2}-\d{4}\.txt to “Field log/);
    const [log] = await fieldLog(dir);
    const shown = (await cli(dir, 'notes', 'show', log?.id as string)).stdout;
    expect(shown).toMatch(/\[📎 output-.*\.txt\]\(attachments\/[0-9a-f]{64}\)/);

    const before = (await cli(dir, 'notes', 'show', log?.id as string)).stdout;
    const refusals: Array<[string | Uint8Array, string[], RegExp]> = [
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), ['log', '--engagement', 'HERON'], /binary data \(NUL bytes\)/],
      [Buffer.from([0xc3, 0x28]), ['log', '--code', '--engagement', 'HERON'], /not UTF-8 text/],
      ['   \n', ['log', '--engagement', 'HERON'], /Nothing to log/],
      ['x', ['log', '--lang', 'java', '--engagement', 'HERON'], /--lang goes with --code/],
      ['x', ['log', '--engagement', 'NOPE'], /No engagement/],
    ];
    for (const [stdin, args, pattern] of refusals) {
      const result = await cliWithStdin(dir, stdin, ...args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(pattern);
    }
    expect((await cli(dir, 'notes', 'show', log?.id as string)).stdout).toBe(before);
    expect(await fieldLog(dir)).toHaveLength(1);
  });
});

describe('outpost watch', () => {
  it('prints notes created and edited by others as they land, as JSON lines, until stopped', async () => {
    const dir = await notebookDir();
    setCliMode('host');
    await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON');
    let out = '';
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const watching = runCli(['--notebook', dir, 'watch', '--json'], {
      stdout: (t) => {
        out += t;
      },
      stderr: () => {},
      readStdin: async () => new Uint8Array(),
      env: {},
      stopSignal: stopped,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await cli(dir, 'log', 'Pump 2 tripped', '--engagement', 'HERON');
    const events = async () =>
      out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    await expect
      .poll(events, { timeout: 10_000 })
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'note', change: 'created', engagement: 'HERON', title: expect.stringMatching(/^Field log/) }),
        ]),
      );
    stop();
    expect(await watching).toBe(0);
  });

  it('waits for the app when nothing holds the notebook, and never opens it itself', async () => {
    const dir = await notebookDir();
    let err = '';
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const watching = runCli(['--notebook', dir, 'watch'], {
      stdout: () => {},
      stderr: (t) => {
        err += t;
      },
      readStdin: async () => new Uint8Array(),
      env: {},
      stopSignal: stopped,
    });
    await expect.poll(() => err).toContain('Waiting for the app to open');
    // The notebook stays free: a direct CLI command still opens it.
    expect((await cli(dir, 'engagements', 'list')).code).toBe(0);
    stop();
    expect(await watching).toBe(0);
  });
});
