import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubSql } from '../../../electron/hub/hub-database';
import { HubStore } from '../../../electron/hub/hub-store';
import type { Notebook } from '../../../electron/notebook/notebook';
import { docIdFor } from '../../../shared/ids';
import { appendParagraph, noteBodyJSON } from '../../../shared/notes/doc';
import { keyFingerprint } from '../../../shared/sync/bundle-crypto';
import { type HubProcess, spawnHub } from '../../helpers/hub-process';
import { openTempNotebook, tempDir } from '../../helpers/notebook';
import { type Server, startPostgres, startRedis } from '../../helpers/servers';
import { until } from '../../helpers/waiting';

/**
 * Three notebooks and two hub instances on one PostgreSQL behind Redis: random edits on every
 * laptop while hubs are killed (SIGKILL) and restarted, PostgreSQL restarts, Redis goes away and
 * comes back, a laptop is cut off and edits offline, and a laptop moves from one hub to the other.
 * Then every replica holds the same documents, and every edit made anywhere is in all of them.
 */
let pg: Server;
let redis: Server;
const hubs: HubProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  redis = await startRedis();
}, 60_000);

afterAll(async () => {
  for (const hub of hubs) await hub.kill();
  await redis?.stop();
  await pg?.stop();
});

async function hubOn(port = 0): Promise<HubProcess> {
  const hub = await spawnHub([
    '--database',
    pg.url,
    '--redis',
    redis.url,
    '--port',
    String(port),
    '--data',
    tempDir('outpost-hubproc-'),
    '--ceiling',
    'SECRET',
  ]);
  hubs.push(hub);
  return hub;
}

/** What a notebook holds of the engagement: each note's id and body, sorted. */
async function contents(nb: Notebook, engagementId: string): Promise<string> {
  await nb.docs.flush();
  const ids = (await nb.docs.listDocIds('note')).sort();
  const parts: string[] = [];
  for (const docId of ids) parts.push(docId, JSON.stringify(await nb.docs.read(docId, (d) => noteBodyJSON(d))));
  const engagement = await nb.docs.read(docIdFor('engagement', engagementId), (d) => d.getMap('fields').toJSON());
  return JSON.stringify([parts, engagement]);
}

describe('team hub cluster (PostgreSQL + Redis, two instances)', () => {
  it('every notebook converges with nothing lost through kills, restarts and partitions', async () => {
    let h1 = await hubOn();
    const h2 = await hubOn();
    expect(h2.fingerprint).toBe(h1.fingerprint);
    const admin = await HubStore.open(await openHubSql({ databaseUrl: pg.url, dataDir: '' }));
    const [a, b, c] = [await openTempNotebook(), await openTempNotebook(), await openTempNotebook()];
    const heron = await a.engagements.create({ client: 'Acme Logistics', codename: 'HERON', ceiling: 'SECRET' });
    for (let i = 0; i < 3; i++)
      await a.notes.create({ engagementId: heron.id, type: 'general', title: `Note ${i}`, classification: 'CUI', markdown: `Start ${i}` });
    for (const nb of [a, b, c]) await admin.addMember(keyFingerprint(nb.keys.publicKey), heron.id, nb.device.name);
    await admin.close();
    const route = new Map<Notebook, HubProcess>([
      [a, h1],
      [b, h2],
      [c, h1],
    ]);
    for (const [nb, hub] of route) {
      await nb.hub.start();
      await nb.hub.connect(hub.url, true, heron.id);
    }
    await until(
      async () => (await b.docs.listDocIds('note')).length === 3 && (await c.docs.listDocIds('note')).length === 3,
      30_000,
      'the engagement to reach the other laptops',
    );
    const written: string[] = [];
    const edit = async (nb: Notebook, seed: number, round: number) => {
      const notes = await nb.docs.listDocIds('note');
      if (!notes.length || seed % 5 === 0) {
        const note = await nb.notes.create({ engagementId: heron.id, type: 'general', title: `New r${round}`, classification: 'CUI' });
        notes.push(docIdFor('note', note.id));
      }
      const docId = notes[seed % notes.length] as string;
      const token = `edit-${nb.device.deviceId.slice(0, 6)}-r${round}-s${seed}`;
      appendParagraph(await nb.docs.open(docId), token);
      written.push(token);
    };
    const seeds = fc.sample(fc.array(fc.nat(1000), { minLength: 3, maxLength: 3 }), { numRuns: 5, seed: 42 });
    const faults: Array<() => Promise<void>> = [
      async () => {
        // A hub instance dies mid-sync and comes back on its port.
        await h1.kill();
        h1 = await hubOn(h1.port);
      },
      async () => {
        await pg.stop();
        await new Promise((resolve) => setTimeout(resolve, 500));
        await pg.restart();
      },
      async () => {
        await redis.stop({ kill: true });
        await new Promise((resolve) => setTimeout(resolve, 500));
        await redis.restart();
      },
      async () => {
        // A laptop moves from one instance to the other.
        await c.hub.connect(h2.url, true, heron.id);
      },
      async () => {
        // A partition: b edits offline, then comes back.
        await b.hub.stop();
        await edit(b, 7, 99);
        await b.hub.start();
      },
    ];
    for (const [round, roundSeeds] of seeds.entries()) {
      for (const [i, nb] of [a, b, c].entries()) await edit(nb, roundSeeds[i] as number, round);
      await faults[round % faults.length]?.();
      for (const [i, nb] of [a, b, c].entries()) await edit(nb, (roundSeeds[i] as number) + 1, round + 100);
    }
    try {
      await until(
        async () => {
          const [ca, cb, cc] = [await contents(a, heron.id), await contents(b, heron.id), await contents(c, heron.id)];
          return ca === cb && cb === cc && written.every((t) => ca.includes(t));
        },
        90_000,
        'the three notebooks to converge',
      );
    } catch (error) {
      // Say what differs: which edits each laptop lacks, and what its hub sync reports.
      for (const [name, nb] of [
        ['a', a],
        ['b', b],
        ['c', c],
      ] as const) {
        const held = await contents(nb, heron.id);
        const status = await nb.hub.status();
        console.error(
          name,
          'lacks',
          written.filter((t) => !held.includes(t)),
          JSON.stringify(status),
        );
      }
      const log = await HubStore.open(await openHubSql({ databaseUrl: pg.url, dataDir: '' }));
      console.error('hub log', JSON.stringify(await log.recentLog(30)));
      await log.close();
      throw error;
    }
  }, 180_000);

  it('tells a laptop on one instance who has a note open through the other', async () => {
    const [h1, h2] = [await hubOn(), await hubOn()];
    const admin = await HubStore.open(await openHubSql({ databaseUrl: pg.url, dataDir: '' }));
    const [a, b] = [await openTempNotebook(), await openTempNotebook()];
    b.setDeviceName('bea@laptop');
    const kite = await a.engagements.create({ client: 'Borealis Grid', codename: 'KITE', ceiling: 'SECRET' });
    const note = await a.notes.create({ engagementId: kite.id, type: 'general', title: 'Relay 7', classification: 'CUI', markdown: 'x' });
    for (const nb of [a, b]) await admin.addMember(keyFingerprint(nb.keys.publicKey), kite.id, nb.device.name);
    await admin.close();
    await a.hub.start();
    await a.hub.connect(h1.url, true, kite.id);
    await b.hub.start();
    await b.hub.connect(h2.url, true, kite.id);
    const docId = docIdFor('note', note.id);
    await until(() => b.docs.exists(docId), 30_000, 'the note to reach the other laptop');
    const seenByA: string[][] = [];
    a.hub.onEditors((id, editors) => {
      if (id === docId) seenByA.push(editors.map((e) => e.name));
    });
    await a.hub.setEditing('window-a', docId, true);
    await b.hub.setEditing('window-b', docId, true);
    await until(() => seenByA.at(-1)?.[0] === 'bea@laptop', 30_000, 'A to see B editing through the other instance');
    await b.hub.setEditing('window-b', docId, false);
    await until(() => seenByA.at(-1)?.length === 0, 30_000, 'A to see B stop');
    for (const nb of [a, b]) {
      await nb.hub.stop();
      await nb.close();
    }
  }, 90_000);
});
