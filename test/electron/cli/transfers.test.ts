import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliApi, cliApi } from '../../../electron/cli/cli-api';
import { readDownload, uploadBytes, writeDownload } from '../../../electron/cli/transfers';
import { encodeBytes } from '../../../shared/bytes';
import type { Result } from '../../../shared/errors';
import { tempDir } from '../../helpers/notebook';

/** A holder that serves one download in pieces of `piece` bytes, and stops answering after `failAfter` pieces. */
function holder(bytes: Uint8Array, options: { piece: number; failAfter?: number }): { api: CliApi; calls: Array<[string, unknown]> } {
  const calls: Array<[string, unknown]> = [];
  let served = 0;
  const api = cliApi('host', 'test holder', {
    call: async (name, request): Promise<Result<unknown>> => {
      calls.push([name, request]);
      if (name === 'downloads.read') {
        if (options.failAfter !== undefined && served >= options.failAfter)
          return { ok: false, error: { code: 'transport', message: 'The holder stopped before it answered.' } };
        served++;
        const { offset, length } = request as { offset: number; length: number };
        const part = bytes.subarray(offset, offset + Math.min(length, options.piece));
        return { ok: true, value: { data: encodeBytes(part), size: bytes.length } };
      }
      if (name === 'bundles.uploadBegin') return { ok: true, value: { uploadId: 'u1' } };
      return { ok: true, value: {} };
    },
    onEvent: () => () => {},
    close: async () => {},
  });
  return { api, calls };
}

const data = new Uint8Array(Array.from({ length: 10_000 }, (_, i) => i % 251));

describe('CLI file transfers', () => {
  it('reads a download piece by piece into a file written whole, owner-only', async () => {
    const { api, calls } = holder(data, { piece: 3_000 });
    const file = path.join(tempDir(), 'out.bin');
    expect(await writeDownload(api, 'token', file)).toBe(data.length);
    expect(Buffer.from(fs.readFileSync(file)).equals(Buffer.from(data))).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(calls.map(([, r]) => (r as { offset: number }).offset)).toEqual([0, 3_000, 6_000, 9_000]);
    expect([...(await readDownload(holder(data, { piece: 4_096 }).api, 'token'))]).toEqual([...data]);
  });

  it('leaves the file as it was, and no temporary file, when the holder stops mid-download', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'brief.pdf');
    fs.writeFileSync(file, 'the old brief');
    const { api } = holder(data, { piece: 3_000, failAfter: 2 });
    await expect(writeDownload(api, 'token', file)).rejects.toMatchObject({ code: 'transport' });
    expect(fs.readFileSync(file, 'utf8')).toBe('the old brief');
    expect(fs.readdirSync(dir)).toEqual(['brief.pdf']);
    await expect(writeDownload(api, 'token', path.join(dir, 'missing', 'x.pdf'))).rejects.toThrow(/Cannot write .*ENOENT/);
  });

  it('uploads a file in pieces of at most 1 MB, in order', async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 5);
    const { api, calls } = holder(big, { piece: 1 });
    expect(await uploadBytes(api, 'heron.outpost', big)).toBe('u1');
    const chunks = calls.filter(([name]) => name === 'bundles.uploadChunk').map(([, r]) => r as { index: number; data: string });
    expect(calls[0]).toEqual(['bundles.uploadBegin', { name: 'heron.outpost', size: big.length }]);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(chunks.map((c) => Buffer.from(c.data, 'base64').length)).toEqual([1024 * 1024, 1024 * 1024, 5]);
  });
});
