import { useCallback } from 'react';
import type { MapSystem } from '../../shared/map/model';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { noteHref } from '../app/use-hash-route';

/** A phrase query for the system's name (quotes inside the name dropped: they would end the phrase). */
export function mentionQuery(name: string): string {
  return `"${name.replace(/"/g, ' ').trim()}"`;
}

/** The engagement's notes that mention this system by name (full-text search, as a phrase), newest match first. */
export function SystemNotes({ engagementId, system }: { engagementId: string; system: MapSystem }) {
  const { api } = useOutpost();
  const query = mentionQuery(system.name);
  const load = useCallback(() => api.call('notes.search', { query, filter: { engagementId }, limit: 20 }), [api, query, engagementId]);
  const { data, error } = useApiQuery(load, ['notes.changed']);
  return (
    <section className="map-mentions" aria-label="Notes that mention this system">
      <h4>Notes that mention {system.name}</h4>
      {error && <p className="error">{error}</p>}
      {data && !data.hits.length && <p className="muted">No note mentions “{system.name}” yet.</p>}
      {data && data.hits.length > 0 && (
        <ul>
          {data.hits.map((hit) => (
            <li key={hit.note.id}>
              <a href={noteHref(engagementId, hit.note.id)}>{hit.note.title || 'Untitled note'}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
