import { type KeyboardEvent, useEffect, useState } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import {
  NOTE_TYPE_LABELS,
  NOTE_TYPES,
  type NoteFilter,
  type NoteType,
  type SearchHit,
  SNIPPET_START,
  SNIPPET_STOP,
} from '../../shared/notes/model';
import { useModalDialog } from './modal';
import { useOutpost } from './outpost-context';
import { engagementHref, navigate, noteHref } from './use-hash-route';

interface Props {
  engagements: EngagementSummary[];
  onClose(): void;
}

type Result = { kind: 'engagement'; engagement: EngagementSummary } | { kind: 'note'; hit: SearchHit };

/** Renders a snippet's marked matches as <mark>, everything else as plain text (never as HTML). */
function Snippet({ text }: { text: string }) {
  const parts = text.split(new RegExp(`(${SNIPPET_START}[^${SNIPPET_STOP}]*${SNIPPET_STOP})`));
  return (
    <span className="snippet">
      {parts.map((part, i) =>
        part.startsWith(SNIPPET_START) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <mark key={i}>{part.slice(1, -1)}</mark>
        ) : (
          part.replace(/\s+/g, ' ')
        ),
      )}
    </span>
  );
}

/** Ctrl/Cmd+K: search as you type across all notes, and jump to notes and engagements. */
export function CommandPalette({ engagements, onClose }: Props) {
  const { api } = useOutpost();
  const { ref: dialogRef, close } = useModalDialog();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // The query the shown hits answer: the count is announced once typing has settled on it.
  const [answered, setAnswered] = useState('');
  const [engagementId, setEngagementId] = useState('');
  const [type, setType] = useState<NoteType | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // Notes change while the palette is open (a teammate's edit, the note just typed): search again.
  const [generation, setGeneration] = useState(0);
  useEffect(() => api.on('notes.changed', () => setGeneration((g) => g + 1)), [api]);

  useEffect(() => {
    if (!query.trim()) {
      setHits([]);
      return;
    }
    let current = true;
    const timer = setTimeout(
      () => {
        const filter: NoteFilter = {
          ...(engagementId && { engagementId }),
          ...(type && { types: [type] }),
          ...(from && { from }),
          ...(to && { to }),
        };
        api.call('notes.search', { query, filter, limit: 20 }).then(
          (result) => {
            if (!current) return;
            setHits(result.hits);
            setAnswered(query);
            setError(null);
          },
          (e: unknown) => current && setError((e as Error).message),
        );
      },
      90 + Math.min(generation, 1) * 150,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, query, generation, engagementId, type, from, to]);

  const needle = query.trim().toLowerCase();
  const matchingEngagements = needle
    ? engagements.filter((e) => [e.codename, e.client, e.site].some((f) => f.toLowerCase().includes(needle))).slice(0, 5)
    : [];
  const results: Result[] = [
    ...matchingEngagements.map((engagement) => ({ kind: 'engagement' as const, engagement })),
    ...hits.map((hit) => ({ kind: 'note' as const, hit })),
  ];
  const index = Math.min(active, Math.max(results.length - 1, 0));

  const open = (result: Result | undefined) => {
    if (!result) return;
    close();
    if (result.kind === 'engagement') navigate(engagementHref(result.engagement.id));
    // With the query: the note highlights the images whose text (OCR) it was found by.
    else navigate(noteHref(result.hit.note.engagementId, result.hit.note.id, query));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive((index + 1) % Math.max(results.length, 1));
    else if (event.key === 'ArrowUp') setActive((index - 1 + results.length) % Math.max(results.length, 1));
    else if (event.key === 'Enter') open(results[index]);
    // A search box would only clear itself on the first Escape: close at once.
    else if (event.key === 'Escape') close();
    else return;
    event.preventDefault();
  };

  const optionId = (i: number) => `palette-option-${i}`;
  return (
    <dialog ref={dialogRef} className="dialog palette" aria-label="Search and jump" onClose={onClose}>
      <input
        autoFocus
        type="search"
        role="combobox"
        aria-label="Search notes and engagements"
        aria-expanded={results.length > 0}
        aria-controls="palette-results"
        aria-activedescendant={results.length ? optionId(index) : undefined}
        placeholder='Search notes (words, "a phrase", -exclude, or) and engagements'
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <div className="palette-filters">
        <select aria-label="Only in engagement" value={engagementId} onChange={(e) => setEngagementId(e.target.value)}>
          <option value="">All engagements</option>
          {engagements.map((e) => (
            <option key={e.id} value={e.id}>
              {e.codename}
            </option>
          ))}
        </select>
        <select aria-label="Only notes of type" value={type} onChange={(e) => setType(e.target.value as NoteType | '')}>
          <option value="">All types</option>
          {NOTE_TYPES.map((t) => (
            <option key={t} value={t}>
              {NOTE_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        <label>
          <span>Updated from</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          <span>to</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div id="palette-results" role="listbox" aria-label="Results" className="palette-results">
        {results.map((result, i) => (
          <div
            key={result.kind === 'engagement' ? result.engagement.id : result.hit.note.id}
            id={optionId(i)}
            role="option"
            tabIndex={-1}
            aria-selected={i === index}
            className={i === index ? 'selected' : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              open(result);
            }}
          >
            {result.kind === 'engagement' ? (
              <>
                <strong>{result.engagement.codename}</strong> <span className="muted">engagement · {result.engagement.client}</span>
              </>
            ) : (
              <>
                <strong>{result.hit.note.title || 'Untitled'}</strong>{' '}
                <span className="muted">
                  {result.hit.engagementCodename} · {NOTE_TYPE_LABELS[result.hit.note.type]}
                </span>
                <br />
                <Snippet text={result.hit.snippet} />
              </>
            )}
          </div>
        ))}
      </div>
      {needle && results.length === 0 && <p className="muted">Nothing found for “{query}”.</p>}
      {/* What a screen reader hears once the results match what was typed (the list itself is not a live region). */}
      <p role="status" className="visually-hidden">
        {needle && answered === query ? (results.length ? `${results.length} result${results.length === 1 ? '' : 's'}` : 'No results') : ''}
      </p>
      <p className="muted small">↑↓ to choose · Enter to open · Esc to close</p>
    </dialog>
  );
}
