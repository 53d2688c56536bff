import { type KeyboardEvent, useCallback, useId, useState } from 'react';
import type * as Y from 'yjs';
import { readEngagement } from '../../shared/engagements/doc';
import { OutpostError } from '../../shared/errors';
import { NOTE_TYPE_LABELS, type NoteType } from '../../shared/notes/model';
import { readCards, readGlossary, readStakeholders } from '../../shared/stakeholders/doc';
import { glossaryMatcher, glossaryReferences, resolveGlossaryReference, segmentText } from '../../shared/stakeholders/glossary';
import type { GlossaryEntry } from '../../shared/stakeholders/model';
import { withoutFieldKey } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { noteHref } from '../app/use-hash-route';

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

/**
 * Links to notes of the engagement (a card's evidence, the meetings a stakeholder attended): the
 * linked notes as links with a remove button, and a picker of the others. Ids are stored; titles
 * come from the notes list, so a renamed note shows its new title.
 */
export function NoteLinks({
  label,
  engagementId,
  ids,
  types,
  apply,
}: {
  label: string;
  engagementId: string;
  ids: readonly string[];
  types?: NoteType[];
  apply: (ids: string[]) => string | null;
}) {
  const { api } = useOutpost();
  const load = useCallback(
    async () => (await api.call('notes.list', { engagementId, ...(types ? { types } : {}), sort: 'updated', limit: 500 })).notes,
    [api, engagementId, types],
  );
  const notes = useApiQuery(load, ['notes.changed']).data ?? [];
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();
  const byId = new Map(notes.map((n) => [n.id, n]));
  const others = notes.filter((n) => !ids.includes(n.id));
  const picked = others.find((n) => n.id === choice) ?? others[0];
  return (
    <div className="field wide note-links">
      <span className="field-label">{label}</span>
      {ids.length === 0 ? (
        <span className="muted small">None linked.</span>
      ) : (
        <ul aria-label={label}>
          {ids.map((id) => (
            <li key={id}>
              <a href={noteHref(engagementId, id)}>{byId.get(id)?.title || 'A note not in this list (deleted or not synced yet)'}</a>
              <button
                type="button"
                className="small-button"
                aria-label={`Unlink ${byId.get(id)?.title ?? 'note'}`}
                onClick={() => setError(apply(ids.filter((x) => x !== id)))}
              >
                Unlink
              </button>
            </li>
          ))}
        </ul>
      )}
      {picked && (
        <div className="link-picker">
          <label htmlFor={selectId} className="visually-hidden">
            {`Note to link as ${label.toLowerCase()}`}
          </label>
          <select id={selectId} value={picked.id} onChange={(e) => setChoice(e.target.value)}>
            {others.map((n) => (
              <option key={n.id} value={n.id}>
                {n.title || 'Untitled'} ({NOTE_TYPE_LABELS[n.type]})
              </option>
            ))}
          </select>
          <button type="button" className="small-button" onClick={() => setError(apply([...ids, picked.id]))}>
            Link
          </button>
        </div>
      )}
      {error && <small className="field-error">{error}</small>}
    </div>
  );
}
