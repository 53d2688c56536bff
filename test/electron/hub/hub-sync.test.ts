import { afterEach, describe, expect, it } from 'vitest';
import { type RunningHub, startHub } from '../../../electron/hub/hub-server';
import type { Notebook } from '../../../electron/notebook/notebook';
import { docIdFor } from '../../../shared/ids';
import { appendParagraph, noteBodyJSON } from '../../../shared/notes/doc';
import { keyFingerprint } from '../../../shared/sync/bundle-crypto';
import { openTempNotebook, tempDir } from '../../helpers/notebook';
import { siteWithNotes } from '../../helpers/site-with-notes';
import { filesUnder, until } from '../../helpers/waiting';

const hubs: RunningHub[] = [];
const hubDirs = new Map<RunningHub, string>();
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
});

async function hubAt(ceiling = 'CUI'): Promise<RunningHub> {
  const dataDir = tempDir('outpost-hub-');
  const hub = await startHub({ dataDir, ceiling, storeDebounceMs: 50 });
  hubs.push(hub);
  hubDirs.set(hub, dataDir);
  return hub;
}

async function member(hub: RunningHub, nb: Notebook, engagementId: string) {
  await hub.store.addMember(keyFingerprint(nb.keys.publicKey), engagementId, nb.device.name);
}

async function join(nb: Notebook, hub: RunningHub, engagementId: string) {
  await nb.hub.start();
  await nb.hub.connect(hub.url, true, engagementId);
}

/** Two laptops (the second one Bea's) syncing HERON through a hub; the second has the open note. */
async function twoLaptopsOnOneNote() {
  const hub = await hubAt('SECRET');
  const { a, heron, open } = await siteWithNotes();
  const b = await openTempNotebook();
  b.setDeviceName('bea@laptop');
  await member(hub, a, heron.id);
  await member(hub, b, heron.id);
  await join(a, hub, heron.id);
  await join(b, hub, heron.id);
  const docId = docIdFor('note', open.id);
  await until(() => b.docs.exists(docId));
  return { a, b, heron, open, docId };
}

describe('team hub sync', () => {
  it('a second laptop joins an engagement through the hub; a note above the hub ceiling never reaches it', async () => {
    const hub = await hubAt('CUI');
    const { a, heron, open, secret } = await siteWithNotes();
    const b = await openTempNotebook();
    await member(hub, a, heron.id);
    await member(hub, b, heron.id);
    await join(a, hub, heron.id);
    await a.hub.settled();
    await join(b, hub, heron.id);
    await until(async () => (await b.docs.exists(docIdFor('note', open.id))) && (await b.docs.exists(docIdFor('engagement', heron.id))));
    await b.hub.settled();
    await b.docs.flush();
    expect((await b.engagements.get(heron.id)).codename).toBe('HERON');
    expect((await b.notes.meta(open.id)).title).toBe('Late picks at wave release');
    expect(await b.docs.exists(docIdFor('note', secret.id))).toBe(false);
    // The joining snapshot names who wrote each document, before the index has even arrived.
    expect((await b.history.versions(open.id))[0]?.source).toBe(`${a.device.name} via team hub`);
    const status = await a.hub.status();
    expect(status.connection).toBe('connected');
    expect(status.engagements[0]).toMatchObject({ engagementId: heron.id, withheld: 1 });
    // Bytes: the SECRET note's words are nowhere in the hub's database; the CUI note's are.
    await a.hub.stop();
    await b.hub.stop();
    await hub.close();
    hubs.length = 0;
    const bytes = filesUnder(hubDirs.get(hub) as string);
    expect(bytes.includes('five requests per second')).toBe(true);
    expect(bytes.includes('QUARTZWING')).toBe(false);
    expect(bytes.includes('NIGHTJAR')).toBe(false);
  });

  it('a change typed in one notebook reaches the other, attributed to its device via the hub', async () => {
    const { a, b, open, docId } = await twoLaptopsOnOneNote();
    const doc = await b.docs.open(docId);
    appendParagraph(doc, 'Raised the limit to 20 rps with the ERP team.');
    await until(async () => ((await a.docs.read(docId, (d) => JSON.stringify(noteBodyJSON(d)))) ?? '').includes('20 rps'));
    await a.docs.flush();
    const versions = await a.history.versions(open.id);
    expect(versions[0]?.source).toBe('bea@laptop via team hub');
    // Bea's device is among the engagement's teammates A's status shows, with its key; A is not.
    const status = await a.hub.status();
    expect(status.engagements[0]?.teammates).toEqual([{ name: 'bea@laptop', fingerprint: keyFingerprint(b.keys.publicKey) }]);
  });

  it('tells each notebook who else has a note open, as the hub verified them, and forgets them when they close it', async () => {
    const { a, b, heron, docId } = await twoLaptopsOnOneNote();
    const seenByA: string[][] = [];
    a.hub.onEditors((id, editors) => {
      if (id === docId) seenByA.push(editors.map((e) => e.name));
    });
    // A's window opens the note: nobody else has it open yet.
    expect(await a.hub.setEditing('window-a', docId, true)).toEqual([]);
    // B's window opens it: B learns of A, and A of B, with the device keys' fingerprints.
    await b.hub.setEditing('window-b', docId, true);
    const bSees = async () => (await b.hub.setEditing('window-b', docId, true)).map((e) => e.fingerprint);
    await until(async () => (await bSees()).length === 1);
    expect(await bSees()).toEqual([keyFingerprint(a.keys.publicKey)]);
    await until(() => seenByA.at(-1)?.[0] === 'bea@laptop');
    // B's window goes away (closed tab): A sees nobody else again.
    await b.hub.releaseConnection('window-b');
    await until(() => seenByA.at(-1)?.length === 0);
    // Engagements that do not sync with a hub, and documents that are not notes, announce nothing.
    expect(await a.hub.setEditing('window-a', docIdFor('engagement', heron.id), true)).toEqual([]);
  });
});
