import { type KeyboardEvent, useId, useState } from 'react';
import type * as Y from 'yjs';
import { readEngagement } from '../../shared/engagements/doc';
import { OutpostError } from '../../shared/errors';
import { readCards, readGlossary, readStakeholders } from '../../shared/stakeholders/doc';
import { glossaryMatcher, glossaryReferences, resolveGlossaryReference, segmentText } from '../../shared/stakeholders/glossary';
import type { GlossaryEntry } from '../../shared/stakeholders/model';
import { withoutFieldKey } from '../app/modal';

/** Everything the Stakeholders tab shows, read from the engagement's replica. */
export function readTranslations(doc: Y.Doc) {
  const registry = readStakeholders(doc);
  return {
    engagement: readEngagement(doc).engagement,
    stakeholders: registry.stakeholders,
    duplicates: registry.duplicates,
    cards: readCards(doc).cards,
    glossary: readGlossary(doc).entries,
  };
}
export type Translations = ReturnType<typeof readTranslations>;

/** Runs a shared edit on the replica; returns why it was refused (for the UI), or null. */
export function attempt(change: () => void): string | null {
  try {
    change();
    return null;
  } catch (error) {
    if (error instanceof OutpostError) return error.details?.map(withoutFieldKey).join('; ') ?? error.message;
    throw error;
  }
}

/** The user's local date, YYYY-MM-DD. */
export function localDate(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

const splitList = (value: string) =>
  value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A comma-separated list, applied when the field loses focus or on Enter (typing "a, " must not be trimmed away). */
export function ListField({
  label,
  value,
  apply,
  hint,
}: {
  label: string;
  value: string[];
  apply: (items: string[]) => string | null;
  hint?: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const commit = () => {
    if (draft === null) return;
    const refused = apply(splitList(draft));
    setError(refused);
    if (!refused) setDraft(null);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={draft ?? value.join(', ')}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      {hint && <small className="muted">{hint}</small>}
      {error && <small className="field-error">{error}</small>}
    </div>
  );
}

/**
 * Text with glossary terms marked: hovering or focusing a term shows its definition. `[[term]]`
 * references show as the term itself. Everything is React text: no markup from a field is ever HTML.
 */
export function GlossaryText({ text, glossary }: { text: string; glossary: readonly GlossaryEntry[] }) {
  const matcher = glossaryMatcher(glossary);
  const parts: Array<{ text: string; entry?: GlossaryEntry | undefined; ref?: boolean }> = [];
  let at = 0;
  const plain = (chunk: string) => {
    for (const segment of segmentText(chunk, matcher)) parts.push({ text: segment.text, entry: segment.item });
  };
  for (const ref of glossaryReferences(text)) {
    plain(text.slice(at, ref.start));
    parts.push({ text: ref.term, entry: resolveGlossaryReference(ref.term, glossary) ?? undefined, ref: true });
    at = ref.end;
  }
  plain(text.slice(at));
  return (
    <>
      {parts.map((part, i) =>
        part.entry ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of one text, in order
          <GlossaryTerm key={i} text={part.text} entry={part.entry} />
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of one text, in order
          <span key={i} className={part.ref ? 'glossary-missing' : undefined} title={part.ref ? 'Not in the glossary yet' : undefined}>
            {part.text}
          </span>
        ),
      )}
    </>
  );
}

function GlossaryTerm({ text, entry }: { text: string; entry: GlossaryEntry }) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users can read the definition too
    <span className="glossary-term" tabIndex={0} aria-describedby={id}>
      {text}
      <span role="tooltip" id={id} className="glossary-tip">
        <strong>{entry.term}</strong>: {entry.meaning || 'no definition yet'}
      </span>
    </span>
  );
}
