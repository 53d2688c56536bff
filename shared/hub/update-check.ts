import * as Y from 'yjs';
import { isAtOrBelow } from '../classification';
import { readEngagement } from '../engagements/doc';
import { readNoteMeta } from '../notes/doc';
import { HUB_INDEX_DOC, type HubDocName } from './auth';

/** What a hub is accredited for: the highest level it may hold, in its ordered level list. */
export interface HubPolicy {
  ceiling: string;
  levels: readonly string[];
}

export type UpdateCheck = { ok: true; clients: number[] } | { ok: false; reason: string };

/**
 * The hub's own check of an update a client sent for document `name`, before the hub applies it:
 * the update is merged into a scratch copy of the document as the hub holds it, and the result
 * must be a document the hub may hold. Refused: an update Yjs cannot read; one that builds on
 * changes the hub lacks (its content could not be checked); a note marked above the hub's ceiling
 * (or re-marked above it, or marked with a level the hub does not know: fail closed); a note or
 * an engagement filed under another engagement than the one its name gives (membership is per
 * engagement); any write to the index document (only the hub writes it). Returns the Yjs client
 * ids the update carries, for attribution. Pure: never throws.
 */
export function checkHubUpdate(name: HubDocName, current: Y.Doc, update: Uint8Array, policy: HubPolicy): UpdateCheck {
  let clients: number[];
  try {
    clients = [...Y.parseUpdateMeta(update).from.keys()];
  } catch {
    return { ok: false, reason: 'The update cannot be read' };
  }
  const scratch = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(current));
    const before = Y.snapshot(scratch);
    try {
      Y.applyUpdate(scratch, update);
    } catch {
      return { ok: false, reason: 'The update cannot be read' };
    }
    if (Y.equalSnapshots(before, Y.snapshot(scratch)) && !scratch.store.pendingStructs && !scratch.store.pendingDs)
      return { ok: true, clients };
    if (name.docId === HUB_INDEX_DOC) return { ok: false, reason: 'Only the hub writes an engagement index' };
    if (scratch.store.pendingStructs || scratch.store.pendingDs)
      return { ok: false, reason: 'The update builds on changes the hub does not have (sync from the start)' };
    return name.docId.startsWith('note:') ? checkNote(name, scratch, policy, clients) : checkEngagement(name, scratch, clients);
  } finally {
    scratch.destroy();
  }
}

function checkNote(name: HubDocName, merged: Y.Doc, policy: HubPolicy, clients: number[]): UpdateCheck {
  const meta = readNoteMeta(merged);
  if (`note:${meta.id}` !== name.docId) return { ok: false, reason: 'The note names another id than its document' };
  if (meta.engagementId !== name.engagementId) return { ok: false, reason: 'The note belongs to another engagement' };
  if (!isAtOrBelow(policy.levels, meta.classification, policy.ceiling))
    return {
      ok: false,
      reason: `The note is marked ${meta.classification || '(unmarked)'}, above this hub's ceiling ${policy.ceiling}`,
    };
  return { ok: true, clients };
}

function checkEngagement(name: HubDocName, merged: Y.Doc, clients: number[]): UpdateCheck {
  if (name.docId !== `engagement:${name.engagementId}`)
    return { ok: false, reason: 'An engagement document is filed under another engagement' };
  const { engagement } = readEngagement(merged);
  if (engagement.id && engagement.id !== name.engagementId)
    return { ok: false, reason: 'The engagement names another id than its document' };
  return { ok: true, clients };
}
