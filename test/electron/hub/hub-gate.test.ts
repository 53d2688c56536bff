import { HocuspocusProvider } from '@hocuspocus/provider';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type RunningHub, startHub } from '../../../electron/hub/hub-server';
import { HubSession, normalizeHubUrl } from '../../../electron/sync/hub-session';
import { hubDocName } from '../../../shared/hub/auth';
import { newId } from '../../../shared/ids';
import { initNoteDoc } from '../../../shared/notes/doc';
import { generateDeviceKeyPair, keyFingerprint } from '../../../shared/sync/bundle-crypto';
import { tempDir } from '../../helpers/notebook';
import { filesUnder, until } from '../../helpers/waiting';

/**
 * The hub's own gate, against clients that do not play by the notebook's rules: strangers,
 * removed members, a member that sends a note above the ceiling or writes the index, a token
 * made for another hub. Each is refused and logged; the hub's database never holds what it refused.
 */
const hubs: RunningHub[] = [];
const sockets: Array<{ destroy(): void }> = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const hub of hubs.splice(0)) await hub.close();
});

async function hub(ceiling = 'CUI') {
  const dataDir = tempDir('outpost-hub-');
  const running = await startHub({ dataDir, ceiling, storeDebounceMs: 20 });
  hubs.push(running);
  return { running, dataDir };
}

function device() {
  return { ...generateDeviceKeyPair(), deviceId: newId(), name: 'mallory@laptop' };
}

/** A raw provider on a document, with the device's token: no client-side checks at all. */
function open(running: RunningHub, dev: ReturnType<typeof device>, name: string, doc = new Y.Doc(), pinned = running.fingerprint) {
  const session = new HubSession(
    normalizeHubUrl(running.url),
    pinned,
    () => dev,
    () => {},
  );
  sockets.push(session);
  const events: { refused: string | null; synced: boolean; closed: boolean } = { refused: null, synced: false, closed: false };
  const provider = new HocuspocusProvider({
    websocketProvider: session.socket,
    name,
    document: doc,
    token: session.token,
    onAuthenticationFailed: ({ reason }) => {
      events.refused = reason;
    },
    onSynced: () => {
      events.synced = true;
    },
    onClose: () => {
      events.closed = true;
    },
  });
  provider.attach();
  return { provider, doc, events };
}

function note(engagementId: string, classification: string, words: string): { docId: string; doc: Y.Doc } {
  const id = newId();
  const doc = new Y.Doc();
  initNoteDoc(
    doc,
    {
      id,
      engagementId,
      title: `Note ${words}`,
      type: 'general',
      classification,
      pinned: false,
      createdAt: new Date().toISOString(),
      authorId: newId(),
      authorName: 'x',
      tags: [],
    },
    { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: words }] }] },
  );
  return { docId: `note:${id}`, doc };
}

describe('the hub gate', () => {
  it('refuses a device that is not a member, and one that was removed, with a clear reason', async () => {
    const { running } = await hub();
    const engagement = newId();
    const stranger = open(running, device(), hubDocName(engagement, 'index'));
    await until(() => stranger.events.refused !== null);
    expect(stranger.events.refused).toMatch(/not a member of this engagement/);
    const member = device();
    await running.store.addMember(keyFingerprint(member.publicKey), engagement, 'm');
    await running.store.removeMember(keyFingerprint(member.publicKey), engagement);
    const removed = open(running, member, hubDocName(engagement, 'index'));
    await until(() => removed.events.refused !== null);
    expect(removed.events.refused).toMatch(/removed from this engagement/);
    const log = await running.store.recentLog();
    expect(log.filter((e) => e.event === 'refused').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a note marked above its ceiling even from a member, and its words never reach the database', async () => {
    const { running, dataDir } = await hub('CUI');
    const engagement = newId();
    const member = device();
    await running.store.addMember(keyFingerprint(member.publicKey), engagement, 'm');
    const fine = note(engagement, 'CUI', 'pallets arrive at dock four');
    const secret = note(engagement, 'SECRET', 'BLACKHERON extraction window');
    const ok = open(running, member, hubDocName(engagement, fine.docId), fine.doc);
    const bad = open(running, member, hubDocName(engagement, secret.docId), secret.doc);
    await until(() => ok.events.synced);
    await until(() => bad.events.closed || bad.events.refused !== null);
    // Re-marking the stored CUI note SECRET later is refused as well.
    fine.doc.getMap('meta').set('classification', 'SECRET');
    fine.doc.getXmlFragment('body').insert(0, [new Y.XmlText('GREYWING relocation')]);
    await until(() => fine.doc.getMap('meta').get('classification') === 'SECRET');
    await new Promise((r) => setTimeout(r, 500));
    const log = await running.store.recentLog();
    expect(log.filter((e) => e.event === 'refused_update').map((e) => e.detail)).toEqual(
      expect.arrayContaining([expect.stringMatching(/marked SECRET, above this hub's ceiling CUI/)]),
    );
    await running.close();
    hubs.length = 0;
    const bytes = filesUnder(dataDir);
    expect(bytes).toContain('pallets arrive at dock four');
    expect(bytes).not.toContain('BLACKHERON');
    expect(bytes).not.toContain('GREYWING');
  });

  it('keeps the index read-only for clients and refuses a token made for another hub', async () => {
    const { running } = await hub();
    const other = await hub();
    const engagement = newId();
    const member = device();
    await running.store.addMember(keyFingerprint(member.publicKey), engagement, 'm');
    const index = open(running, member, hubDocName(engagement, 'index'));
    await until(() => index.events.synced);
    index.doc.getMap('docs').set('note:forged', { sv: '', at: '', by: newId() });
    await new Promise((r) => setTimeout(r, 300));
    const stored = await running.store.loadDocument(hubDocName(engagement, 'index'));
    const check = new Y.Doc();
    if (stored) Y.applyUpdate(check, stored);
    expect(check.getMap('docs').has('note:forged')).toBe(false);
    // A session pinned to the other hub's key never sends a token here.
    const misdirected = open(running, member, hubDocName(engagement, 'index'), new Y.Doc(), other.running.fingerprint);
    await until(() => misdirected.events.refused !== null);
    expect(misdirected.events.refused).toMatch(/not the trusted/);
  });

  it('vouches for awareness itself: a member cannot appear as another device or speak for another client', async () => {
    const { running } = await hub();
    const engagement = newId();
    const [mallory, ana] = [device(), { ...device(), name: 'ana@laptop' }];
    for (const d of [mallory, ana]) await running.store.addMember(keyFingerprint(d.publicKey), engagement, d.name);
    const { docId, doc } = note(engagement, 'CUI', 'Conveyor 4 jams');
    const name = hubDocName(engagement, docId);
    const m = open(running, mallory, name, doc);
    const a = open(running, ana, name);
    await until(() => m.events.synced && a.events.synced);
    const awareness = m.provider.awareness as NonNullable<typeof m.provider.awareness>;
    // Mallory claims to be Ana, with extra fields, and also speaks for a made-up client id.
    awareness.setLocalState({ editing: true, device: { deviceId: ana.deviceId, name: 'ana@laptop', fingerprint: 'forged' }, note: 'x' });

    const forged = new Awareness(new Y.Doc());
    forged.setLocalState({ editing: true, device: { deviceId: ana.deviceId, name: 'ana@laptop', fingerprint: 'forged' } });
    applyAwarenessUpdate(awareness, encodeAwarenessUpdate(forged, [forged.clientID]), 'forged');
    const seen = () => (a.provider.awareness as NonNullable<typeof a.provider.awareness>).getStates();
    await until(() => [...seen().values()].some((s) => (s as { editing?: boolean }).editing));
    await new Promise((r) => setTimeout(r, 300));
    const states = [...seen()].filter(([client]) => client !== a.provider.awareness?.clientID);
    // Only Mallory's own client reached Ana, and as Mallory's device, with nothing else in it.
    expect(states.map(([client]) => client)).toEqual([awareness.clientID]);
    expect(states[0]?.[1]).toEqual({
      editing: true,
      device: { deviceId: mallory.deviceId, name: 'mallory@laptop', fingerprint: keyFingerprint(mallory.publicKey) },
    });
  });

  it('closes a socket that sends garbage or an oversized frame and keeps serving others', async () => {
    const { running } = await hub();
    const engagement = newId();
    const member = device();
    await running.store.addMember(keyFingerprint(member.publicKey), engagement, 'm');
    const junk = new WebSocket(running.url);
    await new Promise((r) => junk.once('open', r));
    const closed = new Promise((r) => junk.once('close', r));
    junk.send(Buffer.alloc(40 * 1024 * 1024, 7));
    await closed;
    const fine = open(running, member, hubDocName(engagement, 'index'));
    await until(() => fine.events.synced);
  });
});
