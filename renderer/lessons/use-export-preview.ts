import { useCallback, useEffect, useState } from 'react';
import type { ExportPreview, ExportRequest, ExportSelection } from '../../shared/lessons/export-calls';
import { type DictionaryEntry, type RedactionOverride, termKey } from '../../shared/lessons/redaction';
import type { ApiClient } from '../api/client';
import { errorLines } from '../app/modal';

/** One override per term: the new one replaces any earlier one for the same term. */
export function upsertOverride(overrides: readonly RedactionOverride[], change: RedactionOverride): RedactionOverride[] {
  const key = termKey(change.term);
  const current = overrides.find((o) => termKey(o.term) === key);
  const merged = { ...current, ...change, term: current?.term ?? change.term };
  return [...overrides.filter((o) => termKey(o.term) !== key), merged];
}

/**
 * The redaction dictionary and the export's preview, loaded together and again whenever the
 * request or the dictionary changes (`reload` after a failed download).
 */
export function useExportPreview(api: ApiClient, selection: ExportSelection, request: () => ExportRequest) {
  const [entries, setEntries] = useState<DictionaryEntry[] | null>(null);
  const [overrides, setOverrides] = useState<RedactionOverride[]>([]);
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [loading, setLoading] = useState(true);
  const [errors, setErrors] = useState<string[]>([]);
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the "load again" signal after the dictionary changes
  useEffect(() => {
    let stale = false;
    setLoading(true);
    void (async () => {
      try {
        const [dictionary, next] = await Promise.all([
          api.call('lessons.redactionDictionary', { selection }),
          api.call('lessons.exportPreview', request()),
        ]);
        if (stale) return;
        setEntries(dictionary.entries);
        setOverrides(dictionary.overrides);
        setPreview(next);
        setErrors([]);
      } catch (error) {
        if (!stale) {
          setPreview(null);
          setErrors(errorLines(error));
        }
      } finally {
        if (!stale) setLoading(false);
      }
    })();
    return () => {
      stale = true;
    };
  }, [api, selection, request, version]);

  /** Saves one change to the notebook-wide dictionary (then the preview loads again). */
  const saveOverride = useCallback(
    async (change: RedactionOverride) => {
      setErrors([]);
      try {
        const saved = await api.call('lessons.setRedactionOverrides', { overrides: upsertOverride(overrides, change) });
        setOverrides(saved.overrides);
        setVersion((v) => v + 1);
      } catch (error) {
        setErrors(errorLines(error));
      }
    },
    [api, overrides],
  );
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { entries, preview, loading, errors, setErrors, saveOverride, reload };
}
