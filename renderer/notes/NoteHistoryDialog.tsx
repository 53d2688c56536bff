import { useCallback, useEffect, useId, useState } from 'react';
import type { NoteVersionEntry } from '../../shared/notes/calls';
import type { DiffPart } from '../../shared/notes/history';
import { errorLines, FormErrors, useModalDialog } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import './note-history.css';

/** Unchanged runs longer than this are folded to their first and last CONTEXT lines. */
const FOLD_OVER = 8;
const CONTEXT = 3;

function when(version: NoteVersionEntry): string {
  const from = new Date(version.from);
  const to = new Date(version.to);
  const start = from.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  if (to.getTime() - from.getTime() < 60_000) return start;
  const sameDay = from.toDateString() === to.toDateString();
  return `${start} – ${to.toLocaleString(undefined, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' })}`;
}

const changes = (n: number) => `${n} ${n === 1 ? 'change' : 'changes'}`;

function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/** One diff part as lines: added ones in <ins>, removed ones in <del>, long unchanged runs folded. */
function DiffLines({ part, first, last }: { part: DiffPart; first: boolean; last: boolean }) {
  const all = lines(part.text);
  if (part.kind === 'added')
    return all.map((line, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: lines of one diff part, never reordered
      <ins key={i} className="diff-line added">
        {line || ' '}
      </ins>
    ));
  if (part.kind === 'removed')
    return all.map((line, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: lines of one diff part, never reordered
      <del key={i} className="diff-line removed">
        {line || ' '}
      </del>
    ));
  let shown: Array<string | number> = all;
  if (all.length > FOLD_OVER) {
    const head = first ? [] : all.slice(0, CONTEXT);
    const tail = last ? [] : all.slice(-CONTEXT);
    shown = [...head, all.length - head.length - tail.length, ...tail];
  }
  return shown.map((line, i) =>
    typeof line === 'number' ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: lines of one diff part, never reordered
      <span key={i} className="diff-line folded">
        ⋯ {line} unchanged {line === 1 ? 'line' : 'lines'}
      </span>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: lines of one diff part, never reordered
      <span key={i} className="diff-line same">
        {line || ' '}
      </span>
    ),
  );
}

function VersionDiff({ noteId, from, to }: { noteId: string; from: number; to: number }) {
  const { api } = useOutpost();
  const [diff, setDiff] = useState<{ parts: DiffPart[]; truncated: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setDiff(null);
    setError(null);
    api.call('notes.diff', { id: noteId, from, to }).then(
      (result) => live && setDiff(result),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [api, noteId, from, to]);

  if (error)
    return (
      <p role="alert" className="error">
        The changes could not be shown: {error}
      </p>
    );
  if (!diff) return <p className="muted">Comparing…</p>;
  const changed = diff.parts.some((p) => p.kind !== 'same');
  return (
    <>
      <p className="muted small history-legend">
        {changed ? (
          <>
            Compared with the note now: <del>struck-through lines</del> are only in this version, <ins>marked lines</ins> were added since.
          </>
        ) : (
          'The title and text of this version are the same as now.'
        )}
      </p>
      <section className="history-diff" aria-label="Changes since this version">
        {diff.parts.map((part, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one diff, never reordered
          <DiffLines key={i} part={part} first={i === 0} last={i === diff.parts.length - 1} />
        ))}
        {diff.truncated && <p className="muted small">The rest of this long note is not shown.</p>}
      </section>
    </>
  );
}

/** A note's versions (editing sessions and imports, with who), what changed since one, and restore. */
export function NoteHistoryDialog({ noteId, title, onClose }: { noteId: string; title: string; onClose(): void }) {
  const { api } = useOutpost();
  const { ref, close } = useModalDialog();
  const id = useId();
  const load = useCallback(async () => (await api.call('notes.history', { id: noteId })).versions, [api, noteId]);
  const history = useApiQuery(load, ['notes.changed']);
  const [picked, setPicked] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  const versions = history.data ?? [];
  const newest = versions[0];
  // By default the version before the current one: what the last session changed.
  const selected = versions.find((v) => v.upto === picked) ?? versions[1] ?? newest;

  const restore = async (upto: number) => {
    setBusy(true);
    setErrors([]);
    try {
      await api.call('notes.restore', { id: noteId, upto });
      close();
    } catch (error) {
      setErrors(errorLines(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog history-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`}>History of {title || 'Untitled'}</h2>
      {history.error && (
        <p role="alert" className="error">
          The history could not be read: {history.error}
        </p>
      )}
      {!history.data && !history.error && <p className="muted">Reading the history…</p>}
      {newest && selected && (
        <div className="history-body">
          <ol className="history-versions" aria-label="Versions">
            {versions.map((v) => (
              <li key={v.upto}>
                <button
                  type="button"
                  aria-pressed={v.upto === selected.upto}
                  className={v.upto === selected.upto ? 'selected' : undefined}
                  onClick={() => setPicked(v.upto)}
                >
                  <span className="history-kind">
                    {v.kind === 'import' ? 'Imported' : 'Edited'}
                    {v.upto === newest.upto && <span className="history-current"> · current</span>}
                  </span>
                  <span className="history-when">{when(v)}</span>
                  <span className="muted small">
                    {v.kind === 'import' ? 'from' : 'by'} {v.source} · {changes(v.rows)}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          <section className="history-detail" aria-label="Selected version">
            {selected.upto === newest.upto ? (
              <p className="muted">
                {versions.length === 1
                  ? 'This note has one version so far: edits of one device within ten minutes of each other form one version.'
                  : 'This is the note as it is now. Pick an earlier version to see what changed since and to restore it.'}
              </p>
            ) : (
              <>
                <VersionDiff noteId={noteId} from={selected.upto} to={newest.upto} />
                <FormErrors title="The version was not restored:" errors={errors} />
                <div className="history-restore">
                  <button
                    type="button"
                    className="primary"
                    disabled={busy}
                    aria-describedby={`${id}-restore`}
                    onClick={() => void restore(selected.upto)}
                  >
                    Restore this version
                  </button>
                  <span id={`${id}-restore`} className="muted small">
                    Brings back this version's title and text as a new edit; nothing is lost.
                  </span>
                </div>
              </>
            )}
          </section>
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </dialog>
  );
}
