import { useId, useState } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import { type FolderMode, IMPORT_KINDS, type ImportKind, type ImportProgress } from '../../shared/import/model';
import { FormErrors, useModalDialog } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { ImportReportTable } from './ImportReportTable';
import { type NotesImportRequest, useNotesImport } from './use-notes-import';
import './import.css';

const KIND_LABELS: Record<ImportKind, string> = {
  obsidian: 'Obsidian vault',
  markdown: 'Folder of Markdown files',
  joplin: 'Joplin export (.jex file or RAW folder)',
  enex: 'Evernote export (.enex file)',
};

const PHASE_LABELS: Record<ImportProgress['phase'], string> = {
  reading: 'Reading files',
  converting: 'Converting notes',
  writing: 'Writing notes',
  indexing: 'Indexing for search',
  done: 'Done',
};

/**
 * Bring notes in from another tool: name the source (a folder or file on the computer that runs
 * Outpost), preview what would happen per file, then import — all of it, or nothing. Importing the
 * same source again updates the notes it wrote.
 */
export function ImportNotesDialog({ engagement, onClose }: { engagement: EngagementSummary; onClose: () => void }) {
  const { api } = useOutpost();
  const { ref, close } = useModalDialog();
  const titleId = useId();
  const [kind, setKind] = useState<ImportKind>('obsidian');
  const [source, setSource] = useState('');
  const [folders, setFolders] = useState<FolderMode>('tags');
  const [overwrite, setOverwrite] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const { preview, result, progress, busy, errors, run, invalidate } = useNotesImport(api);

  const request: NotesImportRequest = { kind, path: source.trim(), engagementId: engagement.id, folders, overwrite, skipInvalid };
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      invalidate();
    };
  const blocked = !!preview && preview.errors > 0 && !skipInvalid;

  return (
    <dialog ref={ref} className="dialog import-notes-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Import notes into {engagement.codename}</h2>
      <form
        className="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run('preview', request);
        }}
      >
        <label>
          <span>Source</span>
          <select value={kind} onChange={(e) => edit(setKind)(e.target.value as ImportKind)} disabled={!!busy}>
            {IMPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Folder or file</span>
          <input
            value={source}
            onChange={(e) => edit(setSource)(e.target.value)}
            placeholder={kind === 'enex' ? '/home/me/Runbooks.enex' : '/home/me/Vault'}
            spellCheck={false}
            required
            disabled={!!busy}
          />
          <small className="muted">A path on the computer that runs Outpost. Nothing outside it is read.</small>
        </label>
        <label>
          <span>Sub-folders become</span>
          <select value={folders} onChange={(e) => edit(setFolders)(e.target.value as FolderMode)} disabled={!!busy}>
            <option value="tags">Tags on the notes</option>
            <option value="engagements">Engagements of their own</option>
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={overwrite} onChange={(e) => edit(setOverwrite)(e.target.checked)} disabled={!!busy} />
          <span>Replace notes edited in Outpost since the last import of this source</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={skipInvalid} onChange={(e) => edit(setSkipInvalid)(e.target.checked)} disabled={!!busy} />
          <span>Import what converts; leave out files with errors</span>
        </label>
        <div className="actions">
          <button type="submit" disabled={!!busy || !source.trim()}>
            {busy === 'preview' ? 'Reading…' : 'Preview'}
          </button>
        </div>
      </form>

      {progress && (
        <div className="import-progress">
          <progress
            aria-label={PHASE_LABELS[progress.phase]}
            value={progress.total ? progress.done : undefined}
            max={progress.total || undefined}
          />
          <span className="muted small">
            {PHASE_LABELS[progress.phase]}
            {progress.total ? ` — ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}` : '…'}
          </span>
        </div>
      )}
      <FormErrors title="The notes were not imported:" errors={errors} />
      {preview && !result && <ImportReportTable report={preview} />}
      {blocked && (
        <p className="warning">
          {preview.errors} file{preview.errors === 1 ? ' has' : 's have'} errors: fix them in the source, or tick “Import what converts”.
        </p>
      )}
      <div role="status" className="import-result">
        {result && <ImportReportTable report={result} />}
      </div>
      <div className="actions">
        <button type="button" onClick={close}>
          {result ? 'Done' : 'Cancel'}
        </button>
        {!result && (
          <button type="button" className="primary" disabled={!preview || !!busy || blocked} onClick={() => void run('import', request)}>
            {busy === 'import' ? 'Importing…' : preview ? `Import ${preview.notes.toLocaleString()} notes` : 'Import'}
          </button>
        )}
      </div>
    </dialog>
  );
}
