import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeBytes } from '../../../shared/bytes';
import { type ErrorCode, OutpostError } from '../../../shared/errors';
import { aeadOpen, aeadSeal, sign } from '../../../shared/sync/bundle-crypto';
import {
  BUNDLE_FORMAT_VERSION,
  type BundleHeader,
  type BundlePayload,
  type BundleSecret,
  type DeviceKeyPair,
  generateDeviceKeyPair,
  inspectBundle,
  keyFingerprint,
  openBundle,
  readBundleFrame,
  sealBundle,
  teamKeyId,
  writeBundleFrame,
} from '../../../shared/sync/bundle-format';

const SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const MARKER = 'ZEBRA-MARKER-7f3a';
const BUNDLE_CODES: ErrorCode[] = ['bundle_invalid', 'bundle_version', 'bundle_signature', 'bundle_key', 'bundle_too_large'];

const signer = generateDeviceKeyPair();
const teamKey = new Uint8Array(randomBytes(32));
const teamSecret: BundleSecret = { kind: 'team-key', key: teamKey };
const passSecret: BundleSecret = { kind: 'passphrase', passphrase: 'correct horse battery staple' };

function headerFor(keys: DeviceKeyPair = signer) {
  return {
    bundleId: randomUUID(),
    createdAt: new Date().toISOString(),
    notebookId: randomUUID(),
    sender: { deviceId: randomUUID(), name: "Ana's laptop", publicKey: encodeBytes(keys.publicKey) },
    engagements: [{ id: randomUUID(), codename: 'HERON', ceiling: 'CUI' }],
    maxClassification: 'CUI',
    delta: { kind: 'full' as const },
  };
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function attachment(name: string, mime: string, data: Uint8Array) {
  return { sha256: sha256(data), name, mime, data };
}

function samplePayload(): BundlePayload {
  const note = new Y.Doc();
  note.getMap('meta').set('title', 'Late picks');
  note.getText('body').insert(0, `The ODBC bridge times out after 30 s. ${MARKER}`);
  const engagement = new Y.Doc();
  engagement.getMap('engagement').set('codename', 'HERON');
  const noteId = `note:${randomUUID()}`;
  const engagementId = `engagement:${randomUUID()}`;
  return {
    docs: [
      { docId: engagementId, update: Y.encodeStateAsUpdate(engagement) },
      { docId: noteId, update: Y.encodeStateAsUpdate(note) },
    ],
    attachments: [
      attachment('screenshot.png', 'image/png', new Uint8Array(randomBytes(3000))),
      attachment('trace.txt', 'text/plain', new TextEncoder().encode(`stack trace ${MARKER}\n`.repeat(20))),
      attachment('empty.bin', 'application/octet-stream', new Uint8Array(0)),
    ],
    senderState: [
      { docId: engagementId, stateVector: Y.encodeStateVector(engagement) },
      { docId: noteId, stateVector: Y.encodeStateVector(note) },
    ],
  };
}

function seal(payload: BundlePayload, secret: BundleSecret = teamSecret, keys: DeviceKeyPair = signer) {
  return sealBundle({ header: headerFor(keys), payload, secret, signer: keys, scrypt: SCRYPT });
}

/** Runs `action` and returns the OutpostError it fails with (failing the test if it succeeds or throws anything else). */
async function refusal(action: () => unknown): Promise<OutpostError> {
  let result: unknown;
  try {
    result = await action();
  } catch (error) {
    if (!(error instanceof OutpostError)) throw new Error(`Expected an OutpostError, got ${String(error)}`);
    expect(error.message).not.toMatch(/unexpected error/);
    return error;
  }
  throw new Error(`Expected a refusal, got ${JSON.stringify(result)?.slice(0, 200)}`);
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle)) >= 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

function expectSamePayload(actual: BundlePayload, expected: BundlePayload) {
  const plain = (p: BundlePayload) => ({
    docs: p.docs.map((d) => ({ docId: d.docId, update: Array.from(d.update) })),
    attachments: p.attachments.map((a) => ({ sha256: a.sha256, name: a.name, mime: a.mime, data: Array.from(a.data) })),
    senderState: p.senderState.map((s) => ({ docId: s.docId, stateVector: Array.from(s.stateVector) })),
  });
  expect(plain(actual)).toEqual(plain(expected));
}

/** Bytes [header length, ciphertext length) positions of a bundle, from its own frame. */
function layout(bytes: Uint8Array) {
  const frame = readBundleFrame(bytes);
  const H = frame.headerBytes.length;
  const C = frame.ciphertext.length;
  return { H, C, headerEnd: 14 + H, cipherStart: 22 + H, signatureStart: 22 + H + C, end: 22 + H + C + 64 };
}

/**
 * Builds a bundle around any header and plaintext payload bytes, encrypted with the team key and
 * signed by `keys`: a hostile but authentic sender.
 */
function craft(
  header: Record<string, unknown>,
  plaintext: Uint8Array,
  options: { keys?: DeviceKeyPair; compressed?: Uint8Array; key?: Uint8Array } = {},
) {
  const keys = options.keys ?? signer;
  const nonce = new Uint8Array(randomBytes(24));
  const full = {
    ...header,
    encryption: { aead: 'xchacha20poly1305', nonce: encodeBytes(nonce), kdf: { kind: 'team-key', keyId: teamKeyId(teamKey) } },
    ...(header.counts ? {} : { counts: { docs: 0, attachments: 0 } }),
    ...(header.expandedBytes !== undefined ? {} : { expandedBytes: plaintext.length }),
  };
  const compressed = options.compressed ?? deflateSync(plaintext);
  return writeBundleFrame(
    full,
    (aad) => aeadSeal(options.key ?? teamKey, nonce, aad, compressed),
    (signed) => sign(signed, keys.secretKey),
  );
}

/** The plaintext payload layout, written by hand: u32 BE manifest length, manifest JSON, blobs. */
function rawPayload(manifest: unknown, ...blobs: Uint8Array[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const total = 4 + json.length + blobs.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  let at = 4 + json.length;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.length;
  }
  return out;
}

describe('bundle format: round trip', () => {
  it('seals and opens with a passphrase; the content is not readable in the file', async () => {
    const payload = samplePayload();
    const bytes = await seal(payload, passSecret);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('OUTPOSTB');
    expect(contains(bytes, new TextEncoder().encode(MARKER))).toBe(false);
    expect(contains(bytes, new TextEncoder().encode('ODBC bridge'))).toBe(false);

    const opened = await openBundle(bytes, { kind: 'passphrase', passphrase: 'correct horse battery staple' });
    expectSamePayload(opened.payload, payload);
    expect(opened.header.encryption.kdf).toMatchObject({ kind: 'scrypt', N: 2 ** 10, r: 8, p: 1 });
    expect(opened.header.counts).toEqual({ docs: 2, attachments: 3 });

    // The updates are real Yjs updates: applying them rebuilds the note.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, opened.payload.docs[1]!.update);
    expect(doc.getText('body').toString()).toContain(MARKER);
  });

  it('normalizes the passphrase (NFKC), so composed and decomposed accents are the same passphrase', async () => {
    const bytes = await seal(samplePayload(), { kind: 'passphrase', passphrase: 'caf\u00e9 au lait' });
    const opened = await openBundle(bytes, { kind: 'passphrase', passphrase: 'cafe\u0301 au lait' });
    expect(opened.payload.docs).toHaveLength(2);
  });

  it('seals and opens with a team key; inspect shows the header without any secret', async () => {
    const payload = samplePayload();
    const bytes = await seal(payload, teamSecret);
    expect(contains(bytes, new TextEncoder().encode(MARKER))).toBe(false);

    const inspected = inspectBundle(bytes);
    expect(inspected.signatureValid).toBe(true);
    expect(inspected.header.engagements[0]?.codename).toBe('HERON');
    expect(inspected.header.sender.publicKey).toBe(encodeBytes(signer.publicKey));
    expect(inspected.header.encryption.kdf).toEqual({ kind: 'team-key', keyId: teamKeyId(teamKey) });
    expect(inspected.header.counts).toEqual({ docs: 2, attachments: 3 });
    expect(inspected.header.expandedBytes).toBeGreaterThan(3000);

    const opened = await openBundle(bytes, teamSecret);
    expect(opened.header).toEqual(inspected.header);
    expectSamePayload(opened.payload, payload);
  });

  it('writes the documented layout', async () => {
    const bytes = await seal(samplePayload());
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint16(8)).toBe(BUNDLE_FORMAT_VERSION);
    const H = view.getUint32(10);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(14, 14 + H))) as BundleHeader;
    expect(header.encryption.aead).toBe('xchacha20poly1305');
    const C = Number(view.getBigUint64(14 + H));
    expect(bytes.length).toBe(22 + H + C + 64);
  });

  it('opens an empty payload', async () => {
    const empty: BundlePayload = { docs: [], attachments: [], senderState: [] };
    const opened = await openBundle(await seal(empty), teamSecret);
    expect(opened.payload).toEqual(empty);
  });

  it('gives fingerprints and team key ids people can compare', () => {
    const fingerprint = keyFingerprint(signer.publicKey);
    expect(fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    expect(keyFingerprint(generateDeviceKeyPair().publicKey)).not.toBe(fingerprint);
    expect(teamKeyId(teamKey)).toMatch(/^[0-9a-f]{16}$/);
    expect(teamKeyId(teamKey)).toBe(sha256(teamKey).slice(0, 16));
  });

  it('refuses to seal with a signer that does not match the header, or a bad payload', async () => {
    const other = generateDeviceKeyPair();
    const header = headerFor(other);
    const err = await refusal(() => sealBundle({ header, payload: samplePayload(), secret: teamSecret, signer }));
    expect(err.code).toBe('invalid_request');
    const bad = samplePayload();
    bad.attachments[0]!.sha256 = 'a'.repeat(64);
    expect((await refusal(() => seal(bad))).code).toBe('invalid_request');
    const dup = samplePayload();
    dup.docs.push(dup.docs[0]!);
    expect((await refusal(() => seal(dup))).code).toBe('invalid_request');
    const weak = await refusal(() =>
      sealBundle({ header: headerFor(), payload: samplePayload(), secret: passSecret, signer, scrypt: { N: 1000, r: 8, p: 1 } }),
    );
    expect(weak.code).toBe('invalid_request');
  });
});

describe('bundle format: refusals', () => {
  it('refuses a wrong passphrase and a wrong team key, each with bundle_key', async () => {
    const passBundle = await seal(samplePayload(), passSecret);
    const wrongPass = await refusal(() => openBundle(passBundle, { kind: 'passphrase', passphrase: 'correct horse battery stapler' }));
    expect(wrongPass.code).toBe('bundle_key');
    expect(wrongPass.message).toMatch(/Wrong passphrase or key/);

    const teamBundle = await seal(samplePayload(), teamSecret);
    const otherKey = new Uint8Array(randomBytes(32));
    const wrongKey = await refusal(() => openBundle(teamBundle, { kind: 'team-key', key: otherKey }));
    expect(wrongKey.code).toBe('bundle_key');
    expect(wrongKey.message).toContain(`team key ${teamKeyId(teamKey)}, not the key given`);

    expect((await refusal(() => openBundle(teamBundle, passSecret))).code).toBe('bundle_key');
    expect((await refusal(() => openBundle(passBundle, teamSecret))).code).toBe('bundle_key');
    expect((await refusal(() => openBundle(teamBundle, { kind: 'team-key', key: new Uint8Array(16) }))).code).toBe('bundle_key');
  });

  it('refuses a key with the right id that still does not decrypt (a forged key id)', async () => {
    const otherKey = new Uint8Array(randomBytes(32));
    const payload = rawPayload({ docs: [], attachments: [], senderState: [] });
    const bytes = craft(headerFor(), payload, { key: otherKey });
    const err = await refusal(() => openBundle(bytes, teamSecret));
    expect(err.code).toBe('bundle_key');
    expect(err.message).toMatch(/Wrong passphrase or key/);
  });

  it('refuses files that are not bundles', async () => {
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode('PK\u0003\u0004 a zip file'), new Uint8Array(randomBytes(500))]) {
      const err = await refusal(() => openBundle(bytes, teamSecret));
      expect(err.code).toBe('bundle_invalid');
      expect(err.message).toMatch(/not an Outpost bundle/);
      expect((await refusal(() => inspectBundle(bytes))).code).toBe('bundle_invalid');
    }
  });

  it('refuses a bundle truncated anywhere', async () => {
    const bytes = await seal(samplePayload());
    const { headerEnd, cipherStart, signatureStart, end } = layout(bytes);
    const cuts = [
      1,
      7,
      8,
      9,
      10,
      13,
      14,
      15,
      headerEnd - 1,
      headerEnd,
      headerEnd + 4,
      cipherStart,
      cipherStart + 10,
      signatureStart,
      end - 1,
    ];
    for (const cut of cuts) {
      const err = await refusal(() => openBundle(bytes.subarray(0, cut), teamSecret));
      expect(err.code, `cut at ${cut}`).toBe('bundle_invalid');
      expect(err.message, `cut at ${cut}`).toMatch(/truncated/);
    }
  });

  it('refuses trailing bytes', async () => {
    const bytes = await seal(samplePayload());
    for (const extra of [new Uint8Array([0]), bytes]) {
      const joined = new Uint8Array([...bytes, ...extra]);
      const err = await refusal(() => openBundle(joined, teamSecret));
      expect(err.code).toBe('bundle_invalid');
      expect(err.message).toMatch(/unexpected bytes follow its signature/);
    }
  });

  it('refuses an unknown format version, naming it', async () => {
    const bytes = await seal(samplePayload());
    for (const version of [2, 0xffff, 0]) {
      const changed = bytes.slice();
      new DataView(changed.buffer).setUint16(8, version);
      const err = await refusal(() => openBundle(changed, teamSecret));
      expect(err.code).toBe('bundle_version');
      expect(err.message).toContain(`(format ${version})`);
      expect(err.message).toContain('this one reads format 1');
      expect((await refusal(() => inspectBundle(changed))).code).toBe('bundle_version');
    }
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint16(8, 2);
    expect((await refusal(() => openBundle(newer, teamSecret))).message).toMatch(/made by a newer Outpost \(format 2\)/);
  });

  it('refuses a header that is not valid JSON or not the schema, even when signed', async () => {
    const good = inspectBundle(await seal(samplePayload())).header;
    const cases: unknown[] = [
      { ...good, extra: true },
      { ...good, bundleId: 'not-a-uuid' },
      { ...good, sender: { ...good.sender, publicKey: encodeBytes(new Uint8Array(31)) } },
      { ...good, encryption: { ...good.encryption, aead: 'aes-256-gcm' } },
      { ...good, encryption: { ...good.encryption, nonce: encodeBytes(new Uint8Array(12)) } },
      { ...good, expandedBytes: -1 },
      { ...good, delta: { kind: 'since-peer' } },
      [good],
      'header',
    ];
    for (const header of cases) {
      const bytes = writeBundleFrame(
        header,
        () => new Uint8Array(40),
        (signed) => sign(signed, signer.secretKey),
      );
      const err = await refusal(() => openBundle(bytes, teamSecret));
      expect(err.code).toBe('bundle_invalid');
      expect(err.message).toMatch(/header is invalid/);
    }
  });

  it('refuses a re-signed bundle whose header still names the original key', async () => {
    const bytes = await seal(samplePayload());
    const { signatureStart } = layout(bytes);
    const forger = generateDeviceKeyPair();
    const resigned = bytes.slice();
    resigned.set(sign(bytes.subarray(0, signatureStart), forger.secretKey), signatureStart);
    expect(inspectBundle(resigned).signatureValid).toBe(false);
    const err = await refusal(() => openBundle(resigned, teamSecret));
    expect(err.code).toBe('bundle_signature');
    expect(err.message).toBe("The bundle's signature does not match its sender's key: it was altered or damaged");
  });

  it('a forger who swaps in their own key and re-signs cannot keep the ciphertext: the header is bound to it', async () => {
    const bytes = await seal(samplePayload());
    const original = readBundleFrame(bytes);
    const forger = generateDeviceKeyPair();
    const header = inspectBundle(bytes).header;
    const forged = writeBundleFrame(
      { ...header, sender: { ...header.sender, publicKey: encodeBytes(forger.publicKey) } },
      () => original.ciphertext,
      (signed) => sign(signed, forger.secretKey),
    );
    expect(inspectBundle(forged).signatureValid).toBe(true); // signed by the key it names; trusting that key is the importer's call
    const err = await refusal(() => openBundle(forged, teamSecret));
    expect(err.code).toBe('bundle_key');
  });

  it('refuses absurd scrypt settings before running scrypt', async () => {
    const bytes = await seal(samplePayload(), passSecret);
    const header = inspectBundle(bytes).header;
    const frame = readBundleFrame(bytes);
    const kdf = header.encryption.kdf as Extract<BundleHeader['encryption']['kdf'], { kind: 'scrypt' }>;
    for (const params of [
      { N: 2 ** 30, r: 8, p: 1 },
      { N: 2 ** 20, r: 16, p: 1 }, // 2 GiB
      { N: 3000, r: 8, p: 1 },
      { N: 2 ** 4, r: 8, p: 1 },
      { N: 2 ** 14, r: 1000, p: 1 },
      { N: 2 ** 14, r: 8, p: 64 },
    ]) {
      const hostile = writeBundleFrame(
        { ...header, encryption: { ...header.encryption, kdf: { ...kdf, ...params } } },
        () => frame.ciphertext,
        (signed) => sign(signed, signer.secretKey),
      );
      expect(inspectBundle(hostile).signatureValid).toBe(true);
      const started = performance.now();
      const err = await refusal(() => openBundle(hostile, passSecret));
      expect(performance.now() - started).toBeLessThan(1000); // scrypt at these settings would take seconds, or gigabytes
      expect(err.code).toBe('bundle_invalid');
      expect(err.message).toMatch(/unsafe key-derivation settings/);
    }
  });

  it('refuses payloads whose structure does not add up, even when signed and encrypted correctly', async () => {
    const note = `note:${randomUUID()}`;
    const blob = new Uint8Array([1, 2, 3, 4]);
    const file = new Uint8Array([9, 9, 9]);
    const fileEntry = { sha256: sha256(file), name: 'f.bin', mime: 'application/octet-stream', size: 3 };
    const cases: Array<{ why: RegExp; header?: Record<string, unknown>; plain: Uint8Array }> = [
      { why: /too short/, plain: new Uint8Array([0, 0]) },
      { why: /runs past the end/, plain: new Uint8Array([0, 0, 1, 0, 1, 2]) },
      { why: /not JSON/, plain: rawPayload('x').map((b, i) => (i === 4 ? 0x7b : b)) },
      { why: /not valid UTF-8/, plain: new Uint8Array([0, 0, 0, 2, 0xc3, 0x28]) },
      { why: /manifest is invalid/, plain: rawPayload({ docs: [{ docId: 'x', size: 1 }], attachments: [], senderState: [] }, blob) },
      { why: /manifest is invalid/, plain: rawPayload({ docs: [], attachments: [], senderState: [], more: 1 }) },
      {
        why: /more bytes than/,
        header: { counts: { docs: 1, attachments: 0 } },
        plain: rawPayload({ docs: [{ docId: note, size: 5 }], attachments: [], senderState: [] }, blob),
      },
      {
        why: /not described/,
        header: { counts: { docs: 1, attachments: 0 } },
        plain: rawPayload({ docs: [{ docId: note, size: 3 }], attachments: [], senderState: [] }, blob),
      },
      {
        why: /appears twice/,
        plain: rawPayload(
          {
            docs: [],
            attachments: [],
            senderState: [
              { docId: note, size: 2 },
              { docId: note, size: 2 },
            ],
          },
          blob,
        ),
      },
      {
        why: /does not match its SHA-256/,
        header: { counts: { docs: 0, attachments: 1 } },
        plain: rawPayload({ docs: [], attachments: [{ ...fileEntry, sha256: 'b'.repeat(64) }], senderState: [] }, file),
      },
      { why: /the header says 0 and 0/, plain: rawPayload({ docs: [], attachments: [fileEntry], senderState: [] }, file) },
    ];
    for (const { why, header, plain } of cases) {
      const bytes = craft({ ...headerFor(), ...header }, plain);
      const err = await refusal(() => openBundle(bytes, teamSecret));
      expect(err.code, why.source).toBe('bundle_invalid');
      expect(err.message, why.source).toMatch(why);
    }
    // And a hand-made payload that does add up opens.
    const ok = craft(
      { ...headerFor(), counts: { docs: 1, attachments: 1 } },
      rawPayload({ docs: [{ docId: note, size: 4 }], attachments: [fileEntry], senderState: [] }, blob, file),
    );
    const opened = await openBundle(ok, teamSecret);
    expect(Array.from(opened.payload.docs[0]!.update)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a damaged DEFLATE stream and output shorter than declared', async () => {
    const plain = rawPayload({ docs: [], attachments: [], senderState: [] });
    const damaged = await refusal(() =>
      openBundle(craft(headerFor(), plain, { compressed: new Uint8Array([0xff, 0xff, 0xff]) }), teamSecret),
    );
    expect(damaged.code).toBe('bundle_invalid');
    expect(damaged.message).toMatch(/decompression failed/);
    const short = await refusal(() => openBundle(craft({ ...headerFor(), expandedBytes: plain.length + 10 }, plain), teamSecret));
    expect(short.code).toBe('bundle_invalid');
    expect(short.message).toMatch(/they expand to \d+ bytes, its header says/);
  });
});

describe('bundle format: decompression bombs', () => {
  const FIFTY_MB = 50 * 1024 * 1024;
  const zeros = new Uint8Array(FIFTY_MB);
  const bomb = { sha256: sha256(zeros), name: 'zeros.bin', mime: 'application/octet-stream', data: zeros };
  let honest: Uint8Array;
  beforeAll(async () => {
    honest = await seal({ docs: [], attachments: [bomb], senderState: [] });
  });

  it('refuses, before decrypting, a bundle that declares more than the limit', async () => {
    const bytes = honest;
    expect(bytes.length).toBeLessThan(FIFTY_MB / 100); // 50 MB of zeros compress to almost nothing
    const err = await refusal(() => openBundle(bytes, teamSecret, { maxExpandedBytes: 1024 * 1024 }));
    expect(err.code).toBe('bundle_too_large');
    // Under a large enough limit the same bundle opens.
    const opened = await openBundle(bytes, teamSecret, { maxExpandedBytes: 64 * 1024 * 1024 });
    expect(opened.payload.attachments[0]?.data.length).toBe(FIFTY_MB);
  });

  it('stops inflating a stream that lies about its size as soon as it passes the declared size', async () => {
    // An authentic sender whose header claims 1 MiB while the stream expands to 50 MB.
    const header = inspectBundle(honest).header;
    const frame = readBundleFrame(honest);
    const compressed = aeadOpen(teamKey, Buffer.from(header.encryption.nonce, 'base64'), frame.associatedData, frame.ciphertext)!;
    const declared = 1024 * 1024;
    const nonce = new Uint8Array(randomBytes(24));
    const lying = writeBundleFrame(
      { ...header, expandedBytes: declared, encryption: { ...header.encryption, nonce: encodeBytes(nonce) } },
      (aad) => aeadSeal(teamKey, nonce, aad, compressed),
      (signed) => sign(signed, signer.secretKey),
    );

    const started = performance.now();
    const err = await refusal(() => openBundle(lying, teamSecret));
    const lyingMs = performance.now() - started;
    expect(err.code).toBe('bundle_too_large');
    expect(err.message).toMatch(/decompression bomb/);
    const produced = Number(/stopped after (\d+) bytes/.exec(err.details?.[0] ?? '')?.[1]);
    expect(produced).toBeGreaterThan(declared);
    expect(produced).toBeLessThanOrEqual(declared + 1.2 * 1024 * 1024); // far below the 50 MB the stream would give

    // Same with a low caller limit under an honest header.
    const capped = await refusal(() => openBundle(lying, teamSecret, { maxExpandedBytes: 200_000 }));
    expect(capped.code).toBe('bundle_too_large');

    const fullStarted = performance.now();
    await openBundle(honest, teamSecret, { maxExpandedBytes: 64 * 1024 * 1024 });
    const fullMs = performance.now() - fullStarted;
    expect(lyingMs).toBeLessThan(fullMs);
  });
});

describe('bundle format: every single-byte change is refused', () => {
  it('flips each byte of a small bundle, each refused with the code of the part it hit', async () => {
    const doc = new Y.Doc();
    doc.getText('body').insert(0, 'tiny');
    const bytes = await seal({
      docs: [{ docId: `note:${randomUUID()}`, update: Y.encodeStateAsUpdate(doc) }],
      attachments: [],
      senderState: [],
    });
    const { headerEnd, cipherStart, signatureStart } = layout(bytes);
    const expected = (i: number): ErrorCode[] => {
      if (i < 8) return ['bundle_invalid'];
      if (i < 10) return ['bundle_version'];
      if (i < 14) return ['bundle_invalid'];
      if (i < headerEnd) return ['bundle_invalid', 'bundle_signature'];
      if (i < cipherStart) return ['bundle_invalid'];
      return ['bundle_signature'];
    };
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0xff]) {
        const changed = bytes.slice();
        changed[i]! ^= mask;
        const err = await refusal(() => openBundle(changed, teamSecret));
        expect(expected(i), `byte ${i} (of ${bytes.length}, signature at ${signatureStart}) ^ ${mask}: ${err.message}`).toContain(err.code);
      }
    }
  }, 30_000);
});

describe('bundle format: fuzz', () => {
  interface Mutation {
    kind: 'flip' | 'set' | 'truncate' | 'insert' | 'splice';
    /** A position, taken modulo the current length + 1. */
    pos: number;
    mask: number;
    remove: number;
    bytes: Uint8Array;
  }

  /** Mutations for a target of about `length` bytes; positions are uniform over it (fast-check biases integers towards small values). */
  function mutation(length: number): fc.Arbitrary<Mutation> {
    return fc.record({
      kind: fc.constantFrom<Mutation['kind']>('flip', 'flip', 'set', 'truncate', 'insert', 'splice'),
      pos: fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) => n % (length + 1)),
      mask: fc.integer({ min: 0, max: 255 }),
      remove: fc.integer({ min: 0, max: 40 }),
      bytes: fc.uint8Array({ minLength: 0, maxLength: 24 }),
    });
  }

  function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
    const at = m.pos % (bytes.length + 1);
    switch (m.kind) {
      case 'flip': {
        const out = bytes.slice();
        if (at < out.length) out[at]! ^= m.mask;
        return out;
      }
      case 'set': {
        const out = bytes.slice();
        if (at < out.length) out[at] = m.mask;
        return out;
      }
      case 'truncate':
        return bytes.slice(0, at);
      case 'insert':
        return new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
      case 'splice':
        return new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at + m.remove)]);
    }
  }

  async function check(
    original: Uint8Array,
    mutated: Uint8Array,
    secret: BundleSecret,
    expected: BundlePayload,
    seen: Map<string, number>,
  ) {
    if (sameBytes(original, mutated)) {
      const opened = await openBundle(mutated, secret);
      expectSamePayload(opened.payload, expected);
      seen.set('unchanged', (seen.get('unchanged') ?? 0) + 1);
      return;
    }
    const err = await refusal(() => openBundle(mutated, secret));
    expect(BUNDLE_CODES).toContain(err.code);
    seen.set(err.code, (seen.get(err.code) ?? 0) + 1);
    // Inspect agrees: refused, or readable with a signature that no longer holds.
    try {
      expect(inspectBundle(mutated).signatureValid).toBe(false);
    } catch (error) {
      expect(error).toBeInstanceOf(OutpostError);
    }
  }

  it('random mutations of a team-key bundle: refused with an OutpostError unless the bytes are unchanged', async () => {
    const payload = samplePayload();
    payload.attachments = payload.attachments.slice(1); // keep it small
    const original = await seal(payload);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(original.length), { minLength: 1, maxLength: 3 }), async (mutations) => {
        const mutated = mutations.reduce(apply, original);
        await check(original, mutated, teamSecret, payload, seen);
      }),
      { numRuns: 3000 },
    );
    // The mutations reach every layer: structure, version and signature checks all refused some.
    expect(seen.get('bundle_invalid')).toBeGreaterThan(100);
    expect(seen.get('bundle_signature')).toBeGreaterThan(100);
    expect(seen.get('bundle_version')).toBeGreaterThan(0);
  }, 30_000);

  it('random mutations of a passphrase bundle', async () => {
    const payload: BundlePayload = { docs: samplePayload().docs, attachments: [], senderState: [] };
    const original = await seal(payload, passSecret);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutation(original.length), async (m) => {
        await check(original, apply(original, m), passSecret, payload, seen);
      }),
      { numRuns: 400 },
    );
    expect(seen.get('unchanged')).toBeGreaterThan(0); // a flip with mask 0 or a no-op splice: opened to the same payload
  }, 30_000);

  it('a hostile but authentic sender: mutated compressed or plaintext payloads, properly encrypted and signed', async () => {
    const payload = samplePayload();
    payload.attachments = payload.attachments.slice(1);
    const honest = await seal(payload);
    const header = inspectBundle(honest).header;
    const frame = readBundleFrame(honest);
    const compressed = aeadOpen(teamKey, Buffer.from(header.encryption.nonce, 'base64'), frame.associatedData, frame.ciphertext)!;
    const { inflateSync } = await import('fflate');
    const plain = inflateSync(compressed);
    const { encryption: _encryption, ...rest } = header;
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.boolean(),
        fc.array(mutation(plain.length), { minLength: 1, maxLength: 2 }),
        async (onPlain, keepSize, ms) => {
          const target = onPlain ? plain : compressed;
          const mutated = ms.reduce(apply, target);
          const expandedBytes = onPlain ? (keepSize ? plain.length : mutated.length) : header.expandedBytes;
          const bytes = onPlain
            ? craft({ ...rest, expandedBytes }, mutated)
            : craft({ ...rest, expandedBytes }, plain, { compressed: mutated });
          try {
            const opened = await openBundle(bytes, teamSecret);
            // Whatever opens is consistent with its header.
            expect(opened.payload.docs.length).toBe(header.counts.docs);
            for (const a of opened.payload.attachments) expect(sha256(a.data)).toBe(a.sha256);
            seen.set('opened', (seen.get('opened') ?? 0) + 1);
          } catch (error) {
            if (!(error instanceof OutpostError)) throw error;
            seen.set(error.code, (seen.get(error.code) ?? 0) + 1);
            expect(['bundle_invalid', 'bundle_too_large']).toContain(error.code);
            expect(error.message).not.toMatch(/unexpected error/);
          }
        },
      ),
      { numRuns: 600 },
    );
    // Both decompression and payload checks were exercised, and some mutations (inside a document's bytes) still make a valid bundle.
    expect(seen.get('bundle_invalid')).toBeGreaterThan(50);
    expect(seen.get('bundle_too_large')).toBeGreaterThan(0);
  }, 30_000);
});
