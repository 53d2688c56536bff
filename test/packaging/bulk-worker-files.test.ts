import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BulkWorker } from '../../electron/notes/bulk-worker-client';
import { notesToBuild } from '../helpers/bulk-notes';
import { repoRoot } from '../helpers/packaging';

/**
 * Bulk writes start the bulk-write worker from a file beside the bundle that holds its client
 * (`new URL('./bulk-worker.js', import.meta.url)`): the browser host, the CLI's chunks and
 * the Electron services. A bundle without it would fall back to computing vectors on its own
 * thread, correct but several times slower; this catches that. Needs dist/ (npm run build).
 */
describe('the built bulk-write worker', () => {
  const dist = path.join(repoRoot, 'dist');
  const bundles = fs
    .readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js') && !entry.parentPath.includes(`${path.sep}renderer`))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => path.basename(file) !== 'bulk-worker.js' && fs.readFileSync(file, 'utf8').includes('bulk-worker.js'));

  it('sits beside every bundle that starts it, and answers there', async () => {
    expect(bundles.map((file) => path.relative(dist, path.dirname(file))).sort()).toEqual(['', 'cli/chunks', 'electron']);
    for (const bundle of bundles) {
      const file = path.join(path.dirname(bundle), 'bulk-worker.js');
      expect(fs.existsSync(file), file).toBe(true);
      const worker = new BulkWorker({ url: pathToFileURL(file) });
      try {
        expect(await worker.whenReady(), file).toBe(true);
        const vectors = await worker.vectors(Array.from({ length: 20 }, () => ({ title: 'Pump', tags: [], body: 'pressure dropped' })));
        expect(vectors?.[0]?.[0], file).toBe("'drop':3C 'pressur':2C 'pump':1A");
        const built = await worker.buildNotes(notesToBuild(), ['notes', 'error_signatures'], '2026-12-04T00:00:00.000Z');
        expect(built?.[0]?.rows[0], file).toMatchObject({
          title: 'Pump 0',
          body: 'pressure dropped\nORA-12170: TNS:Connect timeout occurred',
        });
      } finally {
        await worker.stop();
      }
    }
  });
});
