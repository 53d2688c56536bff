import fs from 'node:fs';
import path from 'node:path';
import type { CallRequest, CallResponse } from '../../shared/api/contract';
import { OutpostError } from '../../shared/errors';
import type { BundleSecretInput } from '../../shared/sync/calls';
import { decodeHaveFile } from '../../shared/sync/have-file';
import { importedDocLabel } from '../../shared/sync/imported-doc';
import { UsageError } from './args';
import type { CliApi } from './cli-api';
import { engagementFlag, plural, printList, printResult } from './command-helpers';
import { defineCommand, parseSub, pickSub, type Subcommands } from './command-spec';
import { type CliIO, formatBytes, json } from './output';
import { uploadBytes, writeDownload } from './transfers';

export const BUNDLE_USAGE = `Usage:
  outpost bundle export --engagement X [--engagement Y …] [--playbook ID …] [--since-peer DEVICE | --have FILE]
                        [--max-classification LEVEL] (--passphrase-file F | --key-file K) -o FILE [--force]
                        (at least one --engagement or --playbook; under a cap a playbook leaves only
                        if every lesson it curates is at or below the cap)
  outpost bundle import FILE (--passphrase-file F | --key-file K) [--dry-run] [--trust] [--json]
  outpost bundle inspect FILE [--json]          the readable header; no secret needed
  outpost have export -o FILE                   what this notebook holds, for a peer to send only what is missing
  outpost devices list [--json]                 devices whose bundles this notebook accepts
  outpost devices revoke DEVICE                 stop accepting a device's bundles
  outpost key create -o FILE                    a random team key file (share it only by hand)
  outpost conflicts list [--all] [--json]       fields two devices set at once (found by imports)
  outpost conflicts resolve ID --keep shown|other   keep the value shown, or restore the overwritten one
`;

const SECRET_FLAGS = { 'passphrase-file': { type: 'string' }, 'key-file': { type: 'string' } } as const;
const OUTPUT_FLAGS = { o: { type: 'string', short: 'o' }, force: { type: 'boolean' } } as const;
const BUNDLE_FILE = { min: 1, max: 1, names: 'bundle file' };
/** The largest "have" file read (a snapshot per document; no content). */
const MAX_HAVE_FILE_BYTES = 256 * 1024 * 1024;

/** The secret files are read here, in the CLI (the module holds the bundle cryptography: loaded only for bundles). */
async function secretFrom(
  values: { 'passphrase-file'?: string; 'key-file'?: string },
  purpose: 'export' | 'import',
): Promise<BundleSecretInput> {
  const passphrase = values['passphrase-file'];
  const key = values['key-file'];
  if (passphrase !== undefined && key !== undefined) throw new UsageError('Give either --passphrase-file or --key-file, not both');
  if (passphrase === undefined && key === undefined)
    throw new UsageError('Missing --passphrase-file F or --key-file K (the secret the bundle is encrypted with)');
  const files = await import('../sync/secret-files');
  const secret = passphrase !== undefined ? files.readPassphraseFile(passphrase, purpose) : files.readTeamKeyFile(key as string);
  return secret.kind === 'passphrase' ? secret : { kind: 'team-key', key: Buffer.from(secret.key).toString('base64') };
}

/** A bundle file the user named, read here (its size checked first), to upload for inspection or import. */
async function readBundle(file: string): Promise<Uint8Array> {
  const { readBundleFile } = await import('../sync/secret-files');
  const bytes = readBundleFile(file);
  if (!bytes.length) throw new OutpostError('bundle_invalid', `${file} is empty: it is not an Outpost bundle`);
  return bytes;
}

function refuseOverwrite(file: string, force: boolean | undefined): void {
  if (fs.existsSync(file) && !force) throw new OutpostError('conflict', `${file} already exists; choose another name or pass --force`);
}

const BUNDLE_SUBCOMMANDS = {
  export: {
    flags: {
      engagement: { type: 'string', multiple: true },
      playbook: { type: 'string', multiple: true },
      'since-peer': { type: 'string' },
      have: { type: 'string' },
      'max-classification': { type: 'string' },
      ...OUTPUT_FLAGS,
      json: { type: 'boolean' },
      ...SECRET_FLAGS,
    },
  },
  import: {
    flags: { 'dry-run': { type: 'boolean' }, trust: { type: 'boolean' }, json: { type: 'boolean' }, ...SECRET_FLAGS },
    positionals: BUNDLE_FILE,
  },
  inspect: { flags: { json: { type: 'boolean' } }, positionals: BUNDLE_FILE },
} as const satisfies Subcommands;

export const bundleCommand = defineCommand({
  name: 'bundle',
  summary: 'export, import, inspect signed encrypted sync bundles',
  usage: BUNDLE_USAGE,
  subcommands: BUNDLE_SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('bundle', BUNDLE_USAGE, BUNDLE_SUBCOMMANDS, args);
    switch (sub) {
      case 'export':
        return exportBundle(api, parseSub(BUNDLE_SUBCOMMANDS, sub, rest).values, io);
      case 'import': {
        const { values, positionals } = parseSub(BUNDLE_SUBCOMMANDS, sub, rest);
        const file = positionals[0] as string;
        const bytes = await readBundle(file);
        const secret = await secretFrom(values, 'import');
        const uploadId = await uploadBytes(api, path.basename(file), bytes);
        const report = await api.call('bundles.import', {
          uploadId,
          secret,
          dryRun: values['dry-run'] ?? false,
          trustSender: values.trust ?? false,
        });
        if (values.json) io.stdout(json(report));
        else io.stdout(await describeImport(report));
        return 0;
      }
      case 'inspect': {
        const { values, positionals } = parseSub(BUNDLE_SUBCOMMANDS, sub, rest);
        const file = positionals[0] as string;
        const uploadId = await uploadBytes(api, path.basename(file), await readBundle(file));
        const report = await api.call('bundles.inspect', { uploadId });
        await api.call('bundles.uploadDiscard', { uploadId });
        const { header, signatureValid, fingerprint, trust, trustedDevice, previouslyImportedAt } = report;
        const shown = {
          header,
          signatureValid,
          fingerprint,
          trust: { status: trust, ...(trustedDevice && { device: trustedDevice }) },
          previouslyImportedAt,
        };
        printResult(io, values.json, shown, () => describeInspection(report));
        return 0;
      }
    }
  },
});

async function exportBundle(
  api: CliApi,
  values: ReturnType<typeof parseSub<typeof BUNDLE_SUBCOMMANDS, 'export'>>['values'],
  io: CliIO,
): Promise<number> {
  if (!values.engagement?.length && !values.playbook?.length) throw new UsageError('Missing --engagement (or --playbook)');
  if (!values.o) throw new UsageError('Missing -o FILE');
  if (values['since-peer'] !== undefined && values.have !== undefined) throw new UsageError('Give either --since-peer or --have, not both');
  const secret = await secretFrom(values, 'export');
  const out = path.resolve(values.o);
  refuseOverwrite(out, values.force);
  const engagementIds: string[] = [];
  for (const ref of values.engagement ?? []) engagementIds.push(await engagementFlag(api, ref));
  let delta: CallRequest<'bundles.export'>['delta'] = { kind: 'full' };
  if (values['since-peer'] !== undefined) delta = { kind: 'since-peer', peerDeviceId: await resolvePeer(api, values['since-peer']) };
  if (values.have !== undefined) {
    const text = readHaveFile(values.have);
    decodeHaveFile(text); // a bad file is refused here, with what is wrong, before anything is sent
    delta = { kind: 'have', uploadId: await uploadBytes(api, path.basename(values.have), new TextEncoder().encode(text)) };
  }
  const result = await api.call('bundles.export', {
    engagementIds,
    playbookIds: (values.playbook ?? []).map((id) => id.trim()),
    delta,
    ...(values['max-classification'] !== undefined && { maxClassification: values['max-classification'] }),
    secret,
    fileName: path.basename(out),
  });
  await writeDownload(api, result.token, out);
  const { token: _token, expiresAt: _expires, fileName: _name, ...counts } = result;
  if (values.json) {
    io.stdout(json({ file: out, ...counts }));
    return 0;
  }
  io.stdout(
    `Wrote ${out} (${formatBytes(result.bytes)}): ${plural(result.docs, 'document')}, ${plural(result.attachments, 'attachment')}\n`,
  );
  if (result.unchanged) io.stdout(`Left out ${plural(result.unchanged, 'document')} the peer already has\n`);
  if (result.withheld)
    io.stdout(`Withheld ${plural(result.withheld, 'document')} (notes, playbooks) marked above ${values['max-classification']}\n`);
  if (result.missingAttachments.length)
    io.stderr(
      `outpost: ${result.missingAttachments.length} attachment(s) referenced by notes are missing from this notebook and were not included\n`,
    );
  return 0;
}

const HAVE_SUBCOMMANDS = { export: { flags: OUTPUT_FLAGS } } as const satisfies Subcommands;

export const haveCommand = defineCommand({
  name: 'have',
  summary: 'export -o FILE: what this notebook holds, so a peer sends only what is missing',
  usage: BUNDLE_USAGE,
  subcommands: HAVE_SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('have', BUNDLE_USAGE, HAVE_SUBCOMMANDS, args);
    const { values } = parseSub(HAVE_SUBCOMMANDS, sub, rest);
    if (!values.o) throw new UsageError('Missing -o FILE');
    const out = path.resolve(values.o);
    refuseOverwrite(out, values.force);
    const have = await api.call('bundles.haveExport', {});
    await writeDownload(api, have.token, out);
    io.stdout(`Wrote ${out}: what this notebook holds of ${plural(have.docs, 'document')} (no content)\n`);
    return 0;
  },
});

const DEVICES_SUBCOMMANDS = {
  list: { flags: { json: { type: 'boolean' } } },
  revoke: { flags: {}, positionals: { min: 1, max: 1, names: 'device id or name' } },
} as const satisfies Subcommands;

export const devicesCommand = defineCommand({
  name: 'devices',
  summary: 'list|revoke: devices whose bundles this notebook accepts',
  usage: BUNDLE_USAGE,
  subcommands: DEVICES_SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('devices', BUNDLE_USAGE, DEVICES_SUBCOMMANDS, args);
    if (sub === 'list') {
      const { values } = parseSub(DEVICES_SUBCOMMANDS, sub, rest);
      const { devices } = await api.call('devices.list', {});
      printList(io, values.json, devices, {
        empty: 'No trusted devices yet: importing a bundle from a new device asks to trust it.\n',
        headers: ['DEVICE', 'FINGERPRINT', 'TRUSTED', 'STATUS', 'ID'],
        row: (d) => [
          d.name,
          d.fingerprint,
          d.trustedAt.slice(0, 10),
          d.revokedAt ? `revoked ${d.revokedAt.slice(0, 10)}` : 'trusted',
          d.deviceId,
        ],
      });
      return 0;
    }
    const { positionals } = parseSub(DEVICES_SUBCOMMANDS, sub, rest);
    const device = await api.call('devices.revoke', { deviceId: await resolvePeer(api, positionals[0] as string) });
    io.stdout(`Revoked ${device.name} (${device.deviceId}): its bundles are refused from now on\n`);
    return 0;
  },
});

const CONFLICTS_SUBCOMMANDS = {
  list: { flags: { all: { type: 'boolean' }, json: { type: 'boolean' } } },
  resolve: { flags: { keep: { type: 'string' } }, positionals: { min: 1, max: 1, names: 'conflict id' } },
} as const satisfies Subcommands;

export const conflictsCommand = defineCommand({
  name: 'conflicts',
  summary: 'list|resolve: fields two devices set at once, found by imports',
  usage: BUNDLE_USAGE,
  subcommands: CONFLICTS_SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('conflicts', BUNDLE_USAGE, CONFLICTS_SUBCOMMANDS, args);
    if (sub === 'list') {
      const { values } = parseSub(CONFLICTS_SUBCOMMANDS, sub, rest);
      const { conflicts } = await api.call('conflicts.list', { includeResolved: values.all ?? false });
      printList(io, values.json, conflicts, {
        empty: 'No concurrent field changes to review.\n',
        headers: ['ID', 'WHERE', 'FIELD', 'SHOWN', 'OVERWRITTEN', 'FROM', 'STATUS'],
        row: (c) => [
          String(c.id),
          c.label,
          c.path,
          JSON.stringify(c.kept),
          JSON.stringify(c.overwritten),
          c.overwrittenHere ? 'this notebook' : c.peerName,
          c.resolution ?? 'open',
        ],
      });
      return 0;
    }
    const { values, positionals } = parseSub(CONFLICTS_SUBCOMMANDS, sub, rest);
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id < 1) throw new UsageError('A conflict is named by its number (outpost conflicts list)');
    if (values.keep !== 'shown' && values.keep !== 'other')
      throw new UsageError('--keep shown (the value the notebook shows) or --keep other (restore the overwritten one)');
    const resolved = await api.call('conflicts.resolve', { id, keep: values.keep });
    io.stdout(
      values.keep === 'shown'
        ? `Kept ${JSON.stringify(resolved.kept)} for ${resolved.path} of ${resolved.label}\n`
        : `Restored ${JSON.stringify(resolved.overwritten)} for ${resolved.path} of ${resolved.label} (a new edit: it reaches the others with the next bundle)\n`,
    );
    return 0;
  },
});

const KEY_SUBCOMMANDS = { create: { flags: { o: { type: 'string', short: 'o' } } } } as const satisfies Subcommands;

export const keyCommand = defineCommand({
  name: 'key',
  summary: 'create -o FILE: a random team key for bundles',
  usage: BUNDLE_USAGE,
  subcommands: KEY_SUBCOMMANDS,
  noNotebook: true,
  run: async ({ io }, args) => {
    const { sub, rest } = pickSub('key', BUNDLE_USAGE, KEY_SUBCOMMANDS, args);
    const { values } = parseSub(KEY_SUBCOMMANDS, sub, rest);
    if (!values.o) throw new UsageError('Missing -o FILE');
    const file = path.resolve(values.o);
    const { createTeamKeyFile } = await import('../sync/secret-files');
    const keyId = createTeamKeyFile(file);
    io.stdout(`Wrote team key ${keyId} to ${file}. Hand it to your team by hand (never inside a bundle).\n`);
    return 0;
  },
});

/** A peer by device id, or by the name of a trusted device or a device a bundle came from. */
async function resolvePeer(api: CliApi, ref: string): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(ref)) return ref;
  const wanted = ref.toLowerCase();
  const matches = new Set<string>();
  for (const device of (await api.call('devices.list', {})).devices) if (device.name.toLowerCase() === wanted) matches.add(device.deviceId);
  for (const entry of (await api.call('bundles.ledger', {})).entries)
    if (entry.peerDeviceId && entry.peerName.toLowerCase() === wanted) matches.add(entry.peerDeviceId);
  if (matches.size === 1) return [...matches][0] as string;
  if (matches.size > 1) throw new OutpostError('ambiguous', `More than one device is called "${ref}"; use its id (outpost devices list)`);
  throw new OutpostError('not_found', `No known device "${ref}" (outpost devices list)`);
}

function readHaveFile(file: string): string {
  try {
    if (fs.statSync(file).size > MAX_HAVE_FILE_BYTES) throw new OutpostError('invalid_request', `${file} is too large`);
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError('invalid_request', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function describeInspection(report: CallResponse<'bundles.inspect'>): string {
  const h = report.header;
  return `${[
    `Bundle     ${h.bundleId} (format 1), made ${h.createdAt}`,
    `From       ${h.sender.name} (device ${h.sender.deviceId})`,
    `Key        ${report.fingerprint} — ${trustLine(report.trust)}`,
    `Signature  ${report.signatureValid ? 'valid' : 'INVALID: the file was altered or damaged'}`,
    `Contents   ${h.counts.docs} document(s), ${h.counts.attachments} attachment(s), ${formatBytes(h.expandedBytes)} when opened`,
    `Scope      ${[...h.engagements.map((e) => `${e.codename} (up to ${e.ceiling})`), ...(h.playbooks.length ? [`${h.playbooks.length} playbook(s)`] : [])].join(', ')}`,
    `Cap        ${h.maxClassification ?? 'none'}`,
    `Delta      ${h.delta.kind}${'peerDeviceId' in h.delta ? ` for device ${h.delta.peerDeviceId}` : ''}`,
    `Encryption ${h.encryption.kdf.kind === 'scrypt' ? 'passphrase (scrypt)' : `team key ${h.encryption.kdf.keyId}`}, XChaCha20-Poly1305`,
    report.previouslyImportedAt ? `Imported   already, on ${report.previouslyImportedAt}` : 'Imported   not yet',
  ].join('\n')}\n`;
}

function trustLine(status: string): string {
  switch (status) {
    case 'self':
      return 'this device';
    case 'trusted':
      return 'trusted';
    case 'revoked':
      return 'REVOKED';
    case 'key_mismatch':
      return 'NOT the key trusted for this device';
    default:
      return 'not trusted yet';
  }
}

/** The import's report as a person reads it (the section summaries' module, with the Yjs doc code, loads only here). */
async function describeImport(report: CallResponse<'bundles.import'>): Promise<string> {
  const { sectionLine } = await import('../../shared/sync/section-changes');
  const lines: string[] = [];
  const verb = report.applied ? 'Imported' : 'Would import (dry run)';
  const changed = report.docs.filter((d) => d.changed);
  lines.push(`${verb} bundle ${report.header.bundleId} from ${report.header.sender.name}`);
  if (report.previouslyImportedAt) lines.push(`This bundle was imported before, on ${report.previouslyImportedAt}.`);
  if (!changed.length) lines.push('Nothing new: this notebook already has everything in it.');
  for (const doc of changed) {
    const what = importedDocLabel(doc);
    lines.push(
      `  ${doc.created ? 'new    ' : 'changed'}  ${what}${doc.waiting ? ' (part of it waits for an earlier bundle from that device)' : ''}`,
    );
    for (const change of doc.sections) lines.push(`             ${sectionLine(change)}`);
  }
  if (report.attachments.received) lines.push(`${report.attachments.new} new attachment(s) of ${report.attachments.received}`);
  if (report.conflicts.length) {
    lines.push(`${report.conflicts.length} field(s) were set on both sides at once; one value was kept (review: outpost conflicts list):`);
    for (const c of report.conflicts)
      lines.push(
        `  ${c.label} · ${c.path}: shows ${JSON.stringify(c.kept)}, overwrote ${JSON.stringify(c.overwritten)}${c.overwrittenHere ? ' (this notebook’s)' : ''}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
