import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { OutpostError } from '../../shared/errors';
import { decodeHaveFile, encodeHaveFile } from '../../shared/sync/have-file';
import { importedDocLabel } from '../../shared/sync/imported-doc';
import { sectionLine } from '../../shared/sync/section-changes';
import { writeFileAtomic } from '../notebook/atomic-write';
import type { Notebook } from '../notebook/notebook';
import type { DeltaRequest, ImportReport } from '../sync/bundle-service';
import { createTeamKeyFile, readBundleFile, readPassphraseFile, readTeamKeyFile } from '../sync/secret-files';
import { parseCommand, UsageError } from './args';
import { type CliIO, formatTable, json } from './output';

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

function secretFrom(values: { 'passphrase-file'?: string; 'key-file'?: string }, purpose: 'export' | 'import') {
  const passphrase = values['passphrase-file'];
  const key = values['key-file'];
  if (passphrase !== undefined && key !== undefined) throw new UsageError('Give either --passphrase-file or --key-file, not both');
  if (passphrase !== undefined) return readPassphraseFile(passphrase, purpose);
  if (key !== undefined) return readTeamKeyFile(key);
  throw new UsageError('Missing --passphrase-file F or --key-file K (the secret the bundle is encrypted with)');
}

function refuseOverwrite(file: string, force: boolean | undefined): void {
  if (fs.existsSync(file) && !force) throw new OutpostError('conflict', `${file} already exists; choose another name or pass --force`);
}

export async function bundleCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'export': {
      const { values } = parseCommand(
        rest,
        {
          engagement: { type: 'string', multiple: true },
          playbook: { type: 'string', multiple: true },
          'since-peer': { type: 'string' },
          have: { type: 'string' },
          'max-classification': { type: 'string' },
          o: { type: 'string', short: 'o' },
          force: { type: 'boolean' },
          json: { type: 'boolean' },
          ...SECRET_FLAGS,
        },
        { min: 0, max: 0, names: '' },
      );
      if (!values.engagement?.length && !values.playbook?.length) throw new UsageError('Missing --engagement (or --playbook)');
      if (!values.o) throw new UsageError('Missing -o FILE');
      if (values['since-peer'] !== undefined && values.have !== undefined)
        throw new UsageError('Give either --since-peer or --have, not both');
      const secret = secretFrom(values, 'export');
      const out = path.resolve(values.o);
      refuseOverwrite(out, values.force);
      const engagementIds: string[] = [];
      for (const ref of values.engagement ?? []) engagementIds.push(await notebook.engagements.resolve(ref));
      let delta: DeltaRequest = { kind: 'full' };
      if (values['since-peer'] !== undefined)
        delta = { kind: 'since-peer', peerDeviceId: await resolvePeer(notebook, values['since-peer']) };
      if (values.have !== undefined) delta = { kind: 'have', have: decodeHaveFile(readText(values.have)) };
      const result = await notebook.bundles.export({
        engagementIds,
        playbookIds: (values.playbook ?? []).map((id) => id.trim()),
        delta,
        ...(values['max-classification'] !== undefined && { maxClassification: values['max-classification'] }),
        secret,
        fileName: path.basename(out),
      });
      writeFileAtomic(out, result.bytes);
      const summary = {
        file: out,
        bundleId: result.header.bundleId,
        bytes: result.bytes.length,
        docs: result.docs,
        unchanged: result.unchanged,
        withheld: result.withheld,
        attachments: result.attachments,
        missingAttachments: result.missingAttachments,
      };
      if (values.json) io.stdout(json(summary));
      else {
        io.stdout(
          `Wrote ${out} (${formatSize(result.bytes.length)}): ${result.docs} document${result.docs === 1 ? '' : 's'}, ${result.attachments} attachment${result.attachments === 1 ? '' : 's'}\n`,
        );
        if (result.unchanged) io.stdout(`Left out ${result.unchanged} document${result.unchanged === 1 ? '' : 's'} the peer already has\n`);
        if (result.withheld)
          io.stdout(
            `Withheld ${result.withheld} document${result.withheld === 1 ? '' : 's'} (notes, playbooks) marked above ${values['max-classification']}\n`,
          );
        if (result.missingAttachments.length)
          io.stderr(
            `outpost: ${result.missingAttachments.length} attachment(s) referenced by notes are missing from this notebook and were not included\n`,
          );
      }
      return 0;
    }
    case 'import': {
      const { values, positionals } = parseCommand(
        rest,
        { 'dry-run': { type: 'boolean' }, trust: { type: 'boolean' }, json: { type: 'boolean' }, ...SECRET_FLAGS },
        { min: 1, max: 1, names: 'bundle file' },
      );
      const file = positionals[0] as string;
      const bytes = readBundleFile(file);
      const secret = secretFrom(values, 'import');
      const report = await notebook.bundles.import(bytes, secret, {
        dryRun: values['dry-run'] ?? false,
        trustSender: values.trust ?? false,
        fileName: path.basename(file),
      });
      io.stdout(values.json ? json(report) : describeImport(report));
      return 0;
    }
    case 'inspect': {
      const { values, positionals } = parseCommand(rest, { json: { type: 'boolean' } }, { min: 1, max: 1, names: 'bundle file' });
      const report = await notebook.bundles.inspect(readBundleFile(positionals[0] as string));
      if (values.json) io.stdout(json(report));
      else {
        const h = report.header;
        io.stdout(
          [
            `Bundle     ${h.bundleId} (format 1), made ${h.createdAt}`,
            `From       ${h.sender.name} (device ${h.sender.deviceId})`,
            `Key        ${report.fingerprint} — ${trustLine(report.trust.status)}`,
            `Signature  ${report.signatureValid ? 'valid' : 'INVALID: the file was altered or damaged'}`,
            `Contents   ${h.counts.docs} document(s), ${h.counts.attachments} attachment(s), ${formatSize(h.expandedBytes)} when opened`,
            `Scope      ${[...h.engagements.map((e) => `${e.codename} (up to ${e.ceiling})`), ...(h.playbooks.length ? [`${h.playbooks.length} playbook(s)`] : [])].join(', ')}`,
            `Cap        ${h.maxClassification ?? 'none'}`,
            `Delta      ${h.delta.kind}${'peerDeviceId' in h.delta ? ` for device ${h.delta.peerDeviceId}` : ''}`,
            `Encryption ${h.encryption.kdf.kind === 'scrypt' ? 'passphrase (scrypt)' : `team key ${h.encryption.kdf.keyId}`}, XChaCha20-Poly1305`,
            report.previouslyImportedAt ? `Imported   already, on ${report.previouslyImportedAt}` : 'Imported   not yet',
          ].join('\n') + '\n',
        );
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "bundle ${sub}"\n${BUNDLE_USAGE}` : BUNDLE_USAGE);
  }
}

export async function haveCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'export') throw new UsageError(BUNDLE_USAGE);
  const { values } = parseCommand(rest, { o: { type: 'string', short: 'o' }, force: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  if (!values.o) throw new UsageError('Missing -o FILE');
  const out = path.resolve(values.o);
  refuseOverwrite(out, values.force);
  await notebook.docs.flush();
  const docs = new Map<string, Uint8Array>();
  for (const docId of await notebook.docs.listDocIds()) {
    const doc = await notebook.docs.currentCopy(docId);
    if (!doc) continue;
    docs.set(docId, Y.encodeSnapshot(Y.snapshot(doc)));
    doc.destroy();
  }
  writeFileAtomic(
    out,
    encodeHaveFile({
      deviceId: notebook.device.deviceId,
      deviceName: notebook.device.name,
      notebookId: notebook.settings.notebookId,
      createdAt: new Date().toISOString(),
      docs,
    }),
  );
  io.stdout(`Wrote ${out}: what this notebook holds of ${docs.size} document${docs.size === 1 ? '' : 's'} (no content)\n`);
  return 0;
}

export async function devicesCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseCommand(rest, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
    const devices = await notebook.trust.list();
    if (values.json) io.stdout(json(devices));
    else if (!devices.length) io.stdout('No trusted devices yet: importing a bundle from a new device asks to trust it.\n');
    else
      io.stdout(
        formatTable(
          ['DEVICE', 'FINGERPRINT', 'TRUSTED', 'STATUS', 'ID'],
          devices.map((d) => [
            d.name,
            d.fingerprint,
            d.trustedAt.slice(0, 10),
            d.revokedAt ? `revoked ${d.revokedAt.slice(0, 10)}` : 'trusted',
            d.deviceId,
          ]),
        ),
      );
    return 0;
  }
  if (sub === 'revoke') {
    const { positionals } = parseCommand(rest, {}, { min: 1, max: 1, names: 'device id or name' });
    const device = await notebook.trust.revoke(await resolvePeer(notebook, positionals[0] as string));
    io.stdout(`Revoked ${device.name} (${device.deviceId}): its bundles are refused from now on\n`);
    return 0;
  }
  throw new UsageError(BUNDLE_USAGE);
}

export async function conflictsCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseCommand(rest, { all: { type: 'boolean' }, json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
    const conflicts = await notebook.conflicts.list({ includeResolved: values.all ?? false });
    if (values.json) io.stdout(json(conflicts));
    else if (!conflicts.length) io.stdout('No concurrent field changes to review.\n');
    else
      io.stdout(
        formatTable(
          ['ID', 'WHERE', 'FIELD', 'SHOWN', 'OVERWRITTEN', 'FROM', 'STATUS'],
          conflicts.map((c) => [
            String(c.id),
            c.label,
            c.path,
            JSON.stringify(c.kept),
            JSON.stringify(c.overwritten),
            c.overwrittenHere ? 'this notebook' : c.peerName,
            c.resolution ?? 'open',
          ]),
        ),
      );
    return 0;
  }
  if (sub === 'resolve') {
    const { values, positionals } = parseCommand(rest, { keep: { type: 'string' } }, { min: 1, max: 1, names: 'conflict id' });
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id < 1) throw new UsageError('A conflict is named by its number (outpost conflicts list)');
    if (values.keep !== 'shown' && values.keep !== 'other')
      throw new UsageError('--keep shown (the value the notebook shows) or --keep other (restore the overwritten one)');
    const resolved = await notebook.conflicts.resolve(id, values.keep === 'shown' ? 'kept' : 'restored');
    io.stdout(
      values.keep === 'shown'
        ? `Kept ${JSON.stringify(resolved.kept)} for ${resolved.path} of ${resolved.label}\n`
        : `Restored ${JSON.stringify(resolved.overwritten)} for ${resolved.path} of ${resolved.label} (a new edit: it reaches the others with the next bundle)\n`,
    );
    return 0;
  }
  throw new UsageError(BUNDLE_USAGE);
}

export async function keyCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create') throw new UsageError(BUNDLE_USAGE);
  const { values } = parseCommand(rest, { o: { type: 'string', short: 'o' } }, { min: 0, max: 0, names: '' });
  if (!values.o) throw new UsageError('Missing -o FILE');
  const keyId = createTeamKeyFile(path.resolve(values.o));
  io.stdout(`Wrote team key ${keyId} to ${path.resolve(values.o)}. Hand it to your team by hand (never inside a bundle).\n`);
  return 0;
}

/** A peer by device id, or by the name of a trusted device or a device a bundle came from. */
async function resolvePeer(notebook: Notebook, ref: string): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(ref)) return ref;
  const matches = new Set<string>();
  for (const device of await notebook.trust.list()) if (device.name.toLowerCase() === ref.toLowerCase()) matches.add(device.deviceId);
  for (const entry of await notebook.ledger.list())
    if (entry.peerDeviceId && entry.peerName.toLowerCase() === ref.toLowerCase()) matches.add(entry.peerDeviceId);
  if (matches.size === 1) return [...matches][0] as string;
  if (matches.size > 1) throw new OutpostError('ambiguous', `More than one device is called "${ref}"; use its id (outpost devices list)`);
  throw new OutpostError('not_found', `No known device "${ref}" (outpost devices list)`);
}

function readText(file: string): string {
  try {
    if (fs.statSync(file).size > 256 * 1024 * 1024) throw new OutpostError('invalid_request', `${file} is too large`);
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError('invalid_request', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
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

function describeImport(report: ImportReport): string {
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

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
