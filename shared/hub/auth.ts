import { z } from 'zod';
import { base64Schema, decodeBytes, encodeBytes } from '../bytes';
import { classificationLevelsSchema, levelNameSchema } from '../classification';
import { uuidSchema } from '../ids';
import { keyFingerprint, PUBLIC_KEY_BYTES, sign, verify } from '../sync/bundle-crypto';

/**
 * How a notebook proves its device key to a team hub, and how the hub proves it is the hub the
 * notebook trusted before. The wire is Hocuspocus' own protocol; this module only fixes the two
 * pieces Outpost adds to it:
 *
 * 1. `GET /challenge` on the hub's port answers a `HubChallenge`: a fresh random nonce the hub will
 *    accept for a short while, signed with the hub's own Ed25519 key (the client pins that key's
 *    fingerprint on first use, like a device).
 * 2. The client signs the nonce with its device key and sends a `HubToken` as Hocuspocus' `token`
 *    (inside the WebSocket's authentication message: never in a URL). The hub checks the
 *    signature, that it signed the challenge and it has not expired (statelessly, so any hub
 *    instance sharing the key accepts it: a client may move between instances), and that the
 *    device is a member of the engagement the document belongs to. A token is reusable until its
 *    challenge expires (one per document on a multiplexed socket).
 *
 * Pure functions: no Node, no DOM.
 */

export const HUB_AUTH_VERSION = 1;
/** How long a challenge nonce is accepted after the hub issued it. */
export const CHALLENGE_LIFETIME_MS = 2 * 60 * 1000;
export const CHALLENGE_NONCE_BYTES = 32;
/** The hub's HTTP path that hands out challenges. */
export const CHALLENGE_PATH = '/challenge';

const CHALLENGE_DOMAIN = 'outpost-hub-challenge/v1';
const TOKEN_DOMAIN = 'outpost-hub-auth/v1';

export const hubChallengeSchema = z.strictObject({
  v: z.literal(HUB_AUTH_VERSION),
  /** The hub's Ed25519 public key, base64. */
  hubKey: base64Schema.max(64),
  nonce: base64Schema.max(64),
  /** Milliseconds since the epoch after which the hub refuses the nonce. */
  expiresAt: z.number().int().nonnegative(),
  /**
   * The highest classification level the hub is accredited for: a client withholds every note
   * marked above it (whole, as in a capped bundle), and the hub refuses any it receives.
   */
  ceiling: levelNameSchema,
  /** The hub's ordered level list, lowest first (a level it does not know counts as above the ceiling). */
  levels: classificationLevelsSchema,
  /** The hub's signature over `challengeMessage(nonce, expiresAt, ceiling, levels)`. */
  signature: base64Schema.max(128),
});
export type HubChallenge = z.infer<typeof hubChallengeSchema>;

export const hubTokenSchema = z.strictObject({
  v: z.literal(HUB_AUTH_VERSION),
  /** The device's Ed25519 public key, base64. */
  device: base64Schema.max(64),
  /** The notebook's device id and name: what other notebooks attribute this device's changes to. */
  deviceId: uuidSchema,
  name: z.string().min(1).max(80),
  nonce: base64Schema.max(64),
  /**
   * The challenge's expiry and the hub's signature over it, handed back: the hub (any instance
   * sharing its key) checks its own signature instead of remembering every nonce it issued.
   */
  expiresAt: z.number().int().nonnegative(),
  challengeSignature: base64Schema.max(128),
  /** The device's signature over `tokenMessage(hubKey, nonce, deviceId, name)`. */
  signature: base64Schema.max(128),
});
export type HubToken = z.infer<typeof hubTokenSchema>;

const encoder = new TextEncoder();

export function challengeMessage(nonce: string, expiresAt: number, ceiling: string, levels: readonly string[]): Uint8Array {
  return encoder.encode(`${CHALLENGE_DOMAIN}\n${nonce}\n${expiresAt}\n${ceiling}\n${levels.join('\t')}`);
}

/** Binds the signature to this hub's key, so a token made for one hub is worth nothing at another. */
export function tokenMessage(hubKey: string, nonce: string, deviceId: string, name: string): Uint8Array {
  return encoder.encode(`${TOKEN_DOMAIN}\n${hubKey}\n${nonce}\n${deviceId}\n${name}`);
}

/** The hub side: a challenge for `nonce` (random bytes the caller drew), signed with the hub's key. */
export function makeChallenge(
  hub: { publicKey: Uint8Array; secretKey: Uint8Array; ceiling: string; levels: readonly string[] },
  nonce: Uint8Array,
  now: number,
): HubChallenge {
  const nonceText = encodeBytes(nonce);
  const expiresAt = now + CHALLENGE_LIFETIME_MS;
  return {
    v: HUB_AUTH_VERSION,
    hubKey: encodeBytes(hub.publicKey),
    nonce: nonceText,
    expiresAt,
    ceiling: hub.ceiling,
    levels: [...hub.levels],
    signature: encodeBytes(sign(challengeMessage(nonceText, expiresAt, hub.ceiling, hub.levels), hub.secretKey)),
  };
}

export type ChallengeCheck = { ok: true; challenge: HubChallenge; hubFingerprint: string } | { ok: false; reason: string };

/**
 * The client side: checks a challenge as received (any JSON) and that the hub signed it. The caller
 * then compares `hubFingerprint` with the one it trusted (or asks the user to trust it).
 */
export function checkChallenge(received: unknown, now: number): ChallengeCheck {
  const parsed = hubChallengeSchema.safeParse(received);
  if (!parsed.success) return { ok: false, reason: 'The hub answered with something that is not an Outpost hub challenge' };
  const challenge = parsed.data;
  const hubKey = decodeBytes(challenge.hubKey);
  if (hubKey.length !== PUBLIC_KEY_BYTES) return { ok: false, reason: 'The hub key is not an Ed25519 public key' };
  if (!challenge.levels.includes(challenge.ceiling)) return { ok: false, reason: 'The hub names a ceiling that is not one of its levels' };
  const signed = challengeMessage(challenge.nonce, challenge.expiresAt, challenge.ceiling, challenge.levels);
  if (!verify(decodeBytes(challenge.signature), signed, hubKey))
    return { ok: false, reason: 'The hub challenge is not signed by the key it names' };
  if (challenge.expiresAt <= now)
    return { ok: false, reason: 'The hub challenge has already expired (is this clock or the hub clock wrong?)' };
  return { ok: true, challenge, hubFingerprint: keyFingerprint(hubKey) };
}

/** The client side: the token to send as Hocuspocus' `token`, a JSON string. */
export function makeToken(
  challenge: HubChallenge,
  device: { publicKey: Uint8Array; secretKey: Uint8Array; deviceId: string; name: string },
): string {
  const token: HubToken = {
    v: HUB_AUTH_VERSION,
    device: encodeBytes(device.publicKey),
    deviceId: device.deviceId,
    name: device.name,
    nonce: challenge.nonce,
    expiresAt: challenge.expiresAt,
    challengeSignature: challenge.signature,
    signature: encodeBytes(sign(tokenMessage(challenge.hubKey, challenge.nonce, device.deviceId, device.name), device.secretKey)),
  };
  return JSON.stringify(token);
}

export type TokenCheck =
  | { ok: true; device: Uint8Array; deviceFingerprint: string; deviceId: string; name: string; nonce: string }
  | { ok: false; reason: string };

/**
 * The hub side: the token parses, it hands back a challenge this hub signed (with its current
 * ceiling and levels) that has not expired, and its signature is by the device key it names, over
 * this hub's key, the nonce and the device's id and name. The hub then checks membership. Never throws.
 */
export function checkToken(
  token: unknown,
  hub: { publicKey: Uint8Array; ceiling: string; levels: readonly string[] },
  now: number,
): TokenCheck {
  if (typeof token !== 'string' || token.length > 2048) return { ok: false, reason: 'No device token' };
  let json: unknown;
  try {
    json = JSON.parse(token);
  } catch {
    return { ok: false, reason: 'The device token is not JSON' };
  }
  const parsed = hubTokenSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'The device token is malformed' };
  const { deviceId, name, nonce, expiresAt } = parsed.data;
  if (!verify(decodeBytes(parsed.data.challengeSignature), challengeMessage(nonce, expiresAt, hub.ceiling, hub.levels), hub.publicKey))
    return { ok: false, reason: 'The device token answers a challenge this hub did not issue' };
  if (expiresAt <= now) return { ok: false, reason: 'The hub challenge the device answered has expired' };
  const device = decodeBytes(parsed.data.device);
  if (device.length !== PUBLIC_KEY_BYTES) return { ok: false, reason: 'The device key is not an Ed25519 public key' };
  if (!verify(decodeBytes(parsed.data.signature), tokenMessage(encodeBytes(hub.publicKey), nonce, deviceId, name), device))
    return { ok: false, reason: 'The device token is not signed by the device key it names' };
  return { ok: true, device, deviceFingerprint: keyFingerprint(device), deviceId, name, nonce };
}

/**
 * Document names on the hub: `<engagementId>/<docId>` for an engagement's documents (its
 * engagement doc and its note docs), and `<engagementId>/index` for the engagement's index
 * document (which lists the doc ids the hub holds for it, so a client learns of new notes). The
 * engagement is in the name because membership is per engagement.
 */
export const HUB_INDEX_DOC = 'index';

export type HubDocName = { engagementId: string; docId: string | typeof HUB_INDEX_DOC };

const DOC_ID = /^(engagement|note):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function hubDocName(engagementId: string, docId: string): string {
  return `${engagementId}/${docId}`;
}

/** Parses a document name a client asked for; null for anything else (refused by the hub). */
export function parseHubDocName(name: unknown): HubDocName | null {
  if (typeof name !== 'string' || name.length > 120) return null;
  const slash = name.indexOf('/');
  if (slash < 0) return null;
  const engagementId = name.slice(0, slash);
  const docId = name.slice(slash + 1);
  if (!uuidSchema.safeParse(engagementId).success) return null;
  if (docId !== HUB_INDEX_DOC && !DOC_ID.test(docId)) return null;
  return { engagementId, docId };
}
