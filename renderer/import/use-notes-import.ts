import { useEffect, useRef, useState } from 'react';
import type { CallRequest } from '../../shared/api/contract';
import type { ImportProgress, ImportReport } from '../../shared/import/model';
import type { ApiClient } from '../api/client';
import { errorLines } from '../app/modal';

export type NotesImportRequest = Omit<CallRequest<'import.run'>, 'runId'>;

/**
 * A preview, then the import, of notes from another tool: the report of each, the progress of the
 * one running (events of this run only), and what went wrong.
 */
export function useNotesImport(api: ApiClient) {
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const runId = useRef('');

  useEffect(
    () =>
      api.on('import.progress', (event) => {
        if (event.runId === runId.current) setProgress(event);
      }),
    [api],
  );

  const run = async (kind: 'preview' | 'import', request: NotesImportRequest) => {
    runId.current = `ui-${kind}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    setBusy(kind);
    setErrors([]);
    setProgress(null);
    if (kind === 'preview') setResult(null);
    try {
      const report = await api.call(kind === 'preview' ? 'import.preview' : 'import.run', { ...request, runId: runId.current });
      if (kind === 'preview') setPreview(report);
      else setResult(report);
    } catch (error) {
      setErrors(errorLines(error));
    } finally {
      setBusy(null);
      setProgress(null);
    }
  };

  /** The request changed: an earlier preview no longer says what an import would do. */
  const invalidate = () => {
    setPreview(null);
    setResult(null);
  };
  return { preview, result, progress, busy, errors, run, invalidate };
}
