/**
 * `npm run bench`: the team hub, as JSON lines.
 * - hub_join: a new laptop joining an engagement of BENCH_HUB_NOTES notes (default 5,000) holding
 *   BENCH_HUB_EDITS edits (default 200,000, typing-like Yjs transactions), served by a hub process
 *   on its embedded store: time until every document is in the notebook's update log (committed),
 *   and until lists and search have caught up too; baseline in the same run:
 *   raw `Y.applyUpdate` of the same documents into fresh docs (target ≤ 3×);
 * - hub_typing: 20 clients typing into 20 notes at once (10 keystrokes a second each, 10 s), each
 *   note watched by another client: propagation p50/p95 through one hub (target p95 ≤ 250 ms), and
 *   through two hub instances on PostgreSQL behind Redis (writer on one, reader on the other);
 * - hub_memory: the hub process's resident memory with 20 clients connected and the documents stored.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { openHubSql } from '../electron/hub/hub-database';
import { HubStore } from '../electron/hub/hub-store';
import { Notebook } from '../electron/notebook/notebook';
import { HubSession, normalizeHubUrl } from '../electron/sync/hub-session';
import { encodeBytes } from '../shared/bytes';
import { initEngagementDoc } from '../shared/engagements/doc';
import { HUB_INDEX_DOC, hubDocName } from '../shared/hub/auth';
import { indexDocsMap } from '../shared/hub/index-doc';
import { docIdFor, newId } from '../shared/ids';
import { initNoteDoc } from '../shared/notes/doc';
import { generateDeviceKeyPair, keyFingerprint } from '../shared/sync/bundle-crypto';
import { startPostgres, startRedis } from '../test/helpers/servers';
import { mulberry32, typingEdit } from './corpus';

const NOTES = Number(process.env.BENCH_HUB_NOTES ?? 5_000);
const EDITS = Number(process.env.BENCH_HUB_EDITS ?? 200_000);
const CLIENTS = 20;
const emit = (record: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'hub', ...record, load: os.loadavg().map((l) => Math.round(l * 100) / 100) })}\n`);
const percentile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
const round = (n: number) => Math.round(n * 10) / 10;
const cli = path.resolve(import.meta.dirname, '../bin/outpost.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-hub-'));
const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
});

async function spawnHub(args: string[]): Promise<{ url: string; fingerprint: string; pid: number }> {
  const child = spawn(process.execPath, [cli, 'hub', 'serve', '--port', '0', '--ceiling', 'SECRET', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const read = (d: Buffer) => {
      out += d;
      const url = /listening on (\S+)/.exec(out)?.[1];
      const fingerprint = /Key fingerprint: (.+)/.exec(out)?.[1];
      if (url && fingerprint) resolve({ url, fingerprint: fingerprint.trim(), pid: child.pid as number });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`hub exited ${code}: ${out}`)));
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** The engagement's documents as a hub holds them: states, and the index naming them. */
function generate(engagementId: string, author: string) {
  const docs = new Map<string, Uint8Array>();
  const engagement = new Y.Doc();
  initEngagementDoc(
    engagement,
    engagementId,
    { client: 'Acme Logistics', codename: 'HERON', ceiling: 'SECRET' } as never,
    new Date().toISOString(),
  );
  docs.set(docIdFor('engagement', engagementId), Y.encodeStateAsUpdate(engagement));
  const perNote = Math.max(1, Math.round(EDITS / NOTES));
  for (let i = 0; i < NOTES; i++) {
    const doc = new Y.Doc();
    const id = newId();
    initNoteDoc(
      doc,
      {
        id,
        engagementId,
        title: `Field log ${i}`,
        type: 'general',
        classification: 'CUI',
        tags: [],
        pinned: false,
        createdAt: new Date().toISOString(),
        authorId: author,
        authorName: 'bench',
      },
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Wave ${i} released late.` }] }] },
    );
    const rng = mulberry32(1000 + i);
    for (let e = 0; e < perNote; e++) typingEdit(doc, rng);
    docs.set(docIdFor('note', id), Y.encodeStateAsUpdate(doc));
    doc.destroy();
  }
  const index = new Y.Doc();
  index.transact(() => {
    for (const [docId, state] of docs) {
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, state);
      indexDocsMap(index).set(docId, { sv: encodeBytes(Y.encodeStateVector(scratch)), at: new Date().toISOString(), by: author });
      scratch.destroy();
    }
  });
  return { docs, index: Y.encodeStateAsUpdate(index) };
}

function rawApplyMs(docs: Map<string, Uint8Array>): number {
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    for (const state of docs.values()) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      doc.destroy();
    }
    runs.push(performance.now() - started);
  }
  return Math.min(...runs);
}

/** One hub_typing line: how many changes arrived of those sent, and their propagation p50/p95. */
function emitTyping(run: { latencies: number[]; expected: number }, setup: Record<string, unknown>): void {
  emit({
    figure: 'hub_typing',
    ...setup,
    clients: CLIENTS,
    received: run.latencies.length,
    sent: run.expected,
    p50_ms: round(percentile(run.latencies, 0.5)),
    p95_ms: round(percentile(run.latencies, 0.95)),
    target_p95_ms: 250,
  });
}

async function join(): Promise<{ url: string; fingerprint: string; pid: number; engagementId: string; dataDir: string }> {
  const engagementId = newId();
  const dataDir = path.join(work, 'hub');
  fs.mkdirSync(dataDir, { recursive: true });
  const seedStarted = performance.now();
  const { docs, index } = generate(engagementId, newId());
  const store = await HubStore.open(await openHubSql({ dataDir: path.join(dataDir, 'db') }));
  for (const [docId, state] of docs) await store.storeDocument(hubDocName(engagementId, docId), engagementId, state);
  await store.storeDocument(hubDocName(engagementId, HUB_INDEX_DOC), engagementId, index);
  const laptop = await Notebook.open(path.join(work, 'laptop'), { kind: 'bench' });
  await store.addMember(keyFingerprint(laptop.keys.publicKey), engagementId, 'laptop');
  await store.close();
  const seedMs = performance.now() - seedStarted;
  const rawMs = rawApplyMs(docs);
  const hub = await spawnHub(['--data', dataDir]);
  const started = performance.now();
  await laptop.hub.start();
  await laptop.hub.connect(hub.url, true, engagementId);
  // Local = in the notebook's update log (committed); lists and search follow in the background.
  // The projections' catch-up keeps this thread busy after the imports: the time is the import's own.
  while (laptop.hub.receivedCount() < docs.size) await new Promise((resolve) => setTimeout(resolve, 20));
  const localMs = laptop.hub.lastArrival() - started;
  await laptop.docs.flush();
  const searchableMs = performance.now() - started;
  emit({
    figure: 'hub_join',
    notes: NOTES,
    edits: EDITS,
    seed_ms: Math.round(seedMs),
    all_local_ms: Math.round(localMs),
    projected_ms: Math.round(searchableMs),
    raw_apply_ms: Math.round(rawMs),
    ratio: Math.round((localMs / rawMs) * 100) / 100,
    target_ratio: 3,
  });
  await laptop.close();
  return { url: hub.url, fingerprint: hub.fingerprint, pid: hub.pid, engagementId, dataDir };
}

/** 20 typists and 20 watchers on raw providers; returns the propagation times in ms. */
async function typing(
  addMembers: (fingerprints: string[]) => Promise<void>,
  writeUrl: string,
  readUrl: string,
  pinned: string,
  engagementId: string,
) {
  const devices = Array.from({ length: CLIENTS * 2 }, () => ({ ...generateDeviceKeyPair(), deviceId: newId(), name: 'bench' }));
  await addMembers(devices.map((d) => keyFingerprint(d.publicKey)));
  const sessions: HubSession[] = [];
  const latencies: number[] = [];
  const notes = Array.from({ length: CLIENTS }, () => newId());
  const pairs = [];
  for (let i = 0; i < CLIENTS; i++) {
    const docs = [new Y.Doc(), new Y.Doc()];
    const seed = docs[0] as Y.Doc;
    initNoteDoc(
      seed,
      {
        id: notes[i] as string,
        engagementId,
        title: `Typing ${i}`,
        type: 'general',
        classification: 'CUI',
        tags: [],
        pinned: false,
        createdAt: new Date().toISOString(),
        authorId: newId(),
        authorName: 'bench',
      },
      { type: 'doc', content: [{ type: 'paragraph' }] },
    );
    const providers = [0, 1].map((side) => {
      const session = new HubSession(
        normalizeHubUrl(side ? readUrl : writeUrl),
        pinned,
        () => devices[i * 2 + side] as never,
        () => {},
      );
      sessions.push(session);
      const provider = new HocuspocusProvider({
        websocketProvider: session.socket,
        name: hubDocName(engagementId, `note:${notes[i]}`),
        document: docs[side] as Y.Doc,
        token: session.token,
      });
      provider.attach();
      return provider;
    });
    pairs.push({ docs, providers });
  }
  await Promise.all(
    pairs.flatMap((p) =>
      p.providers.map((pr) => new Promise<void>((resolve) => (pr.isSynced ? resolve() : pr.on('synced', () => resolve())))),
    ),
  );
  const sent = new Map<string, number>();
  for (const { docs } of pairs) {
    (docs[1] as Y.Doc).getMap('typing').observe((event) => {
      for (const key of event.keysChanged) {
        const at = sent.get(key);
        if (at !== undefined) latencies.push(performance.now() - at);
      }
    });
  }
  const rounds = 100;
  for (let r = 0; r < rounds; r++) {
    for (const [i, { docs }] of pairs.entries()) {
      const key = `${i}-${r}`;
      sent.set(key, performance.now());
      (docs[0] as Y.Doc).getMap('typing').set(key, r);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const { providers } of pairs) for (const p of providers) p.destroy();
  return {
    latencies,
    expected: rounds * CLIENTS,
    close: () => {
      for (const session of sessions) session.destroy();
    },
  };
}

const joined = await join();
const single = await typing(
  async (fingerprints) => {
    // The hub runs on its embedded store: members are added through it, as `outpost hub members add` does.
    const { callRunningHub, readAdminFile } = await import('../electron/hub/hub-admin');
    const admin = readAdminFile(joined.dataDir);
    if (!admin) throw new Error('no running hub');
    for (const fingerprint of fingerprints)
      await callRunningHub(admin, 'POST', '/admin/members/add', { fingerprint, engagementId: joined.engagementId, name: 'bench' });
  },
  joined.url,
  joined.url,
  joined.fingerprint,
  joined.engagementId,
);
emitTyping(single, { instances: 1 });
emit({ figure: 'hub_memory', notes_stored: NOTES + 2, clients: CLIENTS * 2, rss_mb: rssMb(joined.pid) });
single.close();

// Two instances on PostgreSQL behind Redis: writers on one, readers on the other.
const pg = await startPostgres();
const redis = await startRedis();
try {
  const h1 = await spawnHub(['--database', pg.url, '--redis', redis.url, '--data', path.join(work, 'h1')]);
  const h2 = await spawnHub(['--database', pg.url, '--redis', redis.url, '--data', path.join(work, 'h2')]);
  const engagementId = newId();
  const store = await HubStore.open(await openHubSql({ databaseUrl: pg.url, dataDir: '' }));
  const pair = await typing(
    async (fingerprints) => {
      for (const fingerprint of fingerprints) await store.addMember(fingerprint, engagementId, 'bench');
    },
    h1.url,
    h2.url,
    h1.fingerprint,
    engagementId,
  );
  emitTyping(pair, { instances: 2, via: 'postgresql+redis' });
  pair.close();
  await store.close();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await redis.stop();
  await pg.stop();
}
process.exit(0);
