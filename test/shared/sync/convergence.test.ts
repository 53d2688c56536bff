import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMapChanges, readMap } from '../../../shared/map/doc';
import { addStakeholder, readStakeholders, updateStakeholder } from '../../../shared/stakeholders/doc';
import { type BundleSecret, type DeviceKeyPair, generateDeviceKeyPair, openBundle, sealBundle } from '../../../shared/sync/bundle-format';
import { deltaForPeer, type PeerKnowledge } from '../../../shared/sync/delta';
import { mergeStateVectors } from '../../../shared/sync/state-vectors';

/**
 * Convergence of bundle exchanges, as a property: 3–5 replicas edit notes and an engagement
 * offline, then swap real bundles (sealed, signed, opened) built by the same delta rules the
 * notebook uses — full, "since the last bundle to that peer", and from a (possibly stale) "have"
 * file — delivered late, out of order and more than once, with ledgers that may be lost. Once
 * everything is delivered and the replicas have gossiped until nothing is left to send, all hold
 * identical documents and every inserted word is present everywhere.
 */

const TEAM_KEY: BundleSecret = { kind: 'team-key', key: new Uint8Array(32).fill(7) };
const DOCS = [
  'engagement:00000000-0000-4000-8000-00000000000e',
  'note:00000000-0000-4000-8000-000000000001',
  'note:00000000-0000-4000-8000-000000000002',
];
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Replica {
  deviceId: string;
  keys: DeviceKeyPair;
  docs: Map<string, Y.Doc>;
  /** What this replica knows each peer holds, per document (its ledger). */
  knowledge: Map<string, Map<string, PeerKnowledge>>;
}

interface Mail {
  to: number;
  bytes: Uint8Array;
}

type Command =
  | { op: 'insert'; replica: number; doc: number; at: number; token: number }
  | { op: 'filler'; replica: number; doc: number }
  | { op: 'deleteFiller'; replica: number; doc: number; at: number }
  | { op: 'setField'; replica: number; doc: number; value: number }
  /** On the engagement: add a system or a stakeholder (named by a token), or set a field of one. */
  | { op: 'mapEdit'; replica: number; add: boolean; token: number; pick: number }
  | { op: 'stakeholderEdit'; replica: number; add: boolean; token: number; pick: number }
  | { op: 'export'; from: number; to: number; kind: 'full' | 'since-peer' | 'have'; staleHave: boolean }
  | { op: 'deliver'; pick: number; keep: boolean }
  /** Two laptops side by side: a delta handed over and imported at once. */
  | { op: 'exchange'; from: number; to: number }
  | { op: 'forget'; replica: number; peer: number };

function docOf(replica: Replica, docId: string): Y.Doc {
  let doc = replica.docs.get(docId);
  if (!doc) {
    doc = new Y.Doc({ gc: true });
    replica.docs.set(docId, doc);
  }
  return doc;
}

/** The note body's paragraphs, as the editor keeps them (XmlElement paragraphs holding XmlText). */
function paragraphs(doc: Y.Doc): Y.XmlText[] {
  return doc
    .getXmlFragment('body')
    .toArray()
    .map((p) => (p as Y.XmlElement).toArray()[0] as Y.XmlText)
    .filter(Boolean);
}

function appendParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('body').push([paragraph]);
}

type EditCommand = Extract<Command, { op: 'insert' | 'filler' | 'deleteFiller' | 'setField' | 'mapEdit' | 'stakeholderEdit' }>;

const STATUSES = ['healthy', 'degraded', 'broken', 'planned'] as const;

function edit(replica: Replica, command: EditCommand, tokens: Set<string>): void {
  if (command.op === 'mapEdit') {
    const doc = docOf(replica, DOCS[0] as string);
    const systems = readMap(doc).map.systems;
    const target = systems[command.pick % Math.max(1, systems.length)];
    if (command.add || !target) {
      const name = `[t${command.token}]`;
      // The same token drawn twice on one replica would be a duplicate name: skip it.
      if (systems.some((system) => system.name === name)) return;
      tokens.add(name);
      applyMapChanges(doc, [{ op: 'addSystem', system: { name, kind: 'application' } }]);
    } else applyMapChanges(doc, [{ op: 'updateSystem', id: target.id, patch: { status: STATUSES[command.token % STATUSES.length] } }]);
    return;
  }
  if (command.op === 'stakeholderEdit') {
    const doc = docOf(replica, DOCS[0] as string);
    const people = readStakeholders(doc).stakeholders;
    const target = people[command.pick % Math.max(1, people.length)];
    if (command.add || !target) {
      const name = `Person t${command.token}`;
      if (people.some((person) => person.name === name)) return;
      tokens.add(name);
      addStakeholder(doc, { name, role: 'Operations' });
    } else updateStakeholder(doc, target.id, { fluency: 1 + (command.token % 5) });
    return;
  }
  if (command.op === 'setField') {
    docOf(replica, DOCS[command.doc] as string)
      .getMap('meta')
      .set('title', `title-${command.value}`);
    return;
  }
  const doc = docOf(replica, DOCS[command.doc] as string);
  const texts = paragraphs(doc);
  if (command.op === 'insert') {
    const token = `[t${command.token}]`;
    tokens.add(token);
    const target = texts.length ? texts[command.at % texts.length] : null;
    if (!target) appendParagraph(doc, token);
    else {
      // Between tokens, never inside one: the start, the end, or just after a "]".
      const text = target.toString();
      const boundaries = [0, ...[...text.matchAll(/\]/g)].map((m) => (m.index as number) + 1), text.length];
      target.insert(boundaries[command.at % boundaries.length] as number, token);
    }
  } else if (command.op === 'filler') appendParagraph(doc, '~~~~~~~~');
  else if (command.op === 'deleteFiller') {
    // Only filler is ever deleted, so every token must survive every merge.
    for (const text of texts) {
      const at = text.toString().indexOf('~~');
      if (at >= 0) {
        text.delete(at, 2);
        return;
      }
    }
  }
}

async function exportBundle(
  replicas: Replica[],
  from: number,
  to: number,
  kind: 'full' | 'since-peer' | 'have',
  haves: Map<number, Map<string, Uint8Array>>,
): Promise<Uint8Array> {
  const sender = replicas[from] as Replica;
  const peer = replicas[to] as Replica;
  const known = sender.knowledge.get(peer.deviceId) ?? new Map<string, PeerKnowledge>();
  const have = haves.get(to);
  const payload = {
    docs: [] as Array<{ docId: string; update: Uint8Array }>,
    attachments: [],
    senderState: [] as Array<{ docId: string; stateVector: Uint8Array }>,
  };
  const sent: Array<{ docId: string; stateVector: Uint8Array; snapshot: Uint8Array }> = [];
  for (const [docId, doc] of sender.docs) {
    const knowledge = kind === 'since-peer' ? known.get(docId) : kind === 'have' ? { theirSnapshot: have?.get(docId) } : undefined;
    const delta = deltaForPeer(doc, knowledge);
    if (!delta) continue;
    payload.docs.push({ docId, update: delta.update });
    payload.senderState.push({ docId, stateVector: delta.stateVector });
    sent.push({ docId, stateVector: delta.stateVector, snapshot: delta.snapshot });
  }
  // As the notebook does: the peer is assumed to import what it is sent.
  for (const s of sent) {
    const previous = known.get(s.docId)?.stateVector;
    known.set(s.docId, { stateVector: previous ? mergeStateVectors(previous, s.stateVector) : s.stateVector, sentSnapshot: s.snapshot });
  }
  sender.knowledge.set(peer.deviceId, known);
  return sealBundle({
    header: {
      bundleId: crypto.randomUUID(),
      createdAt: new Date().toISOString(),
      notebookId: uuid(99),
      sender: { deviceId: sender.deviceId, name: `replica ${from}`, publicKey: Buffer.from(sender.keys.publicKey).toString('base64') },
      engagements: [{ id: uuid(14), codename: 'HERON', ceiling: 'SECRET' }],
      maxClassification: null,
      delta: kind === 'full' ? { kind: 'full' } : { kind, peerDeviceId: peer.deviceId },
    },
    payload,
    secret: TEAM_KEY,
    signer: sender.keys,
  });
}

async function importBundle(replica: Replica, bytes: Uint8Array): Promise<number> {
  const { header, payload } = await openBundle(bytes, TEAM_KEY);
  let changed = 0;
  for (const { docId, update } of payload.docs) {
    const doc = docOf(replica, docId);
    const before = Y.snapshot(doc);
    Y.applyUpdate(doc, update);
    if (!Y.equalSnapshots(before, Y.snapshot(doc))) changed++;
  }
  const known = replica.knowledge.get(header.sender.deviceId) ?? new Map<string, PeerKnowledge>();
  for (const { docId, stateVector } of payload.senderState) {
    const previous = known.get(docId);
    known.set(docId, {
      ...previous,
      stateVector: previous?.stateVector ? mergeStateVectors(previous.stateVector, stateVector) : stateVector,
    });
  }
  replica.knowledge.set(header.sender.deviceId, known);
  return changed;
}

/** Documents of `source` holding something (content or a deletion) that `target` lacks. */
function missing(target: Replica, source: Replica): string[] {
  const lacking: string[] = [];
  for (const [docId, doc] of source.docs) {
    const copy = new Y.Doc({ gc: true });
    const mine = target.docs.get(docId);
    if (mine) Y.applyUpdate(copy, Y.encodeStateAsUpdate(mine));
    const before = Y.snapshot(copy);
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    if (!Y.equalSnapshots(before, Y.snapshot(copy))) lacking.push(docId);
    copy.destroy();
  }
  return lacking;
}

function haveOf(replica: Replica): Map<string, Uint8Array> {
  return new Map([...replica.docs].map(([id, doc]) => [id, Y.encodeSnapshot(Y.snapshot(doc))]));
}

/** Maps as sorted objects: replicas may hold a Y.Map's keys in another order (the order they arrived). */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
    );
  return value;
}

function content(replica: Replica): string {
  return JSON.stringify(
    DOCS.map((id) => {
      const doc = replica.docs.get(id);
      return doc
        ? [
            doc.getXmlFragment('body').toString(),
            sorted(doc.getMap('meta').toJSON()),
            sorted(doc.getMap('systems').toJSON()),
            sorted(doc.getMap('stakeholders').toJSON()),
          ]
        : null;
    }),
  );
}

const commandArb = (replicas: number): fc.Arbitrary<Command> => {
  const r = fc.nat({ max: replicas - 1 });
  const d = fc.nat({ max: DOCS.length - 1 });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant('insert' as const), replica: r, doc: d, at: fc.nat(50), token: fc.nat(1_000_000) }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('filler' as const), replica: r, doc: d }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('deleteFiller' as const), replica: r, doc: d, at: fc.nat(50) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('setField' as const), replica: r, doc: d, value: fc.nat(9) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('mapEdit' as const),
        replica: r,
        add: fc.boolean(),
        token: fc.nat(1_000_000),
        pick: fc.nat(20),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('stakeholderEdit' as const),
        replica: r,
        add: fc.boolean(),
        token: fc.nat(1_000_000),
        pick: fc.nat(20),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('export' as const),
        from: r,
        to: r,
        kind: fc.constantFrom('full' as const, 'since-peer' as const, 'have' as const),
        staleHave: fc.boolean(),
      }),
    },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('deliver' as const), pick: fc.nat(20), keep: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('exchange' as const), from: r, to: r }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('forget' as const), replica: r, peer: r }) },
  );
};

const keys = Array.from({ length: 5 }, () => generateDeviceKeyPair());

/** Runs one schedule, then delivers everything and gossips; asserts convergence and that nothing was lost. */
async function runSchedule(n: number, commands: Command[]): Promise<void> {
  const replicas: Replica[] = Array.from({ length: n }, (_, i) => ({
    deviceId: uuid(i + 1),
    keys: keys[i] as DeviceKeyPair,
    docs: new Map(),
    knowledge: new Map(),
  }));
  const tokens = new Set<string>();
  const mail: Mail[] = [];
  // "have" files as last written by each replica (they may be stale when used).
  const haves = new Map<number, Map<string, Uint8Array>>();
  for (const command of commands) {
    if (command.op === 'export') {
      if (command.from === command.to) continue;
      if (command.kind === 'have' && (!command.staleHave || !haves.has(command.to)))
        haves.set(command.to, haveOf(replicas[command.to] as Replica));
      mail.push({ to: command.to, bytes: await exportBundle(replicas, command.from, command.to, command.kind, haves) });
    } else if (command.op === 'deliver') {
      if (!mail.length) continue;
      const index = command.pick % mail.length;
      const letter = mail[index] as Mail;
      if (!command.keep) mail.splice(index, 1); // kept: delivered again later (a duplicate)
      await importBundle(replicas[letter.to] as Replica, letter.bytes);
    } else if (command.op === 'exchange') {
      if (command.from === command.to) continue;
      const [from, to] = [replicas[command.from] as Replica, replicas[command.to] as Replica];
      // Whatever was in transit to `to` may still be missing there (a delta builds on it),
      // but nothing `from` holds may be missing from what it just handed over and `to` had.
      await importBundle(to, await exportBundle(replicas, command.from, command.to, 'since-peer', haves));
      if (!mail.some((m) => m.to === command.to)) expect(missing(to, from)).toEqual([]);
    } else if (command.op === 'forget') {
      // A lost or restored-from-backup ledger: the replica no longer knows what the peer has.
      replicas[command.replica]?.knowledge.delete(uuid(command.peer + 1));
    } else edit(replicas[command.replica] as Replica, command, tokens);
  }
  // Everything still in transit arrives (in the order it was sent), then the replicas
  // gossip "since the last bundle" deltas until none has anything left to send.
  for (const letter of mail) await importBundle(replicas[letter.to] as Replica, letter.bytes);
  // One "since the last bundle" delta carries everything the peer lacks, deletions included.
  for (let from = 0; from < n; from++) {
    for (let to = 0; to < n; to++) {
      if (from === to) continue;
      await importBundle(replicas[to] as Replica, await exportBundle(replicas, from, to, 'since-peer', haves));
      expect(missing(replicas[to] as Replica, replicas[from] as Replica)).toEqual([]);
    }
  }
  for (let round = 0; round < 6; round++) {
    let moved = 0;
    for (let from = 0; from < n; from++) {
      for (let to = 0; to < n; to++) {
        if (from !== to) moved += await importBundle(replicas[to] as Replica, await exportBundle(replicas, from, to, 'since-peer', haves));
      }
    }
    if (!moved) break;
  }
  const expected = content(replicas[0] as Replica);
  for (const replica of replicas) {
    expect(content(replica)).toBe(expected);
    for (const doc of replica.docs.values()) expect(doc.store.pendingStructs).toBeNull();
  }
  for (const token of tokens) expect(expected).toContain(token);
}

describe('bundle exchange converges', () => {
  it('sends a deletion that is the only change since the last bundle', async () => {
    await runSchedule(2, [
      { op: 'filler', replica: 0, doc: 1 },
      { op: 'exchange', from: 0, to: 1 },
      { op: 'deleteFiller', replica: 0, doc: 1, at: 0 },
      { op: 'exchange', from: 0, to: 1 },
    ]);
  });

  it('for random edits and random, reordered, duplicated exchanges between 3–5 replicas', async () => {
    const scenario = fc
      .integer({ min: 3, max: 5 })
      .chain((n) => fc.tuple(fc.constant(n), fc.array(commandArb(n), { minLength: 5, maxLength: 40 })));
    await fc.assert(
      fc.asyncProperty(scenario, ([n, commands]) => runSchedule(n, commands)),
      { numRuns: 200 },
    );
  }, 60_000);
});
