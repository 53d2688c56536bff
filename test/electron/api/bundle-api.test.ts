import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it, vi } from 'vitest';
import { ApiServer } from '../../../electron/api/api-server';
import type { ClientSession } from '../../../electron/api/endpoint';
import { startServicesWorker } from '../../../electron/api/worker-client';
import { BundleDownloads, BundleUploads, bundleFileName, UPLOAD_IDLE_MS } from '../../../electron/sync/bundle-transfers';
import { encodeBytes } from '../../../shared/bytes';
import type { Result } from '../../../shared/errors';
import type {
  BundleExportResult,
  BundleInspection,
  ImportReportInfo,
  LedgerEntryInfo,
  TrustedDeviceInfo,
} from '../../../shared/sync/calls';
import { openTempNotebook, tempDir } from '../../helpers/notebook';

const PASSPHRASE = 'correct horse battery staple';
/** No key derivation: faster than a passphrase where the secret does not matter. */
const TEAM_KEY = { kind: 'team-key', key: encodeBytes(new Uint8Array(32).fill(7)) } as const;

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function upload(session: ClientSession, bytes: Uint8Array, pieces = 3): Promise<string> {
  const { uploadId } = value<{ uploadId: string }>(
    await session.call('bundles.uploadBegin', { name: 'HERON.outpost', size: bytes.length }),
  );
  const step = Math.ceil(bytes.length / pieces);
  for (let index = 0, offset = 0; offset < bytes.length; index++, offset += step)
    value(await session.call('bundles.uploadChunk', { uploadId, index, data: encodeBytes(bytes.subarray(offset, offset + step)) }));
  return uploadId;
}

describe('bundle transfers (held per connection)', () => {
  it('takes chunks in order, up to the announced size, for their owner only', () => {
    const uploads = new BundleUploads();
    const id = uploads.begin('a', 'x.outpost', 5);
    expect(() => uploads.chunk('b', id, 0, new Uint8Array([1]))).toThrow(/No such bundle upload/);
    uploads.chunk('a', id, 0, new Uint8Array([1, 2]));
    expect(() => uploads.get('a', id)).toThrow(/incomplete \(2 of 5 bytes\)/);
    uploads.chunk('a', id, 1, new Uint8Array([3, 4, 5]));
    expect([...uploads.get('a', id).bytes]).toEqual([1, 2, 3, 4, 5]);
    expect(() => uploads.chunk('a', id, 2, new Uint8Array([6]))).toThrow(/larger than announced/);
    expect(() => uploads.get('a', id)).toThrow(/No such bundle upload/);

    const skipped = uploads.begin('a', 'y.outpost', 4);
    expect(() => uploads.chunk('a', skipped, 1, new Uint8Array([1]))).toThrow(/out of order/);
    expect(() => uploads.begin('a', 'huge.outpost', 2 ** 30 + 1)).toThrow(/up to 1 GB/);
  });

  it('keeps two uploads per connection, forgets idle ones and a closed connection’s', () => {
    let now = 0;
    const uploads = new BundleUploads(() => now);
    const first = uploads.begin('a', '1', 1);
    now++;
    const second = uploads.begin('a', '2', 1);
    now++;
    uploads.begin('a', '3', 1);
    uploads.begin('b', '4', 1);
    expect(() => uploads.get('a', first)).toThrow(/No such/);
    expect(() => uploads.chunk('a', second, 0, new Uint8Array([9]))).not.toThrow();
    now += UPLOAD_IDLE_MS + 10;
    expect(() => uploads.get('a', second)).toThrow(/No such/);
    const fresh = uploads.begin('b', '5', 1);
    uploads.dropOwner('b');
    expect(() => uploads.get('b', fresh)).toThrow(/No such/);
    expect(uploads.size).toBe(0);
  });

  it('gives each download once, before it expires', () => {
    let now = 1000;
    const downloads = new BundleDownloads(60_000, () => now);
    const { token } = downloads.put('a', { bytes: new Uint8Array([1]), fileName: 'x.outpost' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(downloads.take('nope')).toBeNull();
    expect(downloads.take(token)?.fileName).toBe('x.outpost');
    expect(downloads.take(token)).toBeNull();
    const late = downloads.put('a', { bytes: new Uint8Array([1]), fileName: 'y.outpost' });
    now += 60_001;
    expect(downloads.take(late.token)).toBeNull();
    const gone = downloads.put('a', { bytes: new Uint8Array([1]), fileName: 'z.outpost' });
    downloads.dropOwner('a');
    expect(downloads.take(gone.token)).toBeNull();
  });

  it('reads a download in pieces, for its own connection only; the last piece uses it up', () => {
    let now = 1000;
    const downloads = new BundleDownloads(60_000, () => now);
    const { token } = downloads.put('a', { bytes: new Uint8Array([1, 2, 3, 4, 5]), fileName: 'x.pdf' });
    expect(() => downloads.read('b', token, 0, 2)).toThrow(/This download is gone/);
    expect(downloads.read('a', token, 0, 2)).toEqual({ data: new Uint8Array([1, 2]), size: 5 });
    // Each read gives the download another minute: a slow reader of a large bundle keeps it.
    now += 50_000;
    expect([...downloads.read('a', token, 2, 2).data]).toEqual([3, 4]);
    now += 50_000;
    expect([...downloads.read('a', token, 4, 2).data]).toEqual([5]);
    expect(() => downloads.read('a', token, 0, 2)).toThrow(/This download is gone/);
    expect(downloads.size).toBe(0);

    const empty = downloads.put('a', { bytes: new Uint8Array(), fileName: 'empty.md' });
    expect(downloads.read('a', empty.token, 0, 10)).toEqual({ data: new Uint8Array(), size: 0 });
    expect(downloads.size).toBe(0);
    const late = downloads.put('a', { bytes: new Uint8Array([1]), fileName: 'late' });
    now += 60_001;
    expect(() => downloads.read('a', late.token, 0, 1)).toThrow(/This download is gone/);
  });

  it('names a bundle after its engagements and the local date', () => {
    const day = new Date(2026, 10, 29, 8, 0);
    expect(bundleFileName(['HERON'], day)).toBe('HERON-2026-11-29.outpost');
    expect(bundleFileName(['HERON', 'KITE'], day)).toBe('HERON+KITE-2026-11-29.outpost');
    expect(bundleFileName(['A', 'B', 'C', 'D'], day)).toBe('A+3 more-2026-11-29.outpost');
    expect(bundleFileName(['Ünïcode ok/../x'], day)).toBe('Ünïcode ok_.._x-2026-11-29.outpost');
  });
});

describe('bundles over the contract', () => {
  it('exports to a one-time download, uploads it to another notebook, previews, refuses a wrong passphrase, imports', async () => {
    const a = await openTempNotebook();
    const b = await openTempNotebook();
    const serverA = new ApiServer(a);
    const serverB = new ApiServer(b);
    const eventsB: string[] = [];
    const sessionA = serverA.connect(() => {});
    const progressB: unknown[] = [];
    const sessionB = serverB.connect((event, payload) => {
      eventsB.push(event);
      if (event === 'bundles.importProgress') progressB.push(payload);
    });

    const heron = value<{ id: string }>(await sessionA.call('engagements.create', { client: 'Acme', codename: 'HERON' }));
    value(
      await sessionA.call('notes.create', {
        engagementId: heron.id,
        type: 'general',
        title: 'Pump station log',
        markdown: 'Valve 3 sticks.',
      }),
    );

    const short = await sessionA.call('bundles.export', {
      engagementIds: [heron.id],
      delta: { kind: 'full' },
      secret: { kind: 'passphrase', passphrase: 'too short' },
    });
    expect(short).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/at least 12 characters/) },
    });
    const badKey = await sessionA.call('bundles.export', {
      engagementIds: [heron.id],
      delta: { kind: 'full' },
      secret: { kind: 'team-key', key: encodeBytes(new Uint8Array(31)) },
    });
    expect(badKey).toMatchObject({ ok: false, error: { message: expect.stringMatching(/exactly 32 bytes/) } });

    const exported = value<BundleExportResult>(
      await sessionA.call('bundles.export', {
        engagementIds: [heron.id],
        delta: { kind: 'full' },
        secret: { kind: 'passphrase', passphrase: PASSPHRASE },
      }),
    );
    expect(exported).toMatchObject({
      docs: 2,
      withheld: 0,
      unchanged: 0,
      fileName: expect.stringMatching(/^HERON-\d{4}-\d\d-\d\d\.outpost$/),
    });
    const download = await serverA.takeBundleDownload(exported.token);
    expect(download?.bytes.length).toBe(exported.bytes);
    expect(await serverA.takeBundleDownload(exported.token)).toBeNull();
    const bytes = download?.bytes as Uint8Array;
    const ledgerA = value<{ entries: LedgerEntryInfo[] }>(await sessionA.call('bundles.ledger', {}));
    expect(ledgerA.entries).toMatchObject([{ direction: 'sent', docs: 2, fileName: exported.fileName }]);

    // Another connection cannot use this connection's upload.
    const uploadId = await upload(sessionB, bytes);
    const other = serverB.connect(() => {});
    expect(await other.call('bundles.inspect', { uploadId })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const inspected = value<BundleInspection>(await sessionB.call('bundles.inspect', { uploadId }));
    expect(inspected).toMatchObject({
      fileName: 'HERON.outpost',
      size: bytes.length,
      signatureValid: true,
      trust: 'unknown',
      trustedDevice: null,
      previouslyImportedAt: null,
      header: { sender: { deviceId: a.device.deviceId }, engagements: [{ codename: 'HERON' }] },
    });

    const wrong = await sessionB.call('bundles.import', {
      uploadId,
      secret: { kind: 'passphrase', passphrase: 'wrong horse battery staple' },
      dryRun: true,
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bundle_key', message: expect.stringMatching(/Wrong passphrase/) } });

    // The preview works before the device is trusted, and writes nothing.
    const preview = value<ImportReportInfo>(
      await sessionB.call('bundles.import', { uploadId, secret: { kind: 'passphrase', passphrase: PASSPHRASE }, dryRun: true }),
    );
    expect(preview.applied).toBe(false);
    expect(preview.docs.map((d) => [d.kind, d.label, d.created])).toEqual(
      expect.arrayContaining([
        ['engagement', 'HERON', true],
        ['note', 'Pump station log', true],
      ]),
    );
    expect(value<{ engagements: unknown[] }>(await sessionB.call('engagements.list', {})).engagements).toHaveLength(0);
    expect(value<{ devices: unknown[] }>(await sessionB.call('devices.list', {})).devices).toHaveLength(0);

    // Applying it needs the person's trust.
    const untrusted = await sessionB.call('bundles.import', { uploadId, secret: { kind: 'passphrase', passphrase: PASSPHRASE } });
    expect(untrusted).toMatchObject({ ok: false, error: { code: 'bundle_untrusted' } });
    const imported = value<ImportReportInfo>(
      await sessionB.call('bundles.import', { uploadId, secret: { kind: 'passphrase', passphrase: PASSPHRASE }, trustSender: true }),
    );
    expect(imported.applied).toBe(true);
    expect(eventsB).toContain('bundles.changed');
    // The connection that asked was told how far the import went, phase by phase.
    expect(progressB).toEqual(
      expect.arrayContaining([
        { uploadId, phase: 'opening', done: 0, total: 1 },
        expect.objectContaining({ uploadId, phase: 'merging', total: 2 }),
        expect.objectContaining({ uploadId, phase: 'writing', total: 2 }),
      ]),
    );
    // Lists hear of the imported notes once their projections are written, just after the commit.
    await vi.waitFor(() => expect(eventsB).toContain('notes.changed'));
    // An applied upload is forgotten.
    expect(await sessionB.call('bundles.inspect', { uploadId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const notes = value<{ notes: Array<{ title: string }> }>(await sessionB.call('notes.list', {}));
    expect(notes.notes.map((n) => n.title)).toEqual(['Pump station log']);

    const devices = value<{ devices: TrustedDeviceInfo[] }>(await sessionB.call('devices.list', {}));
    expect(devices.devices).toMatchObject([{ deviceId: a.device.deviceId, fingerprint: inspected.fingerprint, revokedAt: null }]);
    const ledgerB = value<{ entries: LedgerEntryInfo[] }>(await sessionB.call('bundles.ledger', {}));
    expect(ledgerB.entries).toMatchObject([{ direction: 'received', peerDeviceId: a.device.deviceId, fileName: 'HERON.outpost' }]);

    // Revoked: the same bundle is refused, even as a preview.
    const revoked = value<TrustedDeviceInfo>(await sessionB.call('devices.revoke', { deviceId: a.device.deviceId }));
    expect(revoked.revokedAt).not.toBeNull();
    const again = await upload(sessionB, bytes, 1);
    expect(
      await sessionB.call('bundles.import', { uploadId: again, secret: { kind: 'passphrase', passphrase: PASSPHRASE }, dryRun: true }),
    ).toMatchObject({ ok: false, error: { code: 'bundle_untrusted', message: expect.stringMatching(/revoked/) } });

    // Since-peer: once B has sent A everything, a second delta leaves it all out.
    const kite = value<{ id: string }>(await sessionB.call('engagements.create', { client: 'Kite Co', codename: 'KITE' }));
    const sincePeer = {
      engagementIds: [heron.id, kite.id],
      delta: { kind: 'since-peer', peerDeviceId: a.device.deviceId },
      secret: TEAM_KEY,
    } as const;
    expect(value<BundleExportResult>(await sessionB.call('bundles.export', sincePeer))).toMatchObject({ docs: 3, unchanged: 0 });
    expect(value<BundleExportResult>(await sessionB.call('bundles.export', sincePeer))).toMatchObject({
      docs: 0,
      unchanged: 3,
      fileName: expect.stringMatching(/^HERON\+KITE-/),
    });

    // A closed connection's pending download and uploads are dropped.
    const pending = value<BundleExportResult>(
      await sessionA.call('bundles.export', {
        engagementIds: [heron.id],
        delta: { kind: 'full' },
        maxClassification: 'UNCLASSIFIED',
        secret: TEAM_KEY,
      }),
    );
    sessionA.close();
    expect(await serverA.takeBundleDownload(pending.token)).toBeNull();
    const left = await upload(sessionB, bytes, 1);
    sessionB.close();
    expect(await other.call('bundles.inspect', { uploadId: left })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }, 90_000);

  it('lets a client read its downloads in pieces, and export against an uploaded "have" file', async () => {
    const a = await openTempNotebook();
    const b = await openTempNotebook();
    const serverA = new ApiServer(a);
    const sessionA = serverA.connect(() => {});
    const sessionB = new ApiServer(b).connect(() => {});
    const read = async (session: ClientSession, token: string, length: number) => {
      const pieces: Uint8Array[] = [];
      for (let offset = 0; ; ) {
        const part = value<{ data: string; size: number }>(await session.call('downloads.read', { token, offset, length }));
        pieces.push(new Uint8Array(Buffer.from(part.data, 'base64')));
        offset += pieces.at(-1)?.length ?? 0;
        if (offset >= part.size) return new Uint8Array(Buffer.concat(pieces));
      }
    };
    const heron = value<{ id: string }>(await sessionA.call('engagements.create', { client: 'Acme', codename: 'HERON' }));
    const request = { engagementIds: [heron.id], delta: { kind: 'full' }, secret: TEAM_KEY } as const;
    expect(await sessionA.call('bundles.export', { ...request, fileName: '../x.outpost' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/fileName/) },
    });
    const exported = value<BundleExportResult>(await sessionA.call('bundles.export', { ...request, fileName: 'heron (copy).outpost' }));
    expect(exported.fileName).toBe('heron (copy).outpost');
    expect(value<{ entries: LedgerEntryInfo[] }>(await sessionA.call('bundles.ledger', {})).entries[0]?.fileName).toBe(
      'heron (copy).outpost',
    );
    // Only the connection it was made for reads it; a piece may not exceed 1 MB.
    const other = serverA.connect(() => {});
    expect(await other.call('downloads.read', { token: exported.token, offset: 0, length: 10 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await sessionA.call('downloads.read', { token: exported.token, offset: 0, length: 2 * 1024 * 1024 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    const bytes = await read(sessionA, exported.token, 1000);
    expect(bytes.length).toBe(exported.bytes);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('OUTPOSTB');
    expect(await serverA.takeBundleDownload(exported.token)).toBeNull();

    // B imports it, says what it has; A then sends nothing B already holds.
    const uploadId = await upload(sessionB, bytes);
    value(await sessionB.call('bundles.import', { uploadId, secret: TEAM_KEY, trustSender: true }));
    const have = value<{ token: string; docs: number; bytes: number }>(await sessionB.call('bundles.haveExport', {}));
    expect(have.docs).toBe(1);
    const haveBytes = await read(sessionB, have.token, 1024 * 1024);
    expect(JSON.parse(new TextDecoder().decode(haveBytes))).toMatchObject({ kind: 'outpost-have', deviceId: b.device.deviceId });
    const haveUpload = await upload(sessionA, haveBytes, 1);
    const delta = value<BundleExportResult>(
      await sessionA.call('bundles.export', { ...request, delta: { kind: 'have', uploadId: haveUpload } }),
    );
    expect(delta).toMatchObject({ docs: 0, unchanged: 1 });
    const junk = await upload(sessionA, new TextEncoder().encode('{"kind":"nope"}'), 1);
    expect(await sessionA.call('bundles.export', { ...request, delta: { kind: 'have', uploadId: junk } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/not a valid Outpost "have" file/) },
    });
  }, 60_000);

  it('rejects malformed bundle requests at the boundary', async () => {
    const notebook = await openTempNotebook();
    const session = new ApiServer(notebook).connect(() => {});
    const id = '00000000-0000-4000-8000-000000000000';
    const cases: Array<[string, unknown, RegExp]> = [
      ['bundles.uploadBegin', { name: 'x', size: 0 }, /empty/],
      ['bundles.uploadBegin', { name: 'x', size: 2 ** 30 + 1 }, /up to 1 GB/],
      ['bundles.uploadChunk', { uploadId: id, index: 0, data: 'A'.repeat(1_500_000) }, /too large|Too big|at most/i],
      ['bundles.import', { uploadId: id, secret: { kind: 'passphrase', passphrase: '' } }, /Enter the passphrase/],
      ['bundles.import', { uploadId: id, secret: { kind: 'passphrase', passphrase: 'x'.repeat(1025) } }, /at most 1024/],
      ['bundles.import', { uploadId: id, secret: { kind: 'team-key', key: 'AAAA' } }, /32 bytes/],
      ['bundles.import', { uploadId: id, secret: { kind: 'other' } }, /kind|discriminator|Invalid input/i],
      [
        'bundles.export',
        { engagementIds: [], delta: { kind: 'full' }, secret: { kind: 'team-key', key: encodeBytes(new Uint8Array(32)) } },
        /at least one/,
      ],
      [
        'bundles.export',
        { engagementIds: [id], delta: { kind: 'have' }, secret: { kind: 'team-key', key: encodeBytes(new Uint8Array(32)) } },
        /delta/,
      ],
      [
        'bundles.export',
        {
          engagementIds: [id],
          delta: { kind: 'since-peer', peerDeviceId: 'x' },
          secret: { kind: 'team-key', key: encodeBytes(new Uint8Array(32)) },
        },
        /id/,
      ],
      ['devices.revoke', { deviceId: 'laptop' }, /id/],
      ['devices.revoke', { deviceId: id }, /No trusted device/],
      ['bundles.inspect', { uploadId: id }, /No such bundle upload/],
    ];
    for (const [name, request, pattern] of cases) {
      const result = await session.call(name, request);
      expect(result.ok, `${name} ${JSON.stringify(request).slice(0, 80)}`).toBe(false);
      if (!result.ok) {
        expect(result.error.message, name).toMatch(pattern);
        expect(result.error.code).not.toBe('internal');
      }
    }
  });

  it('hands an exported bundle from the services worker to the Electron main process, once', async () => {
    const workerFile = path.resolve('dist/electron/services-worker.js');
    if (!fs.existsSync(workerFile)) throw new Error('dist/electron/services-worker.js is missing: run npm run build first');
    const services = await startServicesWorker(workerFile, { notebookDir: tempDir(), kind: 'app', templatePath: inject('templatePath') });
    try {
      const session = services.connect(() => {});
      const heron = value<{ id: string }>(await session.call('engagements.create', { client: 'Acme', codename: 'HERON' }));
      const exported = value<BundleExportResult>(
        await session.call('bundles.export', {
          engagementIds: [heron.id],
          delta: { kind: 'full' },
          secret: { kind: 'team-key', key: encodeBytes(new Uint8Array(32).fill(7)) },
        }),
      );
      const download = await services.takeBundleDownload(exported.token);
      expect(download?.fileName).toBe(exported.fileName);
      expect(download?.bytes.length).toBe(exported.bytes);
      expect(new TextDecoder().decode(download?.bytes.subarray(0, 8))).toBe('OUTPOSTB');
      expect(await services.takeBundleDownload(exported.token)).toBeNull();
    } finally {
      await services.close();
    }
  });
});
