import { describe, expect, it } from 'vitest';
import { lessonService } from '../../../electron/api/lesson-handlers';
import { SeenBefore } from '../../../electron/debugging/seen-before';
import { openTempNotebook } from '../../helpers/notebook';
import { javaOdbcTimeout, pythonKey, vars } from '../../shared/debugging/corpus';

const fenced = (text: string) => `\`\`\`\n${text}\n\`\`\`\n`;

async function seeded() {
  const notebook = await openTempNotebook();
  const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'SECRET' });
  const kite = await notebook.engagements.create({ client: 'Kestrel', codename: 'KITE', ceiling: 'CUI' });
  const solved = await notebook.notes.create({
    engagementId: heron.id,
    type: 'incident',
    title: 'Nightly import times out',
    classification: 'CUI',
    markdown: `The nightly job failed.\n\n${fenced(javaOdbcTimeout(vars(1)))}\n## Resolution\n\nRaise the ODBC query timeout to 300 s and add the index on open orders.\n`,
  });
  const secret = await notebook.notes.create({
    engagementId: heron.id,
    type: 'incident',
    title: 'Vault cluster outage codename NIGHTJAR',
    classification: 'SECRET',
    markdown: fenced(javaOdbcTimeout(vars(2))),
  });
  await notebook.docs.flush();
  const seen = new SeenBefore(notebook.db, () => notebook.settings.classificationLevels);
  return { notebook, heron, kite, solved, secret, seen };
}

describe('seen before', () => {
  it('finds the same error met in another engagement, with its resolution, and withholds a match above the ceiling', async () => {
    const { notebook, kite, solved, seen } = await seeded();
    const result = await seen.lookup({ text: javaOdbcTimeout(vars(7)), engagementId: kite.id, limit: 20 });
    expect(result.ceiling).toBe('CUI');
    // A chained trace is known by its root cause.
    expect(result.signatures[0]?.signature).toContain('java.net.SocketTimeoutException');
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]).toMatchObject({ noteId: solved.id, codename: 'HERON', match: 'exact', similarity: 1 });
    expect(result.matches[0]?.resolution).toContain('Raise the ODBC query timeout to 300 s');
    // The SECRET note: counted at its level, nothing else of it.
    expect(result.withheld).toEqual([{ level: 'SECRET', count: 1 }]);
    expect(JSON.stringify(result)).not.toMatch(/NIGHTJAR|Vault cluster/);
    // From a note: its own stored signatures, every other note (never itself).
    const fromNote = await seen.lookup({ noteId: solved.id, engagementId: kite.id, limit: 20 });
    expect(fromNote.matches).toEqual([]);
    expect(fromNote.withheld).toEqual([{ level: 'SECRET', count: 1 }]);
    // Without an engagement, only the lowest level shows.
    const bare = await seen.lookup({ text: javaOdbcTimeout(vars(9)), limit: 20 });
    expect(bare.matches).toEqual([]);
    expect(bare.withheld).toEqual([
      { level: 'CUI', count: 1 },
      { level: 'SECRET', count: 1 },
    ]);
    await notebook.close();
  });

  it('lists the lessons that cite a matching note, and withholds one marked above the ceiling', async () => {
    const { notebook, heron, kite, solved, secret, seen } = await seeded();
    const lessons = lessonService(notebook);
    const cited = (note: { id: string; title: string }) => [
      { kind: 'note' as const, engagementId: heron.id, id: note.id, label: note.title },
    ];
    const lesson = await lessons.add(heron.id, {
      title: 'Size ODBC timeouts to the nightly batch',
      skillArea: 'Data pipeline engineering',
      classification: 'CUI',
      recommendation: 'Ask for the batch window first; set the query timeout above it.',
      evidence: cited(solved),
    });
    await lessons.add(heron.id, {
      title: 'NIGHTJAR vault failover',
      skillArea: 'Data pipeline engineering',
      classification: 'SECRET',
      recommendation: 'Fail over the QUARTZWING vault by hand.',
      evidence: cited(secret),
    });
    await notebook.docs.flush();
    const result = await seen.lookup({ text: javaOdbcTimeout(vars(7)), engagementId: kite.id, limit: 20 });
    expect(result.lessons).toEqual([
      {
        lessonId: lesson.id,
        title: 'Size ODBC timeouts to the nightly batch',
        engagementId: heron.id,
        codename: 'HERON',
        classification: 'CUI',
        recommendation: 'Ask for the batch window first; set the query timeout above it.',
        noteId: solved.id,
        match: 'exact',
      },
    ]);
    // The SECRET note and the SECRET lesson citing it: counted, nothing else of them.
    expect(result.withheld).toEqual([{ level: 'SECRET', count: 2 }]);
    expect(JSON.stringify(result)).not.toMatch(/NIGHTJAR|QUARTZWING/);
    await notebook.close();
  });

  it('finds nothing for another error or for text without one, and forgets a trace removed from its note', async () => {
    const { notebook, heron, solved, seen } = await seeded();
    expect((await seen.lookup({ text: pythonKey(vars(3)), engagementId: heron.id, limit: 20 })).matches).toEqual([]);
    const plain = await seen.lookup({ text: 'All good today, the scanners work.', engagementId: heron.id, limit: 20 });
    expect(plain).toMatchObject({ signatures: [], matches: [] });
    const binary = await seen.lookup({ text: '\u0000\u0001\u0002'.repeat(10_000), engagementId: heron.id, limit: 20 });
    expect(binary.signatures).toEqual([]);

    await notebook.notes.update(solved.id, { title: 'Nightly import times out (no trace)' });
    const doc = await notebook.docs.open(`note:${solved.id}`);
    const { replaceNoteBody } = await import('../../../shared/notes/doc');
    replaceNoteBody(doc, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Trace removed.' }] }] });
    await notebook.docs.flush();
    const after = await seen.lookup({ text: javaOdbcTimeout(vars(7)), engagementId: heron.id, limit: 20 });
    expect(after.matches.map((m) => m.title)).toEqual(['Vault cluster outage codename NIGHTJAR']);

    // The projection is rebuilt from the update log to the same rows.
    await notebook.rebuildProjections();
    expect(await notebook.checkProjections()).toEqual([]);
    await notebook.close();
  });

  it('finds a similar error (same crash site, other wording) as a near match', async () => {
    const { notebook, kite, solved, seen } = await seeded();
    const reworded = javaOdbcTimeout(vars(4)).replace('Read timed out', 'Read timed out waiting for the reply of the server');
    const result = await seen.lookup({ text: reworded, engagementId: kite.id, limit: 20 });
    expect(result.matches[0]).toMatchObject({ noteId: solved.id, match: 'near' });
    expect(result.matches[0]?.similarity).toBeGreaterThanOrEqual(0.5);
    expect(result.matches[0]?.similarity).toBeLessThan(1);
    await notebook.close();
  });
});
