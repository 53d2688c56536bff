import { describe, expect, it } from 'vitest';
import { nativeInflateLimited } from '../../../electron/sync/native-inflate';
import { compress, inflateLimited } from '../../../shared/sync/bundle-crypto';

const inflaters = { portable: inflateLimited, native: nativeInflateLimited };

describe.each(Object.entries(inflaters))('%s inflater', (_name, inflate) => {
  const text = new TextEncoder().encode('Pick waves stall when the ERP throttles the API. '.repeat(2_000));
  const packed = compress(text);

  it('inflates what compress wrote, at or under the limit', () => {
    const exact = inflate(packed, text.length);
    expect(exact.ok).toBe(true);
    if (exact.ok) expect(exact.data).toEqual(text);
    expect(inflate(compress(new Uint8Array(0)), 0)).toMatchObject({ ok: true });
  });

  it('stops past the limit (a decompression bomb) without producing it all', () => {
    const bomb = compress(new Uint8Array(20_000_000));
    expect(bomb.length).toBeLessThan(50_000);
    const outcome = inflate(bomb, 1_000_000);
    expect(outcome).toMatchObject({ ok: false, reason: 'too_large' });
    expect(inflate(packed, text.length - 1)).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('calls a truncated or garbled stream damaged', () => {
    expect(inflate(packed.subarray(0, packed.length >> 1), text.length)).toMatchObject({ ok: false, reason: 'damaged' });
    expect(inflate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]), 1000)).toMatchObject({ ok: false, reason: 'damaged' });
  });
});
