import { useCallback } from 'react';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { lessonHref, noteHref } from '../app/use-hash-route';
import './seen-before.css';

/**
 * "Seen before?" under a note whose log or trace blocks hold errors: the notes of every engagement
 * that met the same error (then similar ones), with their resolution. Matches above this
 * engagement's ceiling only say that they exist, and at which level. Nothing shows for a note
 * without an error in it.
 */
export function SeenBeforePanel({ noteId, engagementId }: { noteId: string; engagementId: string }) {
  const { api } = useOutpost();
  const load = useCallback(() => api.call('debugging.seenBefore', { noteId, engagementId, limit: 10 }), [api, noteId, engagementId]);
  const { data, error } = useApiQuery(load, ['notes.changed']);
  if (error) return <p className="muted small">Seen before? could not be looked up: {error}</p>;
  if (!data || data.signatures.length === 0) return null;
  return (
    <section className="seen-before note-panel" aria-labelledby="seen-before-title">
      <h3 id="seen-before-title">Seen before</h3>
      <p className="muted small">Errors in this note: {data.signatures.map((s) => s.signature).join(' · ')}</p>
      {data.matches.length === 0 && data.withheld.length === 0 && data.lessons.length === 0 && (
        <p className="muted">Not met in any other note of this notebook.</p>
      )}
      <ul>
        {data.matches.map((m) => (
          <li key={m.noteId}>
            <a href={noteHref(m.engagementId, m.noteId)}>{m.title || 'Untitled'}</a>{' '}
            <span className="muted small">
              {m.codename} · {new Date(m.updatedAt).toLocaleDateString()} · {m.classification} ·{' '}
              {m.match === 'exact' ? 'same error' : `similar (${Math.round(m.similarity * 100)} %)`}
            </span>
            <div className="seen-signature small">{m.signature}</div>
            {m.resolution && (
              <blockquote className="seen-resolution">
                <strong>Resolution:</strong> {m.resolution}
              </blockquote>
            )}
          </li>
        ))}
      </ul>
      {data.lessons.length > 0 && (
        <>
          <h4 className="seen-lessons-title">Lessons learned from it</h4>
          <ul aria-label="Lessons learned from it">
            {data.lessons.map((l) => (
              <li key={l.lessonId}>
                <a href={lessonHref(l.engagementId, l.lessonId)}>{l.title || 'Untitled lesson'}</a>{' '}
                <span className="muted small">
                  {l.codename} · {l.classification}
                  {l.match === 'exact' ? '' : ' · from a similar error'}
                </span>
                {l.recommendation && (
                  <blockquote className="seen-resolution">
                    <strong>Recommendation:</strong> {l.recommendation}
                  </blockquote>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {data.withheld.map((w) => (
        <p key={w.level} className="muted small">
          {w.count === 1 ? 'A match (a note or a lesson) exists' : `${w.count} matches (notes or lessons) exist`} at {w.level}, above this
          engagement’s ceiling ({data.ceiling}): not shown.
        </p>
      ))}
    </section>
  );
}
