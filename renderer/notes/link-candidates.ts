import type * as Y from 'yjs';
import type { ApiClient } from '../api/client';
import { glossaryCandidates } from '../stakeholders/glossary-decorations';
import type { LinkCandidate } from './note-link-suggestion';

/**
 * What `[[query` offers in a note: systems of this engagement's map first (a note often names the
 * system it is about), then notes of every engagement (this note excluded), then glossary terms.
 * With no query yet, the engagement's latest notes.
 */
export async function linkCandidates(
  api: ApiClient,
  at: { engagementId: string; noteId: string; engagementDoc: Y.Doc },
  query: string,
): Promise<LinkCandidate[]> {
  const { engagementId, noteId, engagementDoc } = at;
  const systems: LinkCandidate[] = query.trim()
    ? (await api.call('map.findSystems', { engagementId, query, limit: 5 })).systems.map((s) => ({
        id: s.id,
        title: s.name,
        detail: `system · ${s.kind}`,
        kind: 'system' as const,
      }))
    : [];
  const terms = glossaryCandidates(engagementDoc, query);
  const notes = query.trim()
    ? (await api.call('notes.search', { query, limit: 8 })).hits.map((h) => ({
        id: h.note.id,
        title: h.note.title || 'Untitled',
        detail: h.engagementCodename,
      }))
    : (await api.call('notes.list', { engagementId, limit: 8 })).notes.map((n) => ({
        id: n.id,
        title: n.title || 'Untitled',
        detail: n.type,
      }));
  return [...systems, ...notes.filter((c) => c.id !== noteId), ...terms];
}
