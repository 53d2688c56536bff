import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startServicesWorker } from '../../../electron/api/worker-client';
import { notebookLayout } from '../../../electron/notebook/paths';
import { tempDir } from '../../helpers/notebook';

const workerFile = path.resolve('dist/electron/services-worker.js');

describe('services worker (how the Electron main process runs the notebook)', () => {
  it('serves the contract from a worker thread, pushes events, and releases the lock on close', async () => {
    if (!fs.existsSync(workerFile)) throw new Error('dist/electron/services-worker.js is missing: run npm run build first');
    const dir = tempDir();
    const services = await startServicesWorker(workerFile, { notebookDir: dir, kind: 'app', templatePath: inject('templatePath') });
    const events: string[] = [];
    const session = services.connect((event) => events.push(event));
    const created = await session.call('engagements.create', { client: 'Acme', codename: 'HERON' });
    expect(created).toMatchObject({ ok: true, value: { codename: 'HERON' } });
    const bad = await session.call('engagements.create', { client: 'Acme' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const list = await session.call('engagements.list', {});
    expect(list.ok && (list.value as { engagements: unknown[] }).engagements).toHaveLength(1);
    expect(events).toContain('engagements.changed');
    expect(fs.existsSync(notebookLayout(dir).lock)).toBe(true);
    await services.close();
    expect(fs.existsSync(notebookLayout(dir).lock)).toBe(false);
  });

  it('rejects with the lock error when the notebook is open elsewhere', async () => {
    const dir = tempDir();
    const first = await startServicesWorker(workerFile, { notebookDir: dir, kind: 'app', templatePath: inject('templatePath') });
    try {
      await expect(startServicesWorker(workerFile, { notebookDir: dir, kind: 'app' })).rejects.toThrow(/already open by app process/);
    } finally {
      await first.close();
    }
  });
});
