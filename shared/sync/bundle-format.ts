import { decodeUtf8, encodeUtf8 } from 'lib0/string';
import { z } from 'zod';
import { decodeBytes, encodeBytes } from '../bytes';
import { OutpostError } from '../errors';
import { docIdSchema, uuidSchema } from '../ids';
import {
  aeadOpen,
  aeadSeal,
  compress,
  DEFAULT_SCRYPT,
  type DeviceKeyPair,
  type InflateOutcome,
  inflateLimited,
  KEY_BYTES,
  NONCE_BYTES,
  PUBLIC_KEY_BYTES,
  passphraseKey,
  publicKeyOf,
  randomNonce,
  randomSalt,
  SALT_BYTES,
  type ScryptParams,
  SIGNATURE_BYTES,
  type SignatureVerifier,
  scryptParamsProblem,
  sha256Hex,
  sign,
  TAG_BYTES,
  teamKeyId,
  verify,
} from './bundle-crypto';

export { type DeviceKeyPair, generateDeviceKeyPair, keyFingerprint, type ScryptParams, teamKeyId } from './bundle-crypto';

/**
 * The `.outpost` bundle file: signed, encrypted Yjs updates (plus attachments) carried across an
 * air gap. The layout, every check and every error are described in docs/bundle-format.md; this
 * module is the only code that reads or writes it. Pure: no Node, no DOM.
 */

export const BUNDLE_FORMAT_VERSION = 1;
export const BUNDLE_MAGIC = 'OUTPOSTB';
export const BUNDLE_FILE_EXTENSION = '.outpost';
export const MAX_HEADER_BYTES = 64 * 1024;
/** Default ceiling for the decompressed payload when the caller gives none. */
export const DEFAULT_MAX_EXPANDED_BYTES = 2 ** 30;

const MAGIC_BYTES = encodeUtf8(BUNDLE_MAGIC);
/** magic (8) + version (2) + header length (4) */
const PREFIX_BYTES = 14;
const LENGTH_BYTES = 8;
const MAX_ENGAGEMENTS = 1000;
const MAX_PLAYBOOKS = 1000;
const MAX_ENTRIES = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Header

/** Canonical base64 of exactly `bytes` bytes (padding included, no line breaks). */
function base64OfLength(bytes: number, what: string) {
  const full = Math.floor(bytes / 3) * 4;
  const rest = bytes % 3;
  const tail = rest === 0 ? '' : rest === 1 ? '[A-Za-z0-9+/][AQgw]==' : '[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=';
  return z.string().regex(new RegExp(`^[A-Za-z0-9+/]{${full}}${tail}$`), `Expected ${what} (base64 of ${bytes} bytes)`);
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const bundleKdfSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('scrypt'),
    salt: base64OfLength(SALT_BYTES, 'a salt'),
    N: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    r: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    p: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  }),
  z.strictObject({ kind: z.literal('team-key'), keyId: z.string().regex(/^[0-9a-f]{16}$/, 'Expected a team key id (16 hex digits)') }),
]);

export const bundleHeaderSchema = z.strictObject({
  bundleId: uuidSchema,
  createdAt: z.iso.datetime({ offset: true }),
  notebookId: uuidSchema,
  sender: z.strictObject({
    deviceId: uuidSchema,
    name: z.string().max(120),
    publicKey: base64OfLength(PUBLIC_KEY_BYTES, 'an Ed25519 public key'),
  }),
  engagements: z
    .array(z.strictObject({ id: uuidSchema, codename: z.string().min(1).max(64), ceiling: z.string().min(1).max(40) }))
    .max(MAX_ENGAGEMENTS),
  /** Playbook docs the bundle carries, by id only (titles stay inside the encrypted payload). */
  playbooks: z.array(uuidSchema).max(MAX_PLAYBOOKS).default([]),
  maxClassification: z.string().min(1).max(40).nullable(),
  delta: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('full') }),
    z.strictObject({ kind: z.literal('since-peer'), peerDeviceId: uuidSchema }),
    z.strictObject({ kind: z.literal('have'), peerDeviceId: uuidSchema }),
  ]),
  encryption: z.strictObject({
    aead: z.literal('xchacha20poly1305'),
    nonce: base64OfLength(NONCE_BYTES, 'a nonce'),
    kdf: bundleKdfSchema,
  }),
  counts: z.strictObject({ docs: count, attachments: count }),
  expandedBytes: count,
});

export type BundleHeader = z.infer<typeof bundleHeaderSchema>;
export type BundleKdf = z.infer<typeof bundleKdfSchema>;

// ---------------------------------------------------------------------------------------------
// Payload

export interface BundlePayload {
  docs: { docId: string; update: Uint8Array }[];
  attachments: { sha256: string; name: string; mime: string; data: Uint8Array }[];
  senderState: { docId: string; stateVector: Uint8Array }[];
}

export type BundleSecret = { kind: 'passphrase'; passphrase: string } | { kind: 'team-key'; key: Uint8Array /* 32 bytes */ };

const sizeSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 (64 lowercase hex digits)');

const manifestSchema = z.strictObject({
  docs: z.array(z.strictObject({ docId: docIdSchema, size: sizeSchema })).max(MAX_ENTRIES),
  attachments: z
    .array(z.strictObject({ sha256: sha256HexSchema, name: z.string().max(255), mime: z.string().max(255), size: sizeSchema }))
    .max(MAX_ENTRIES),
  senderState: z.array(z.strictObject({ docId: docIdSchema, size: sizeSchema })).max(MAX_ENTRIES),
});
type Manifest = z.infer<typeof manifestSchema>;

function firstDuplicate(values: string[]): string | null {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return null;
}

/** One line per problem: "path: message". */
function issueLines(error: z.ZodError, max = 5): string[] {
  return error.issues.slice(0, max).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** The plaintext payload: u32 BE manifest length, the manifest (UTF-8 JSON), then the blobs in manifest order. */
function encodePayload(payload: BundlePayload): Uint8Array {
  const fail = (message: string, details?: string[]) =>
    new OutpostError('invalid_request', `Cannot write this bundle: ${message}`, details);
  if (!payload || !Array.isArray(payload.docs) || !Array.isArray(payload.attachments) || !Array.isArray(payload.senderState))
    throw fail('the payload needs docs, attachments and senderState lists');
  const blobs: Uint8Array[] = [];
  const manifest: Manifest = { docs: [], attachments: [], senderState: [] };
  for (const doc of payload.docs) {
    if (!(doc.update instanceof Uint8Array)) throw fail(`the update of ${doc.docId} is not bytes`);
    manifest.docs.push({ docId: doc.docId, size: doc.update.length });
    blobs.push(doc.update);
  }
  for (const attachment of payload.attachments) {
    if (!(attachment.data instanceof Uint8Array)) throw fail(`attachment ${attachment.name} is not bytes`);
    if (sha256Hex(attachment.data) !== attachment.sha256)
      throw fail(`attachment ${attachment.name} does not match its SHA-256 ${String(attachment.sha256)}`);
    manifest.attachments.push({ sha256: attachment.sha256, name: attachment.name, mime: attachment.mime, size: attachment.data.length });
    blobs.push(attachment.data);
  }
  for (const state of payload.senderState) {
    if (!(state.stateVector instanceof Uint8Array)) throw fail(`the state vector of ${state.docId} is not bytes`);
    manifest.senderState.push({ docId: state.docId, size: state.stateVector.length });
    blobs.push(state.stateVector);
  }
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) throw fail('the payload is invalid', issueLines(parsed.error));
  const duplicate = manifestDuplicate(parsed.data);
  if (duplicate) throw fail(duplicate);

  const manifestBytes = encodeUtf8(JSON.stringify(parsed.data));
  let total = 4 + manifestBytes.length;
  for (const blob of blobs) total += blob.length;
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, manifestBytes.length);
  out.set(manifestBytes, 4);
  let at = 4 + manifestBytes.length;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.length;
  }
  return out;
}

function manifestDuplicate(manifest: Manifest): string | null {
  const doc = firstDuplicate(manifest.docs.map((d) => d.docId));
  if (doc) return `document ${doc} appears twice`;
  const attachment = firstDuplicate(manifest.attachments.map((a) => a.sha256));
  if (attachment) return `attachment ${attachment} appears twice`;
  const state = firstDuplicate(manifest.senderState.map((s) => s.docId));
  if (state) return `the sender's state of ${state} appears twice`;
  return null;
}

function decodePayload(plain: Uint8Array, header: BundleHeader): BundlePayload {
  const fail = (message: string, details?: string[]) =>
    new OutpostError('bundle_invalid', `The bundle's contents are malformed: ${message}`, details);
  if (plain.length < 4) throw fail('the payload is too short to hold its manifest');
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const manifestLength = view.getUint32(0);
  if (manifestLength > plain.length - 4) throw fail('the manifest runs past the end of the payload');
  const json = parseJson(plain.subarray(4, 4 + manifestLength));
  if (!json.ok) throw fail(`the manifest is not ${json.problem}`);
  const parsed = manifestSchema.safeParse(json.value);
  if (!parsed.success) throw fail('the manifest is invalid', issueLines(parsed.error));
  const manifest = parsed.data;
  const duplicate = manifestDuplicate(manifest);
  if (duplicate) throw fail(duplicate);
  if (manifest.docs.length !== header.counts.docs || manifest.attachments.length !== header.counts.attachments)
    throw fail(
      `it holds ${manifest.docs.length} documents and ${manifest.attachments.length} attachments, the header says ${header.counts.docs} and ${header.counts.attachments}`,
    );

  const available = plain.length - 4 - manifestLength;
  let declared = 0;
  for (const entry of [...manifest.docs, ...manifest.attachments, ...manifest.senderState]) {
    declared += entry.size;
    if (declared > available) throw fail('the manifest declares more bytes than the payload holds');
  }
  if (declared !== available) throw fail(`${available - declared} bytes of the payload are not described by its manifest`);

  let at = 4 + manifestLength;
  const take = (size: number) => {
    const blob = plain.subarray(at, at + size);
    at += size;
    return blob;
  };
  const docs = manifest.docs.map((d) => ({ docId: d.docId, update: take(d.size) }));
  const attachments = manifest.attachments.map((a) => {
    const data = take(a.size);
    if (sha256Hex(data) !== a.sha256) throw fail(`attachment ${a.name || a.sha256} does not match its SHA-256`);
    return { sha256: a.sha256, name: a.name, mime: a.mime, data };
  });
  const senderState = manifest.senderState.map((s) => ({ docId: s.docId, stateVector: take(s.size) }));
  return { docs, attachments, senderState };
}

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; problem: string } {
  let text: string;
  try {
    text = decodeUtf8(bytes);
  } catch {
    return { ok: false, problem: 'valid UTF-8' };
  }
  // A lenient decoder (no TextDecoder) would replace bad sequences: require an exact round trip.
  const again = encodeUtf8(text);
  if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) return { ok: false, problem: 'valid UTF-8' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: 'JSON' };
  }
}

// ---------------------------------------------------------------------------------------------
// Frame: magic, version, header, ciphertext, signature

/** The parts of a bundle file, as views into its bytes. Only the layout is checked. */
export interface BundleFrame {
  version: number;
  headerBytes: Uint8Array;
  /** Bytes [0, 14+H): the associated data of the encryption. */
  associatedData: Uint8Array;
  ciphertext: Uint8Array;
  /** Bytes [0, 22+H+C): what the signature covers. */
  signed: Uint8Array;
  signature: Uint8Array;
}

function invalid(message: string, details?: string[]): OutpostError {
  return new OutpostError('bundle_invalid', message, details);
}

function truncated(needed: number, have: number): OutpostError {
  return invalid(`The bundle is truncated: it needs at least ${needed} bytes but the file has ${have}. Copy it again.`);
}

/** Splits a bundle file into its parts, checking magic, version and lengths (not the header's content). */
export function readBundleFrame(bytes: Uint8Array): BundleFrame {
  if (!(bytes instanceof Uint8Array)) throw invalid('This is not an Outpost bundle (no bytes were given)');
  if (bytes.length === 0) throw invalid('This is not an Outpost bundle: the file is empty');
  const magicLength = Math.min(bytes.length, MAGIC_BYTES.length);
  for (let i = 0; i < magicLength; i++)
    if (bytes[i] !== MAGIC_BYTES[i]) throw invalid('This is not an Outpost bundle (it does not start with "OUTPOSTB")');
  if (bytes.length < MAGIC_BYTES.length + 2) throw truncated(PREFIX_BYTES + LENGTH_BYTES + TAG_BYTES + SIGNATURE_BYTES, bytes.length);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The version comes right after the magic and is checked before anything else: a newer format may be laid out differently.
  const version = view.getUint16(8);
  if (version !== BUNDLE_FORMAT_VERSION) {
    const why =
      version > BUNDLE_FORMAT_VERSION ? `was made by a newer Outpost (format ${version})` : `uses an unknown format (format ${version})`;
    throw new OutpostError(
      'bundle_version',
      `This bundle ${why}; this one reads format ${BUNDLE_FORMAT_VERSION}. Update Outpost to open it.`,
    );
  }
  if (bytes.length < PREFIX_BYTES) throw truncated(PREFIX_BYTES + LENGTH_BYTES + TAG_BYTES + SIGNATURE_BYTES, bytes.length);
  const headerLength = view.getUint32(10);
  if (headerLength > MAX_HEADER_BYTES)
    throw invalid(`This is not a valid Outpost bundle: its header claims ${headerLength} bytes, over the ${MAX_HEADER_BYTES}-byte limit`);
  const lengthAt = PREFIX_BYTES + headerLength;
  if (bytes.length < lengthAt + LENGTH_BYTES) throw truncated(lengthAt + LENGTH_BYTES + TAG_BYTES + SIGNATURE_BYTES, bytes.length);
  const high = view.getUint32(lengthAt);
  const low = view.getUint32(lengthAt + 4);
  if (high > 0x1fffff) throw invalid('This is not a valid Outpost bundle: its ciphertext length is impossibly large');
  const cipherLength = high * 2 ** 32 + low;
  if (cipherLength < TAG_BYTES) throw invalid('This is not a valid Outpost bundle: its ciphertext is too short to be authentic');
  const cipherAt = lengthAt + LENGTH_BYTES;
  const signatureAt = cipherAt + cipherLength;
  const end = signatureAt + SIGNATURE_BYTES;
  if (bytes.length < end) throw truncated(end, bytes.length);
  if (bytes.length > end)
    throw invalid(
      `This is not a valid Outpost bundle: ${bytes.length - end} unexpected bytes follow its signature (the file was damaged or joined to another)`,
    );
  return {
    version,
    headerBytes: bytes.subarray(PREFIX_BYTES, lengthAt),
    associatedData: bytes.subarray(0, lengthAt),
    ciphertext: bytes.subarray(cipherAt, signatureAt),
    signed: bytes.subarray(0, signatureAt),
    signature: bytes.subarray(signatureAt, end),
  };
}

/**
 * Writes a bundle file around a header (any JSON value: callers validate it) and returns it.
 * `encrypt` receives the associated data (bytes [0, 14+H)); `signWith` signs bytes [0, 22+H+C).
 * Exposed for tests that need to build hostile bundles; `sealBundle` is the way to make real ones.
 */
export function writeBundleFrame(
  header: unknown,
  encrypt: (associatedData: Uint8Array) => Uint8Array,
  signWith: (signed: Uint8Array) => Uint8Array,
): Uint8Array {
  const headerBytes = encodeUtf8(JSON.stringify(header));
  if (headerBytes.length > MAX_HEADER_BYTES)
    throw new OutpostError(
      'invalid_request',
      `Cannot write this bundle: its header would be ${headerBytes.length} bytes, over the ${MAX_HEADER_BYTES}-byte limit (too many engagements?)`,
    );
  const associatedData = new Uint8Array(PREFIX_BYTES + headerBytes.length);
  associatedData.set(MAGIC_BYTES, 0);
  const prefix = new DataView(associatedData.buffer);
  prefix.setUint16(8, BUNDLE_FORMAT_VERSION);
  prefix.setUint32(10, headerBytes.length);
  associatedData.set(headerBytes, PREFIX_BYTES);
  const ciphertext = encrypt(associatedData);
  const signedLength = associatedData.length + LENGTH_BYTES + ciphertext.length;
  const out = new Uint8Array(signedLength + SIGNATURE_BYTES);
  out.set(associatedData, 0);
  const view = new DataView(out.buffer);
  view.setUint32(associatedData.length, Math.floor(ciphertext.length / 2 ** 32));
  view.setUint32(associatedData.length + 4, ciphertext.length >>> 0);
  out.set(ciphertext, associatedData.length + LENGTH_BYTES);
  const signature = signWith(out.subarray(0, signedLength));
  if (signature.length !== SIGNATURE_BYTES) throw new OutpostError('internal', 'A bundle signature must be 64 bytes');
  out.set(signature, signedLength);
  return out;
}

function parseHeader(headerBytes: Uint8Array): BundleHeader {
  const json = parseJson(headerBytes);
  if (!json.ok) throw invalid(`This is not a valid Outpost bundle: its header is not ${json.problem}`);
  const parsed = bundleHeaderSchema.safeParse(json.value);
  if (!parsed.success) throw invalid('This is not a valid Outpost bundle: its header is invalid', issueLines(parsed.error));
  return parsed.data;
}

function checkSignature(frame: BundleFrame, header: BundleHeader, verifier: SignatureVerifier = verify): boolean {
  return verifier(frame.signature, frame.signed, decodeBytes(header.sender.publicKey));
}

// ---------------------------------------------------------------------------------------------
// Seal, inspect, open

type HeaderInput = Omit<BundleHeader, 'encryption' | 'counts' | 'expandedBytes' | 'playbooks'> & { playbooks?: string[] };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function isTeamKey(key: unknown): key is Uint8Array {
  return key instanceof Uint8Array && key.length === KEY_BYTES;
}

/**
 * Writes a bundle: the payload is serialized, DEFLATE-compressed, encrypted with XChaCha20-Poly1305
 * (key from the passphrase through scrypt, or the team key itself) with the header as associated
 * data, and the whole file signed with the device key named in the header.
 */
export async function sealBundle(input: {
  header: HeaderInput;
  payload: BundlePayload;
  secret: BundleSecret;
  signer: DeviceKeyPair;
  scrypt?: ScryptParams;
}): Promise<Uint8Array> {
  const fail = (message: string, details?: string[]) =>
    new OutpostError('invalid_request', `Cannot write this bundle: ${message}`, details);
  const { header, payload, secret, signer } = input;
  const derivedPublic = publicKeyOf(signer?.secretKey);
  if (!derivedPublic || !(signer.publicKey instanceof Uint8Array) || !sameBytes(derivedPublic, signer.publicKey))
    throw fail("the signer's secret and public keys do not belong together");
  if (header?.sender?.publicKey !== encodeBytes(signer.publicKey)) throw fail("the header's sender key is not the signer's key");

  let key: Uint8Array;
  let kdf: BundleKdf;
  if (secret?.kind === 'passphrase') {
    if (typeof secret.passphrase !== 'string' || secret.passphrase.length === 0) throw fail('the passphrase is empty');
    const params = input.scrypt ?? DEFAULT_SCRYPT;
    const problem = scryptParamsProblem(params);
    if (problem) throw fail(problem);
    const salt = randomSalt();
    key = await passphraseKey(secret.passphrase, salt, params);
    kdf = { kind: 'scrypt', salt: encodeBytes(salt), N: params.N, r: params.r, p: params.p };
  } else if (secret?.kind === 'team-key') {
    if (!isTeamKey(secret.key)) throw fail('a team key is 32 bytes');
    key = secret.key;
    kdf = { kind: 'team-key', keyId: teamKeyId(secret.key) };
  } else {
    throw fail('give a passphrase or a team key');
  }

  const plain = encodePayload(payload);
  const nonce = randomNonce();
  const full = bundleHeaderSchema.safeParse({
    ...header,
    encryption: { aead: 'xchacha20poly1305', nonce: encodeBytes(nonce), kdf },
    counts: { docs: payload.docs.length, attachments: payload.attachments.length },
    expandedBytes: plain.length,
  });
  if (!full.success) throw fail('the header is invalid', issueLines(full.error));
  const compressed = compress(plain);
  return writeBundleFrame(
    full.data,
    (associatedData) => aeadSeal(key, nonce, associatedData, compressed),
    (signed) => sign(signed, signer.secretKey),
  );
}

/**
 * Reads what a bundle says about itself without any secret: its header, and whether the signature
 * matches the key the header names. Whether that key is trusted is the caller's question.
 * Throws `bundle_invalid` / `bundle_version` for a file that is not a readable bundle.
 */
export function inspectBundle(bytes: Uint8Array, options?: Pick<OpenOptions, 'verify'>): { header: BundleHeader; signatureValid: boolean } {
  try {
    const frame = readBundleFrame(bytes);
    const header = parseHeader(frame.headerBytes);
    return { header, signatureValid: checkSignature(frame, header, options?.verify) };
  } catch (error) {
    throw asBundleError(error);
  }
}

/**
 * Every check above ends in an OutpostError; should a library still throw on some input nobody
 * foresaw, the caller gets a refusal too, never a raw TypeError or RangeError.
 */
function asBundleError(error: unknown): OutpostError {
  if (error instanceof OutpostError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return invalid(`This bundle could not be read (unexpected error: ${message})`);
}

export interface OpenOptions {
  /** Refuse a bundle that expands to more than this (default DEFAULT_MAX_EXPANDED_BYTES). */
  maxExpandedBytes?: number;
  /**
   * A faster raw-DEFLATE inflater with the same contract as `inflateLimited` (stop past `limit`):
   * the main process passes the platform's native zlib; shared code stays free of Node.
   */
  inflate?: (data: Uint8Array, limit: number) => InflateOutcome;
  /** A faster Ed25519 verifier with the contract of `verify` (the main process passes Node's). */
  verify?: SignatureVerifier;
}

/**
 * Opens a bundle: checks (in this order) structure, version, header, signature, that the secret
 * is of the kind the bundle was sealed with, the key-derivation settings, the size limit, the
 * decryption, the decompression (stopped at the limit) and the payload's structure. Each refusal
 * is an OutpostError with its own code; nothing else is ever thrown.
 */
export async function openBundle(
  bytes: Uint8Array,
  secret: BundleSecret,
  options?: OpenOptions,
): Promise<{ header: BundleHeader; payload: BundlePayload }> {
  try {
    return await openUnguarded(bytes, secret, options);
  } catch (error) {
    throw asBundleError(error);
  }
}

async function openUnguarded(
  bytes: Uint8Array,
  secret: BundleSecret,
  options: OpenOptions | undefined,
): Promise<{ header: BundleHeader; payload: BundlePayload }> {
  const maxExpanded = options?.maxExpandedBytes ?? DEFAULT_MAX_EXPANDED_BYTES;
  if (!Number.isSafeInteger(maxExpanded) || maxExpanded < 0)
    throw new OutpostError('invalid_request', 'maxExpandedBytes must be a whole number of bytes');

  const frame = readBundleFrame(bytes);
  const header = parseHeader(frame.headerBytes);
  if (!checkSignature(frame, header, options?.verify))
    throw new OutpostError('bundle_signature', "The bundle's signature does not match its sender's key: it was altered or damaged");

  const kdf = header.encryption.kdf;
  let key: Uint8Array | null = null;
  if (kdf.kind === 'team-key') {
    if (secret?.kind !== 'team-key')
      throw new OutpostError('bundle_key', `This bundle is encrypted with team key ${kdf.keyId}, not a passphrase`);
    if (!isTeamKey(secret.key)) throw new OutpostError('bundle_key', 'A team key is 32 bytes; the key given is not');
    const given = teamKeyId(secret.key);
    if (given !== kdf.keyId)
      throw new OutpostError('bundle_key', `This bundle is encrypted with team key ${kdf.keyId}, not the key given (${given})`);
    key = secret.key;
  } else {
    if (secret?.kind !== 'passphrase' || typeof secret.passphrase !== 'string')
      throw new OutpostError('bundle_key', 'This bundle is encrypted with a passphrase, not a team key');
    const problem = scryptParamsProblem(kdf);
    if (problem) throw invalid(`This bundle asks for unsafe key-derivation settings, refused before running them: ${problem}`);
  }

  const limit = Math.min(header.expandedBytes, maxExpanded);
  if (header.expandedBytes > maxExpanded)
    throw new OutpostError(
      'bundle_too_large',
      `This bundle expands to ${header.expandedBytes} bytes, over the limit of ${maxExpanded} bytes for one import`,
    );

  if (kdf.kind === 'scrypt' && secret.kind === 'passphrase') key = await passphraseKey(secret.passphrase, decodeBytes(kdf.salt), kdf);
  if (!key) throw new OutpostError('internal', 'No key was derived for this bundle');
  const compressed = aeadOpen(key, decodeBytes(header.encryption.nonce), frame.associatedData, frame.ciphertext);
  if (!compressed) throw new OutpostError('bundle_key', 'Wrong passphrase or key (or the bundle was altered)');

  const inflated = (options?.inflate ?? inflateLimited)(compressed, limit);
  if (!inflated.ok) {
    if (inflated.reason === 'too_large')
      throw new OutpostError(
        'bundle_too_large',
        `This bundle expands to more than ${limit} bytes (its header says ${header.expandedBytes}): refused as a decompression bomb`,
        [`stopped after ${inflated.produced} bytes of output`],
      );
    throw invalid(`The bundle's contents are damaged: decompression failed (${inflated.message})`);
  }
  if (inflated.data.length !== header.expandedBytes)
    throw invalid(
      `The bundle's contents are damaged: they expand to ${inflated.data.length} bytes, its header says ${header.expandedBytes}`,
    );

  return { header, payload: decodePayload(inflated.data, header) };
}
