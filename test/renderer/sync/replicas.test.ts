import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { ApiServer } from '../../../electron/api/api-server';
import type { ClientSession } from '../../../electron/api/endpoint';
import { ApiClient } from '../../../renderer/api/client';
import type { ConnectionStatus, Transport } from '../../../renderer/api/transport';
import { ReplicaPool } from '../../../renderer/sync/replicas';
import { applyEngagementPatch, readEngagement } from '../../../shared/engagements/doc';
import type { Result } from '../../../shared/errors';
import { docIdFor } from '../../../shared/ids';
import { openTempNotebook } from '../../helpers/notebook';

/** A renderer's transport wired straight to the ApiServer, with JSON in between like the real wire. */
class LoopbackTransport implements Transport {
  status: ConnectionStatus = 'online';
  private session: ClientSession;
  private readonly events = new Set<(event: string, payload: unknown) => void>();
  private readonly statuses = new Set<(status: ConnectionStatus) => void>();

  constructor(private readonly server: ApiServer) {
    this.session = this.open();
  }

  private open(): ClientSession {
    return this.server.connect((event, payload) => {
      if (this.status !== 'online') return;
      const copy = JSON.parse(JSON.stringify(payload));
      queueMicrotask(() => {
        for (const listener of this.events) listener(event, copy);
      });
    });
  }

  async call(name: string, request: unknown): Promise<Result<unknown>> {
    if (this.status !== 'online') return { ok: false, error: { code: 'transport', message: 'offline' } };
    return JSON.parse(JSON.stringify(await this.session.call(name, JSON.parse(JSON.stringify(request)))));
  }

  onEvent(listener: (event: string, payload: unknown) => void) {
    this.events.add(listener);
    return () => this.events.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void) {
    this.statuses.add(listener);
    return () => this.statuses.delete(listener);
  }

  setOnline(online: boolean): void {
    if (online) this.session = this.open();
    else this.session.close();
    this.status = online ? 'online' : 'offline';
    for (const listener of this.statuses) listener(this.status);
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let namespaceCounter = 0;
const freshNamespace = () => `test/${Date.now()}/${namespaceCounter++}`;

async function setup() {
  const notebook = await openTempNotebook();
  const server = new ApiServer(notebook);
  const { id } = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
  return { notebook, server, id, docId: docIdFor('engagement', id) };
}

describe('renderer replicas', () => {
  it('two replicas of one engagement converge through the main process, which saves both edits', async () => {
    const { notebook, server, docId } = await setup();
    const tabA = new ReplicaPool(new ApiClient(new LoopbackTransport(server)), freshNamespace());
    const tabB = new ReplicaPool(new ApiClient(new LoopbackTransport(server)), freshNamespace());
    const a = tabA.acquire(docId);
    const b = tabB.acquire(docId);
    await until(
      () => readEngagement(a.doc).engagement.codename === 'HERON' && readEngagement(b.doc).engagement.codename === 'HERON',
      'initial sync',
    );

    applyEngagementPatch(a.doc, { summary: 'typed in tab A' });
    applyEngagementPatch(b.doc, { status: 'active' });
    await until(
      () => readEngagement(a.doc).engagement.status === 'active' && readEngagement(b.doc).engagement.summary === 'typed in tab A',
      'edits to cross tabs',
    );
    await until(() => a.provider.syncState === 'saved' && b.provider.syncState === 'saved', 'saved state');
    const { doc: stored } = await notebook.docs.loadFromLog(docId);
    expect(readEngagement(stored).engagement).toMatchObject({ summary: 'typed in tab A', status: 'active' });
    expect((await notebook.engagements.list())[0]?.status).toBe('active');
    tabA.destroy();
    tabB.destroy();
  });

  it('keeps edits made while the host is unreachable in IndexedDB and delivers them after a reload', async () => {
    const { notebook, server, docId } = await setup();
    const namespace = freshNamespace();
    const transport = new LoopbackTransport(server);
    const tab = new ReplicaPool(new ApiClient(transport), namespace);
    const replica = tab.acquire(docId);
    await until(() => replica.provider.syncState === 'saved', 'first sync');

    transport.setOnline(false);
    applyEngagementPatch(replica.doc, { summary: 'written offline' });
    await until(() => replica.provider.syncState === 'offline', 'offline state');
    // The tab is closed (or crashes) before the host comes back.
    tab.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));

    // What the browser kept: a new replica from the same IndexedDB holds the offline edit.
    const probe = new Y.Doc();
    const persistence = new IndexeddbPersistence(`${namespace}/${docId}`, probe);
    await persistence.whenSynced;
    expect(readEngagement(probe).engagement.summary).toBe('written offline');
    await persistence.destroy();
    expect(readEngagement((await notebook.docs.loadFromLog(docId)).doc).engagement.summary).toBe('');

    // Reload: the host is back; the replica's handshake sends what main lacks.
    const reloaded = new ReplicaPool(new ApiClient(new LoopbackTransport(server)), namespace);
    const again = reloaded.acquire(docId);
    await until(() => again.provider.syncState === 'saved', 'sync after reload');
    await until(
      async () => readEngagement((await notebook.docs.loadFromLog(docId)).doc).engagement.summary === 'written offline',
      'main to store it',
    );
    reloaded.destroy();
  });

  it('resyncs by itself when the connection comes back', async () => {
    const { notebook, server, docId, id } = await setup();
    const transport = new LoopbackTransport(server);
    const tab = new ReplicaPool(new ApiClient(transport), freshNamespace());
    const replica = tab.acquire(docId);
    await until(() => replica.provider.syncState === 'saved', 'first sync');
    transport.setOnline(false);
    applyEngagementPatch(replica.doc, { site: 'Sparks' });
    // Meanwhile someone else (the CLI) changes another field in main.
    await notebook.engagements.update(id, { status: 'stabilizing' });
    transport.setOnline(true);
    await until(() => readEngagement(replica.doc).engagement.status === 'stabilizing', 'main’s change to arrive');
    await until(async () => (await notebook.engagements.get(id)).site === 'Sparks', 'the offline edit to reach main');
    tab.destroy();
  });
});
