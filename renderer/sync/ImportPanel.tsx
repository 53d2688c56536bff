import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { EventPayload } from '../../shared/api/contract';
import type { ImportReportInfo } from '../../shared/sync/calls';
import { errorLines, FormErrors } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { BundleHeaderView, ImportedView, importFraction, importStep, PreviewView } from './BundleReportViews';
import { emptySecret, SecretFields, type SecretState, secretProblem, toSecretInput } from './SecretFields';
import { useBundleUpload } from './use-bundle-upload';

type ImportProgressInfo = EventPayload<'bundles.importProgress'>;
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
  const [running, setRunning] = useState<'previewing' | 'importing' | null>(null);
  const [applyProgress, setApplyProgress] = useState<ImportProgressInfo | null>(null);
  const [secret, setSecret] = useState<SecretState>(emptySecret());
  const [preview, setPreview] = useState<ImportReportInfo | null>(null);
  const [trust, setTrust] = useState(false);
  const [imported, setImported] = useState<ImportReportInfo | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const upload = useBundleUpload(api, {
    onPicked: () => {
      setPreview(null);
      setImported(null);
      setTrust(false);
      setErrors([]);
    },
    onInspected: (inspected) => setSecret(emptySecret(inspected.header.encryption.kdf.kind === 'scrypt' ? 'passphrase' : 'team-key')),
    setErrors,
  });
  const { inspection, uploadRef, generation } = upload;
  const stage: Stage = upload.uploading ? 'uploading' : (running ?? 'idle');

  // The main process reports a long merge document by document (only to this connection).
  useEffect(
    () =>
      api.on('bundles.importProgress', (event) => {
        if (event.uploadId === uploadRef.current) setApplyProgress(event);
      }),
    [api, uploadRef],
  );

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
    setRunning(dryRun ? 'previewing' : 'importing');
    try {
      const report = await api.call('bundles.import', { uploadId, secret: toSecretInput(secret), dryRun, trustSender: !dryRun && trust });
      if (mine !== generation.current) return;
      if (dryRun) setPreview(report);
      else {
        upload.consumed();
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
      if (mine === generation.current) setRunning(null);
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
        <input
          ref={fileRef}
          type="file"
          accept=".outpost"
          onChange={(e) => void upload.pick(e.currentTarget.files?.[0])}
          disabled={stage === 'previewing' || stage === 'importing'}
        />
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
      {stage !== 'idle' && <ImportProgressLine stage={stage} uploadProgress={upload.progress} applyProgress={applyProgress} />}
      <div role="status" className="sync-result">
        {imported && <ImportedView report={imported} />}
      </div>
    </form>
  );
}

/** Where the upload, the dry run or the import is: a fraction when it is known. */
function ImportProgressLine({
  stage,
  uploadProgress,
  applyProgress,
}: {
  stage: Exclude<Stage, 'idle'>;
  uploadProgress: number;
  applyProgress: ImportProgressInfo | null;
}) {
  return (
    <div className="sync-progress">
      {stage === 'uploading' ? (
        <progress aria-label={STAGE_LABELS.uploading} value={uploadProgress} max={1} />
      ) : applyProgress ? (
        <progress aria-label={STAGE_LABELS[stage]} value={importFraction(applyProgress)} max={1} />
      ) : (
        <progress aria-label={STAGE_LABELS[stage]} />
      )}
      <span className="muted small">
        {STAGE_LABELS[stage]}
        {stage === 'uploading' ? ` — ${Math.round(uploadProgress * 100)}%` : applyProgress ? ` — ${importStep(applyProgress)}` : '…'}
      </span>
    </div>
  );
}
