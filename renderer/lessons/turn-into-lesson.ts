import { docIdFor } from '../../shared/ids';
import { addLesson } from '../../shared/lessons/doc';
import type { ApiClient } from '../api/client';
import { lessonHref, navigate } from '../app/use-hash-route';
import type { Replica, ReplicaPool } from '../sync/replicas';

const SETTLE_MS = 10_000;

/** Resolves once the replica has handed its changes to the main process (or after a while: IndexedDB keeps them anyway). */
export function whenSaved(replica: Replica, timeoutMs = SETTLE_MS): Promise<void> {
  return new Promise((resolve) => {
    if (replica.provider.syncState === 'saved') return resolve();
    const timer = setTimeout(done, timeoutMs);
    const off = replica.provider.onState((state) => state === 'saved' && done());
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}

/**
 * "Turn into lesson": asks the main side for a draft from a note or a translation card, adds it
 * to the engagement's replica (so it is the person's own edit, merged like any other), and opens
 * it in the engagement's Lessons tab. Returns the new lesson's id.
 */
export async function turnIntoLesson(
  outpost: { api: ApiClient; replicas: ReplicaPool },
  source: { kind: 'note' | 'card'; engagementId: string; id: string },
): Promise<string> {
  const { draft } = await outpost.api.call('lessons.draft', { source });
  const docId = docIdFor('engagement', source.engagementId);
  const replica = outpost.replicas.acquire(docId);
  try {
    await replica.whenLoaded;
    const lessonId = addLesson(replica.doc, draft);
    navigate(lessonHref(source.engagementId, lessonId));
    await whenSaved(replica);
    return lessonId;
  } finally {
    outpost.replicas.release(docId);
  }
}
