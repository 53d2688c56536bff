import { useState } from 'react';
import type { MapImportPreview } from '../../shared/map/calls';
import { type ColumnMapping, decodeCsv, IMPORT_FIELDS, INTEGRATION_IMPORT_FIELDS, SYSTEM_IMPORT_FIELDS } from '../../shared/map/csv-import';
import { errorLines, FormErrors, useModalDialog } from '../app/modal';
import { useOutpost } from '../app/outpost-context';

interface Props {
  engagementId: string;
  onClose: () => void;
  onImported: (message: string) => void;
}

/**
 * CSV import: pick a file, check how its columns map to fields, see the first rows and every
 * rejected row with the reason, then import — all rows at once, or nothing.
 */
export function ImportDialog({ engagementId, onClose, onImported }: Props) {
  const { api } = useOutpost();
  const { ref } = useModalDialog();
  const [file, setFile] = useState<{ name: string; text: string; encoding: string } | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping | undefined>(undefined);
  const [preview, setPreview] = useState<MapImportPreview | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const runPreview = async (text: string, nextMapping: ColumnMapping | undefined) => {
    setBusy(true);
    setErrors([]);
    try {
      const result = await api.call('map.importPreview', { engagementId, csv: text, ...(nextMapping && { mapping: nextMapping }) });
      setPreview(result);
      setMapping(result.mapping as ColumnMapping);
    } catch (e) {
      setErrors(errorLines(e));
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (picked: File | undefined) => {
    if (!picked) return;
    const decoded = decodeCsv(new Uint8Array(await picked.arrayBuffer()));
    setFile({ name: picked.name, ...decoded });
    setMapping(undefined);
    await runPreview(decoded.text, undefined);
  };

  const apply = async () => {
    if (!file) return;
    setBusy(true);
    setErrors([]);
    try {
      const { counts } = await api.call('map.importApply', { engagementId, csv: file.text, ...(mapping && { mapping }) });
      const parts = [
        counts.systems ? `${counts.systems} systems` : '',
        counts.integrations ? `${counts.integrations} integrations` : '',
        counts.zones ? `${counts.zones} zones` : '',
      ].filter(Boolean);
      onImported(`Imported ${parts.join(', ')}`);
      onClose();
    } catch (e) {
      setErrors(errorLines(e));
    } finally {
      setBusy(false);
    }
  };

  const fields =
    preview?.kind === 'integrations' ? INTEGRATION_IMPORT_FIELDS : preview?.kind === 'systems' ? SYSTEM_IMPORT_FIELDS : IMPORT_FIELDS;
  const shownFields = preview ? fields.filter((f) => Object.values(preview.mapping).includes(f)) : [];
  const ready = !!preview && preview.errorCount === 0 && preview.rows > 0;

  return (
    <dialog ref={ref} className="dialog map-dialog" aria-labelledby="map-import-title" onClose={onClose}>
      <h2 id="map-import-title">Import systems or integrations from CSV</h2>
      <p className="muted">
        A list of systems needs a column for the name; a list of integrations needs columns for the systems at each end (from, to), named as
        on the map. Nothing is imported unless every row is valid.
      </p>
      <label className="field">
        <span>CSV file</span>
        <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void onFile(e.target.files?.[0])} />
      </label>
      {file && (
        <p className="muted">
          {file.name} · read as {file.encoding}
        </p>
      )}
      {preview && preview.headers.length > 0 && (
        <fieldset className="map-mapping">
          <legend>Columns</legend>
          {preview.headers.map((header) => (
            <label key={header} className="field">
              <span>Column “{header}”</span>
              <select
                aria-label={`Column ${header}`}
                value={mapping?.[header] ?? ''}
                onChange={(e) => {
                  const next = { ...(mapping ?? {}), [header]: e.target.value as ColumnMapping[string] };
                  setMapping(next);
                  if (file) void runPreview(file.text, next);
                }}
              >
                <option value="">(ignore)</option>
                {IMPORT_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
      )}
      {preview && (
        <div className="map-import-report" aria-live="polite">
          <p>
            {preview.rows} rows{preview.kind ? ` of ${preview.kind}` : ''}
            {preview.errorCount === 0 && preview.kind
              ? `: will add ${preview.counts.systems + preview.counts.integrations} ${preview.kind}${preview.counts.zones ? ` and ${preview.counts.zones} zones` : ''}.`
              : '.'}
          </p>
          {preview.errorCount > 0 && (
            <div role="alert" className="error">
              <p>
                {preview.errorCount} {preview.errorCount === 1 ? 'problem' : 'problems'}: nothing will be imported until they are fixed.
              </p>
              <table className="map-table" aria-label="Rejected rows">
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e) => (
                    <tr key={`${e.row}:${e.message}`}>
                      <td>{e.row || 'file'}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {preview.errorCount > preview.errors.length && <p>…and {preview.errorCount - preview.errors.length} more.</p>}
            </div>
          )}
          {preview.preview.length > 0 && shownFields.length > 0 && (
            <table className="map-table" aria-label="First rows">
              <thead>
                <tr>
                  {shownFields.map((f) => (
                    <th key={f} scope="col">
                      {f}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.preview.slice(0, 10).map((row, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity
                  <tr key={i}>
                    {shownFields.map((f) => (
                      <td key={f}>{row[f]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <FormErrors title="The import failed:" errors={errors} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={!ready || busy} onClick={() => void apply()}>
          Import
        </button>
      </div>
    </dialog>
  );
}
