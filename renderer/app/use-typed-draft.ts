import { useState } from 'react';

/**
 * What an input bound to a stored text shows. Values are stored trimmed, so showing the stored
 * value would swallow a space typed between two words until the next letter: what was typed stays
 * shown while the stored value is it but for outer spaces (or while `keep`, e.g. a refused value
 * with its error), and a change from elsewhere replaces it. Leaving the input shows the stored value.
 */
export function useTypedDraft(stored: string, keep = false) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft !== null && (keep || draft.trim() === stored.trim()) ? draft : stored;
  return { shown, typed: setDraft, left: () => setDraft(null) };
}
