import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { EventPayload } from '../../shared/api/contract';
import { BUNDLE_CHUNK_BYTES, type BundleInspection, type ImportReportInfo, MAX_BUNDLE_BYTES } from '../../shared/sync/calls';

type ImportProgressInfo = EventPayload<'bundles.importProgress'>;

import { encodeBytes } from '../../shared/bytes';
import { importedDocLabel } from '../../shared/sync/imported-doc';
import { sectionLine } from '../../shared/sync/section-changes';
import { errorLines, FormErrors } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { engagementHref } from '../app/use-hash-route';
import { emptySecret, SecretFields, type SecretState, secretProblem, toSecretInput } from './SecretFields';
import { formatSize, formatWhen, plural, trustText } from './sync-format';

type Stage = 'idle' | 'uploading' | 'previewing' | 'importing';

const STAGE_LABELS: Record<Exclude<Stage, 'idle'>, string> = {
  uploading: 'Uploading the bundle',
  previewing: 'Opening the bundle',
  importing: 'Importing the bundle',
};

/**
 * Import: pick a .outpost file (uploaded in chunks to this connection), read its header, give the
 * secret, preview what it brings (a dry run), trust an unknown sender explicitly, then apply it.
 */
export function ImportPanel() {
  const { api } = useOutpost();
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const uploadRef = useRef<string | null>(null);
  const generation = useRef(0);
  const [stage, setStage] = useState<Stage>('idle');
  const [progress, setProgress] = useState(0);
  const [applyProgress, setApplyProgress] = useState<ImportProgressInfo | null>(null);
  const [inspection, setInspection] = useState<BundleInspection | null>(null);
  const [secret, setSecret] = useState<SecretState>(emptySecret());
  const [preview, setPreview] = useState<ImportReportInfo | null>(null);
  const [trust, setTrust] = useState(false);
  const [imported, setImported] = useState<ImportReportInfo | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  // The main process reports a long merge document by document (only to this connection).
  useEffect(
    () =>
      api.on('bundles.importProgress', (event) => {
        if (event.uploadId === uploadRef.current) setApplyProgress(event);
      }),
    [api],
  );

  const discard = () => {
    const uploadId = uploadRef.current;
    uploadRef.current = null;
    if (uploadId) api.call('bundles.uploadDiscard', { uploadId }).catch(() => {});
  };
  // Leaving the view forgets the uploaded bundle (closing the connection would, too).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per api; discard reads a ref
  useEffect(() => () => discard(), [api]);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    const mine = ++generation.current;
    discard();
    setInspection(null);
    setPreview(null);
    setImported(null);
    setTrust(false);
    setErrors([]);
    if (!file) return;
    if (file.size === 0) return setErrors([`${file.name} is empty: it is not an Outpost bundle`]);
    if (file.size > MAX_BUNDLE_BYTES)
      return setErrors([`${file.name} is ${formatSize(file.size)}; Outpost reads bundles up to 1 GB. Ask for one per engagement.`]);
    setStage('uploading');
    setProgress(0);
    try {
      const { uploadId } = await api.call('bundles.uploadBegin', { name: file.name.slice(0, 255), size: file.size });
      uploadRef.current = uploadId;
      for (let offset = 0, index = 0; offset < file.size; offset += BUNDLE_CHUNK_BYTES, index++) {
        if (mine !== generation.current) return;
        const bytes = new Uint8Array(await file.slice(offset, offset + BUNDLE_CHUNK_BYTES).arrayBuffer());
        await api.call('bundles.uploadChunk', { uploadId, index, data: encodeBytes(bytes) });
        setProgress((offset + bytes.length) / file.size);
      }
      const inspected = await api.call('bundles.inspect', { uploadId });
      if (mine !== generation.current) return;
      setInspection(inspected);
      setSecret(emptySecret(inspected.header.encryption.kdf.kind === 'scrypt' ? 'passphrase' : 'team-key'));
    } catch (error) {
      if (mine === generation.current) setErrors(errorLines(error));
    } finally {
      if (mine === generation.current) setStage('idle');
    }
  };

  const run = async (dryRun: boolean) => {
    const uploadId = uploadRef.current;
    if (!inspection || !uploadId) return;
    const problem = secretProblem(secret, 'import');
    if (problem) return setErrors([problem]);
    if (!dryRun && inspection.trust === 'unknown' && !trust)
      return setErrors(['Tick “Trust this device” after comparing its fingerprint with the sender, or do not import.']);
    const mine = generation.current;
    setErrors([]);
    setApplyProgress(null);
    setStage(dryRun ? 'previewing' : 'importing');
    try {
      const report = await api.call('bundles.import', { uploadId, secret: toSecretInput(secret), dryRun, trustSender: !dryRun && trust });
      if (mine !== generation.current) return;
      if (dryRun) setPreview(report);
      else {
        uploadRef.current = null;
        setImported(report);
        setSecret(emptySecret(secret.kind));
        if (fileRef.current) fileRef.current.value = '';
      }
    } catch (error) {
      if (mine === generation.current) {
        setErrors(errorLines(error));
        if (dryRun) setPreview(null);
      }
    } finally {
      if (mine === generation.current) setStage('idle');
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(true);
  };

  const busy = stage !== 'idle';
  const blocked = inspection && (inspection.trust === 'revoked' || inspection.trust === 'key_mismatch' || !inspection.signatureValid);
  const kdf = inspection?.header.encryption.kdf;
  return (
    <form className="sync-panel" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h3 id={`${id}-title`}>Import a bundle</h3>
      <p className="muted small">Merge a teammate's bundle into this notebook. Nothing changes until you press Import.</p>
      <label className="sync-field">
        <span>Bundle file</span>
        <input ref={fileRef} type="file" accept=".outpost" onChange={pick} disabled={stage === 'previewing' || stage === 'importing'} />
      </label>

      {inspection && !imported && <BundleHeaderView inspection={inspection} />}

      {inspection && !imported && kdf && (
        <SecretFields
          mode="import"
          value={secret}
          onChange={(next) => {
            setSecret(next);
            setPreview(null);
          }}
          required={kdf.kind === 'scrypt' ? { kind: 'passphrase' } : { kind: 'team-key', keyId: kdf.keyId }}
          disabled={busy}
        />
      )}

      {preview && inspection && !imported && <PreviewView report={preview} />}

      {preview && inspection?.trust === 'unknown' && !imported && (
        <div className="sync-trust">
          <label>
            <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.currentTarget.checked)} />
            Trust this device (fingerprint {inspection.fingerprint})
          </label>
          <small className="muted">
            Compare the fingerprint with {inspection.header.sender.name} in person or by phone. From then on this notebook accepts bundles
            signed by that device's key.
          </small>
        </div>
      )}

      <FormErrors title="The bundle was not imported:" errors={errors} />

      {inspection && !imported && (
        <div className="sync-actions">
          <button type="submit" disabled={busy || !!blocked}>
            Preview
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || !preview || !!blocked || (inspection.trust === 'unknown' && !trust)}
            onClick={() => void run(false)}
          >
            Import
          </button>
        </div>
      )}
      {busy && (
        <div className="sync-progress">
          {stage === 'uploading' ? (
            <progress aria-label={STAGE_LABELS.uploading} value={progress} max={1} />
          ) : applyProgress ? (
            <progress aria-label={STAGE_LABELS[stage]} value={importFraction(applyProgress)} max={1} />
          ) : (
            <progress aria-label={STAGE_LABELS[stage]} />
          )}
          <span className="muted small">
            {STAGE_LABELS[stage]}
            {stage === 'uploading' ? ` — ${Math.round(progress * 100)}%` : applyProgress ? ` — ${importStep(applyProgress)}` : '…'}
          </span>
        </div>
      )}
      <div role="status" className="sync-result">
        {imported && <ImportedView report={imported} />}
      </div>
    </form>
  );
}

/** Opening is quick, merging in memory is most of it, then the writes. */
function importFraction({ phase, done, total }: ImportProgressInfo): number {
  const part = total ? Math.min(1, done / total) : 0;
  if (phase === 'opening') return 0.05;
  if (phase === 'merging') return 0.1 + 0.6 * part;
  return 0.7 + 0.3 * part;
}

function importStep({ phase, done, total }: ImportProgressInfo): string {
  if (phase === 'opening') return 'checking, decrypting and decompressing';
  const count = `${done.toLocaleString()} of ${total.toLocaleString()} ${total === 1 ? 'document' : 'documents'}`;
  return phase === 'merging' ? `merging ${count}` : `writing ${count}`;
}

function BundleHeaderView({ inspection }: { inspection: BundleInspection }) {
  const { header } = inspection;
  const kdf = header.encryption.kdf;
  return (
    <section className="sync-bundle" aria-label="Bundle header">
      <dl>
        <dt>From</dt>
        <dd>
          {header.sender.name || 'Unnamed device'} <span className="muted small">device {header.sender.deviceId.slice(0, 8)}</span>
        </dd>
        <dt>Key fingerprint</dt>
        <dd>
          <code>{inspection.fingerprint}</code>
        </dd>
        <dt>Trust</dt>
        <dd className={`trust trust-${inspection.trust}`}>{trustText(inspection.trust, inspection.trustedDevice)}</dd>
        <dt>Signature</dt>
        <dd className={inspection.signatureValid ? undefined : 'error'}>
          {inspection.signatureValid ? 'Valid' : 'INVALID: the file was altered or damaged'}
        </dd>
        <dt>Engagements</dt>
        <dd>{header.engagements.map((e) => `${e.codename} (up to ${e.ceiling})`).join(', ') || 'none'}</dd>
        {header.playbooks.length > 0 && (
          <>
            <dt>Playbooks</dt>
            <dd>{plural(header.playbooks.length, 'playbook')}</dd>
          </>
        )}
        <dt>Classification cap</dt>
        <dd>{header.maxClassification ?? 'None'}</dd>
        <dt>Created</dt>
        <dd>{formatWhen(header.createdAt)}</dd>
        <dt>Contents</dt>
        <dd>
          {plural(header.counts.docs, 'document')}, {plural(header.counts.attachments, 'attachment')} ·{' '}
          {header.delta.kind === 'full' ? 'whole engagements' : 'only what this notebook lacked'} · {formatSize(inspection.size)}
        </dd>
        <dt>Encryption</dt>
        <dd>{kdf.kind === 'scrypt' ? 'Passphrase' : `Team key ${kdf.keyId}`}</dd>
      </dl>
      {inspection.previouslyImportedAt && (
        <p className="banner">
          You imported this bundle on {formatWhen(inspection.previouslyImportedAt)}; importing it again changes nothing.
        </p>
      )}
    </section>
  );
}

/** The documents a report names, per engagement of the bundle, new and changed ones first. */
function groupByEngagement(report: ImportReportInfo) {
  const codenames = new Map(report.header.engagements.map((e) => [e.id, e.codename]));
  for (const doc of report.docs) if (doc.kind === 'engagement') codenames.set(doc.engagementId, doc.label);
  const groups = new Map<string, { codename: string; docs: ImportReportInfo['docs'] }>();
  for (const doc of report.docs) {
    const key = doc.engagementId;
    // Playbooks belong to no engagement (their key is empty).
    const group = groups.get(key) ?? { codename: key ? (codenames.get(key) ?? 'Another engagement') : 'Playbooks', docs: [] };
    group.docs.push(doc);
    groups.set(key, group);
  }
  return [...groups.entries()].map(([engagementId, group]) => ({ engagementId, ...group }));
}

function docLine(doc: ImportReportInfo['docs'][number]): string {
  const what = importedDocLabel(doc);
  return `${doc.created ? 'New' : 'Changed'} ${what}${doc.waiting ? ' (part of it waits for an earlier bundle from that device)' : ''}`;
}

function PreviewView({ report }: { report: ImportReportInfo }) {
  const changed = report.docs.filter((d) => d.changed || d.created);
  const same = report.docs.length - changed.length;
  return (
    <section className="sync-preview" aria-label="Preview">
      <h4>Preview: what {report.header.sender.name || 'this device'} sent</h4>
      {report.previouslyImportedAt && <p className="muted small">Already imported on {formatWhen(report.previouslyImportedAt)}.</p>}
      {!changed.length ? (
        <p>Nothing new: this notebook already has everything in it.</p>
      ) : (
        <ul className="sync-docs">
          {groupByEngagement({ ...report, docs: changed }).map((group) => (
            <li key={group.engagementId}>
              <strong>{group.codename}</strong>
              <ul>
                {group.docs.map((doc) => (
                  <li key={doc.docId} className={doc.created ? 'new' : 'changed'}>
                    {docLine(doc)}
                    {doc.sections.length > 0 && (
                      <ul className="sync-sections">
                        {doc.sections.map((change) => (
                          <li key={change.section}>{sectionLine(change)}</li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        {same > 0 && `${plural(same, 'document')} you already have. `}
        {report.attachments.received > 0 && `${report.attachments.new} new of ${plural(report.attachments.received, 'attachment')}.`}
      </p>
    </section>
  );
}

function ImportedView({ report }: { report: ImportReportInfo }) {
  const created = report.docs.filter((d) => d.created).length;
  const changed = report.docs.filter((d) => d.changed && !d.created).length;
  return (
    <div className="sync-imported">
      <p>
        <strong>Imported from {report.header.sender.name || 'the sender'}:</strong> {created} new, {changed} changed
        {report.attachments.new > 0 && `, ${plural(report.attachments.new, 'new attachment')}`}.
      </p>
      <ul>
        {report.header.engagements.map((e) => (
          <li key={e.id}>
            <a href={engagementHref(e.id, 'notes')}>Open {e.codename}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
