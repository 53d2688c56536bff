import { describe, expect, it } from 'vitest';
import { encodeBytes } from '../../../shared/bytes';
import {
  CHALLENGE_LIFETIME_MS,
  checkChallenge,
  checkToken,
  hubDocName,
  makeChallenge,
  makeToken,
  parseHubDocName,
} from '../../../shared/hub/auth';
import { generateDeviceKeyPair, keyFingerprint } from '../../../shared/sync/bundle-crypto';

const hub = generateDeviceKeyPair();
const device = generateDeviceKeyPair();
const deviceSpec = { ...device, deviceId: '6f1c2d3e-4a5b-4c6d-8e7f-901234567890', name: 'ana@laptop' };
const nonce = new Uint8Array(32).fill(7);
const now = 1_800_000_000_000;
const hubSpec = { ...hub, ceiling: 'CUI', levels: ['UNCLASSIFIED', 'CUI', 'SECRET'] };

describe('hub challenge and device token', () => {
  it('a device signs the hub challenge and the hub recognises the device', () => {
    const challenge = makeChallenge(hubSpec, nonce, now);
    const seen = checkChallenge(JSON.parse(JSON.stringify(challenge)), now + 1000);
    expect(seen).toEqual({ ok: true, challenge, hubFingerprint: keyFingerprint(hub.publicKey) });
    const token = makeToken(challenge, deviceSpec);
    const checked = checkToken(token, hubSpec, now + 1000);
    expect(checked.ok && checked.deviceFingerprint).toBe(keyFingerprint(device.publicKey));
    expect(checked.ok && checked.nonce).toBe(challenge.nonce);
    expect(checked.ok && [checked.deviceId, checked.name]).toEqual([deviceSpec.deviceId, deviceSpec.name]);
  });

  it('refuses an expired challenge, one signed by another key, and junk', () => {
    const challenge = makeChallenge(hubSpec, nonce, now);
    expect(checkChallenge(challenge, now + CHALLENGE_LIFETIME_MS).ok).toBe(false);
    const other = generateDeviceKeyPair();
    expect(checkChallenge({ ...challenge, hubKey: encodeBytes(other.publicKey) }, now).ok).toBe(false);
    expect(checkChallenge({ ...challenge, expiresAt: challenge.expiresAt + 1 }, now).ok).toBe(false);
    expect(checkChallenge({ ...challenge, ceiling: 'SECRET' }, now).ok).toBe(false);
    expect(checkChallenge({ ...challenge, ceiling: 'TOP' }, now).ok).toBe(false);
    for (const junk of [null, 'x', {}, { ...challenge, extra: 1 }]) expect(checkChallenge(junk, now).ok).toBe(false);
  });

  it('refuses a token made for another hub, a forged signature and malformed tokens, without throwing', () => {
    const challenge = makeChallenge(hubSpec, nonce, now);
    const token = makeToken(challenge, deviceSpec);
    const otherHub = generateDeviceKeyPair();
    expect(checkToken(token, { ...hubSpec, publicKey: otherHub.publicKey }, now).ok).toBe(false);
    const forged = { ...JSON.parse(token), device: encodeBytes(generateDeviceKeyPair().publicKey) };
    expect(checkToken(JSON.stringify(forged), hubSpec, now).ok).toBe(false);
    expect(checkToken(token, hubSpec, now + CHALLENGE_LIFETIME_MS).ok).toBe(false);
    expect(checkToken(token, { ...hubSpec, ceiling: 'SECRET' }, now).ok).toBe(false);
    const renamed = { ...JSON.parse(token), name: 'someone else' };
    expect(checkToken(JSON.stringify(renamed), hubSpec, now).ok).toBe(false);
    for (const junk of [undefined, 42, '', '{', '{"v":1}', 'x'.repeat(5000), JSON.stringify({ ...forged, v: 2 })])
      expect(checkToken(junk, hubSpec, now).ok).toBe(false);
  });
});

describe('hub document names', () => {
  const engagement = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const note = 'note:7c9e6679-7425-40de-944b-e07fc1f90ae7';
  it('round-trips engagement, note and index names', () => {
    expect(parseHubDocName(hubDocName(engagement, note))).toEqual({ engagementId: engagement, docId: note });
    expect(parseHubDocName(`${engagement}/index`)).toEqual({ engagementId: engagement, docId: 'index' });
    expect(parseHubDocName(`${engagement}/engagement:${engagement}`)?.docId).toBe(`engagement:${engagement}`);
  });
  it('refuses anything else', () => {
    for (const name of [
      null,
      '',
      note,
      `${engagement}/`,
      `../${note}`,
      `${engagement}/playbook:${engagement}`,
      `${engagement}/${note}/x`,
      `X${engagement}/index`,
    ])
      expect(parseHubDocName(name)).toBeNull();
  });
});
