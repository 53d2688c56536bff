import { useId, useState } from 'react';
import type { FieldConflictInfo } from '../../shared/sync/calls';
import { errorLines } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { formatDay } from './sync-format';

/** How a field's value reads to a person (values are JSON: strings, numbers, booleans, null). */
function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "meta.title" → "title"; "systems.<id>.status" → "status". */
function fieldName(path: string): string {
  return path.split('.').pop() ?? path;
}

/**
 * Fields two devices set at once, found by imports. The notebook shows one value; one click keeps
 * it, the other restores the overwritten value (a new edit, so it reaches the others too).
 */
export function ConflictReview({ conflicts, error }: { conflicts: FieldConflictInfo[] | null; error: string | null }) {
  const { api } = useOutpost();
  const id = useId();
  const [busy, setBusy] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const resolve = async (conflict: FieldConflictInfo, keep: 'shown' | 'other') => {
    setBusy(conflict.id);
    setProblem(null);
    try {
      await api.call('conflicts.resolve', { id: conflict.id, keep });
    } catch (e) {
      setProblem(errorLines(e).join(' '));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="sync-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Changes made on both sides</h3>
      {(error || problem) && (
        <p role="alert" className="error">
          {error ?? problem}
        </p>
      )}
      {conflicts?.length === 0 && (
        <p className="muted">Nothing to review: text edits merge on their own; a field two people set at once would be listed here.</p>
      )}
      {!!conflicts?.length && (
        <ul className="sync-conflicts" aria-labelledby={`${id}-title`}>
          {conflicts.map((conflict) => {
            const other = conflict.overwrittenHere ? 'yours' : `${conflict.peerName}'s`;
            return (
              <li key={conflict.id} aria-label={`${fieldName(conflict.path)} of ${conflict.label}`}>
                <div>
                  <strong>{conflict.label}</strong> · {fieldName(conflict.path)}{' '}
                  <span className="small muted">
                    found {formatDay(conflict.detectedAt)} in a bundle from {conflict.peerName}
                  </span>
                </div>
                <div className="small">
                  Shows <q>{show(conflict.kept)}</q>; overwrote {other} <q>{show(conflict.overwritten)}</q>
                </div>
                <div className="actions">
                  <button type="button" disabled={busy === conflict.id} onClick={() => resolve(conflict, 'shown')}>
                    Keep “{show(conflict.kept)}”
                  </button>
                  <button type="button" disabled={busy === conflict.id} onClick={() => resolve(conflict, 'other')}>
                    Restore “{show(conflict.overwritten)}”
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
