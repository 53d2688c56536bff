import { useCallback, useId, useState } from 'react';
import type { ExportSelection } from '../../shared/lessons/export-calls';
import type { ExportFormat } from '../../shared/lessons/export-format';
import { startDownload } from '../app/download';
import { errorLines, FormErrors, useModalDialog } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { localDate } from '../stakeholders/common';
import { ExportPreviewPanel } from './ExportPreviewPanel';
import { RedactionDictionary } from './RedactionDictionary';
import { useExportPreview } from './use-export-preview';
import './export-dialog.css';

const FORMATS: Array<{ id: ExportFormat; label: string }> = [
  { id: 'pdf', label: 'PDF' },
  { id: 'html', label: 'HTML (one file)' },
  { id: 'md', label: 'Markdown folder (.zip)' },
];

/**
 * Export a playbook or chosen lessons (PDF, HTML, Markdown folder), sanitized with the redaction
 * dictionary: the dictionary is editable (change a pseudonym, turn an entry off, add a term; kept
 * notebook-wide), the preview lists every replacement and what the final check still finds, each
 * finding is replaced (a new dictionary entry) or allowed (this export only), and Download stays
 * disabled until nothing is left.
 */
export function ExportDialog({ selection, onClose }: { selection: ExportSelection; onClose: () => void }) {
  const { api, info } = useOutpost();
  const { ref, close } = useModalDialog();
  const titleId = useId();
  const levels = info.classificationLevels;
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [sanitize, setSanitize] = useState(true);
  const [cap, setCap] = useState(levels[0] ?? 'UNCLASSIFIED');
  const [allow, setAllow] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const date = localDate();

  const request = useCallback(
    () => ({ selection, format, sanitize, maxClassification: cap, allow, date }),
    [selection, format, sanitize, cap, allow, date],
  );
  const { entries, preview, loading, errors, setErrors, saveOverride, reload } = useExportPreview(api, selection, request);

  const download = async () => {
    setBusy(true);
    setErrors([]);
    setStatus(format === 'pdf' ? 'Printing the PDF…' : 'Preparing the file…');
    try {
      const result = await api.call('lessons.exportDownload', request());
      startDownload(result.token, result.fileName);
      setStatus(
        `Downloaded ${result.fileName} (${result.lessons} lesson${result.lessons === 1 ? '' : 's'}${result.leftOut ? `, ${result.leftOut} left out above ${cap}` : ''}). Check your downloads folder.`,
      );
    } catch (error) {
      setStatus(null);
      setErrors(errorLines(error));
      reload();
    } finally {
      setBusy(false);
    }
  };

  const ready = !!preview && !loading && !busy && preview.findings.length === 0 && preview.lessons > 0;
  const what = 'playbookId' in selection ? 'playbook' : `${selection.refs.length} chosen lesson${selection.refs.length === 1 ? '' : 's'}`;

  return (
    <dialog ref={ref} className="dialog export-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Export {preview?.title ? `“${preview.title}”` : what}</h2>
      <div className="export-layout">
        <section className="export-options" aria-label="Export options">
          <label>
            <span>Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
              {FORMATS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Highest classification included</span>
            <select value={cap} onChange={(e) => setCap(e.target.value)}>
              {levels.map((level) => (
                <option key={level} value={level}>
                  {level}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={sanitize} onChange={(e) => setSanitize(e.target.checked)} />
            <span>Sanitize: replace client names, people, systems and identifiers with pseudonyms</span>
          </label>
          {!sanitize && <p className="warning small">Not sanitized: the file holds the real names. Share it only inside the team.</p>}
          {sanitize && <RedactionDictionary entries={entries} saveOverride={saveOverride} />}
        </section>
        <ExportPreviewPanel
          preview={preview}
          loading={loading}
          sanitize={sanitize}
          allow={allow}
          setAllow={setAllow}
          saveOverride={saveOverride}
        />
      </div>
      <FormErrors title="The export could not be made" errors={errors} />
      {status && (
        <p className="muted" role="status">
          {status}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={close}>
          Close
        </button>
        <button type="button" className="primary" disabled={!ready} onClick={() => void download()}>
          {busy
            ? format === 'pdf'
              ? 'Printing…'
              : 'Preparing…'
            : `Download ${format === 'md' ? 'Markdown (.zip)' : format.toUpperCase()}`}
        </button>
      </div>
    </dialog>
  );
}
