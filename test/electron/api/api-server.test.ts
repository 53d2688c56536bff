import { describe, expect, it, vi } from 'vitest';
import { ApiServer } from '../../../electron/api/api-server';
import type { Notebook } from '../../../electron/notebook/notebook';
import { encodeBytes } from '../../../shared/bytes';
import { openTempNotebook } from '../../helpers/notebook';

async function diskState(notebook: Notebook) {
  const result = await notebook.db.query(
    `SELECT (SELECT count(*)::int FROM docs) AS docs, (SELECT count(*)::int FROM doc_updates) AS updates,
            (SELECT coalesce(string_agg(client || codename || status, ',' ORDER BY id), '') FROM engagements) AS projection`,
  );
  return result.rows[0];
}

describe('ApiServer (the contract at the boundary)', () => {
  it('serves valid calls', async () => {
    const notebook = await openTempNotebook();
    const session = new ApiServer(notebook).connect(() => {});
    const created = await session.call('engagements.create', { client: 'Acme', codename: 'HERON' });
    expect(created).toMatchObject({ ok: true, value: { client: 'Acme', codename: 'HERON', status: 'planned' } });
    const list = await session.call('engagements.list', {});
    expect(list.ok && (list.value as { engagements: unknown[] }).engagements).toHaveLength(1);
    const info = await session.call('notebook.info', {});
    expect(info).toMatchObject({ ok: true, value: { classificationLevels: ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET'] } });
  });

  it('rejects malformed requests with a clear error and no change on disk', async () => {
    const notebook = await openTempNotebook();
    const server = new ApiServer(notebook);
    const session = server.connect(() => {});
    const ok = await session.call('engagements.create', { client: 'Acme', codename: 'HERON' });
    const id = ok.ok ? (ok.value as { id: string }).id : '';
    const before = await diskState(notebook);

    const cases: Array<[unknown, unknown, RegExp]> = [
      ['engagements.drop', {}, /Unknown call/],
      [42, {}, /Unknown call/],
      ['engagements.create', { client: 7, codename: 'X' }, /client/],
      ['engagements.create', { client: 'A', codename: 'X', extra: true }, /unknown field: extra/],
      ['engagements.create', { client: 'A'.repeat(10_000), codename: 'X' }, /at most 200/],
      ['engagements.create', { client: 'A', codename: '   ' }, /codename/],
      ['engagements.create', 'not an object', /expected object/i],
      ['engagements.update', { id, patch: { status: 'done' } }, /status/],
      ['engagements.update', { id: 'not-a-uuid', patch: { site: 'x' } }, /id/],
      ['engagements.update', { id, patch: {} }, /Nothing to change/],
      ['engagements.update', { id, patch: { summary: 's'.repeat(20_001) } }, /summary/],
      ['engagements.list', { sort: 'random' }, /sort/],
      ['notebook.setClassificationLevels', { levels: [] }, /at least one/],
      ['notebook.setDeviceName', { name: '' }, /name/],
      ['sync.message', { docId: 'engagement:nope', message: '' }, /document id/],
      ['sync.message', { docId: `engagement:${id}`, message: '!!!' }, /base64/],
      ['sync.message', { docId: `engagement:${id}`, message: encodeBytes(new Uint8Array([2, 3, 1, 2, 3])) }, /Malformed sync message/],
      ['sync.message', { docId: 'engagement:00000000-0000-4000-8000-000000000000', message: '' }, /No document/],
    ];
    for (const [name, request, pattern] of cases) {
      const result = await session.call(name, request);
      expect(result.ok, `${String(name)} ${JSON.stringify(request).slice(0, 60)}`).toBe(false);
      if (!result.ok) {
        expect(result.error.message).toMatch(pattern);
        expect(result.error.code).not.toBe('internal');
      }
    }
    expect(await diskState(notebook)).toEqual(before);
  });

  it('tells every connection when a playbook changes, so playbook lists refresh', async () => {
    const notebook = await openTempNotebook();
    const server = new ApiServer(notebook);
    const events: Array<{ event: string; payload: unknown }> = [];
    const a = server.connect(() => {});
    server.connect((event, payload) => events.push({ event, payload }));
    const created = await a.call('playbooks.create', { title: 'Warehouse playbook' });
    const id = created.ok ? (created.value as { id: string }).id : '';
    await vi.waitFor(() => expect(events).toContainEqual({ event: 'playbooks.changed', payload: { ids: [id] } }));
  });

  it('forwards a replica’s update to other connections, not back to its sender', async () => {
    const notebook = await openTempNotebook();
    const server = new ApiServer(notebook);
    const eventsA: string[] = [];
    const eventsB: string[] = [];
    const a = server.connect((event) => eventsA.push(event));
    const b = server.connect((event) => eventsB.push(event));
    const created = await a.call('engagements.create', { client: 'Acme', codename: 'HERON' });
    const docId = `engagement:${created.ok ? (created.value as { id: string }).id : ''}`;
    expect(eventsB).toContain('engagements.changed');
    // Both open the doc (step 1 with an empty state vector).
    const step1 = encodeBytes(new Uint8Array([0, 1, 0]));
    for (const session of [a, b]) expect((await session.call('sync.message', { docId, message: step1 })).ok).toBe(true);
    eventsA.length = 0;
    eventsB.length = 0;
    await a.call('engagements.update', { id: docId.slice(11), patch: { site: 'Reno' } });
    expect(eventsA.filter((e) => e === 'sync.message')).toHaveLength(1);
    expect(eventsB.filter((e) => e === 'sync.message')).toHaveLength(1);
  });

  it('tells every connection when notebook settings change', async () => {
    const notebook = await openTempNotebook();
    const server = new ApiServer(notebook);
    const seen: unknown[] = [];
    server.connect((event, payload) => event === 'notebook.changed' && seen.push(payload));
    const session = server.connect(() => {});
    const result = await session.call('notebook.setClassificationLevels', { levels: ['PUBLIC', 'INTERNAL', 'RESTRICTED'] });
    expect(result.ok).toBe(true);
    expect(seen).toEqual([expect.objectContaining({ classificationLevels: ['PUBLIC', 'INTERNAL', 'RESTRICTED'] })]);
    await session.call('notebook.setDeviceName', { name: 'Field laptop 2' });
    expect(seen[1]).toMatchObject({ device: { name: 'Field laptop 2' } });
  });
});
