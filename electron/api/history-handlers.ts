import { MAX_DIFF_CHARS, MAX_DIFF_PARTS } from '../../shared/notes/calls';
import type { DiffPart } from '../../shared/notes/history';
import type { Notebook } from '../notebook/notebook';
import type { Handlers } from './handlers';

export type HistoryCallName = 'notes.history' | 'notes.diff' | 'notes.restore';

/** A diff cut to at most `max` characters of text and `maxParts` parts; `truncated` says whether anything was cut. */
export function capDiff(parts: DiffPart[], max = MAX_DIFF_CHARS, maxParts = MAX_DIFF_PARTS): { parts: DiffPart[]; truncated: boolean } {
  const kept: DiffPart[] = [];
  let left = max;
  for (const part of parts) {
    if (kept.length === maxParts) return { parts: kept, truncated: true };
    if (part.text.length > left) {
      if (left > 0) kept.push({ kind: part.kind, text: part.text.slice(0, left) });
      return { parts: kept, truncated: true };
    }
    kept.push(part);
    left -= part.text.length;
  }
  return { parts: kept, truncated: false };
}

/**
 * A note's history for the renderer: versions, a diff between two, restore. A restore is an edit
 * of the note's document, so the doc store's change events (notes.changed) refresh lists and the
 * note's open replicas receive it through sync like any other edit.
 */
export function createHistoryHandlers(notebook: Notebook): Pick<Handlers, HistoryCallName> {
  return {
    'notes.history': async ({ id }) => ({ versions: await notebook.history.versions(id) }),
    'notes.diff': async ({ id, from, to }) => capDiff(await notebook.history.diff(id, from, to)),
    'notes.restore': async ({ id, upto }) => {
      await notebook.history.restore(id, upto);
      return notebook.notes.summary(id);
    },
  };
}
