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
  const loadLinks = useCallback(() => api.call('notes.backlinks', { id: system.id }), [api, system.id]);
  const links = useApiQuery(loadLinks, ['notes.changed']);
  const linked = new Set(links.data?.notes.map((n) => n.id) ?? []);
  return (
    <>
      <section className="map-mentions" aria-label="Notes that link this system">
        <h4>Notes that link {system.name}</h4>
        {links.error && <p className="error">{links.error}</p>}
        {links.data && !links.data.notes.length && <p className="muted">None yet: type [[ and the system’s name in a note.</p>}
        {links.data && links.data.notes.length > 0 && (
          <ul>
            {links.data.notes.map((note) => (
              <li key={note.id}>
                <a href={noteHref(note.engagementId, note.id)}>{note.title || 'Untitled note'}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <MentionList engagementId={engagementId} system={system} data={data} error={error} linked={linked} />
    </>
  );
}

function MentionList({
  engagementId,
  system,
  data,
  error,
  linked,
}: {
  engagementId: string;
  system: MapSystem;
  data: { hits: { note: { id: string; title: string } }[] } | null;
  error: string | null;
  linked: Set<string>;
}) {
  const hits = data?.hits.filter((hit) => !linked.has(hit.note.id)) ?? null;
  return (
    <section className="map-mentions" aria-label="Notes that mention this system">
      <h4>Notes that mention {system.name}</h4>
      {error && <p className="error">{error}</p>}
      {hits && !hits.length && <p className="muted">No other note mentions “{system.name}”.</p>}
      {hits && hits.length > 0 && (
        <ul>
          {hits.map((hit) => (
            <li key={hit.note.id}>
              <a href={noteHref(engagementId, hit.note.id)}>{hit.note.title || 'Untitled note'}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
