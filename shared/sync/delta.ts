import * as Y from 'yjs';
import { readSnapshot, snapshotStateVector } from './state-vectors';

/** What this notebook knows a peer holds of one document (from the ledger or a "have" file). */
export interface PeerKnowledge {
  /** Everything the peer is known to have (merged from what we sent and what it sent us). */
  stateVector?: Uint8Array | null;
  /** Our snapshot when we last sent the document to the peer. */
  sentSnapshot?: Uint8Array | null;
  /** The peer's own snapshot, from a "have" file. */
  theirSnapshot?: Uint8Array | null;
}

export interface DocDelta {
  /** The Yjs update carrying what the peer lacks (and the whole delete set). */
  update: Uint8Array;
  /** Our state vector: after importing, the peer holds at least this. */
  stateVector: Uint8Array;
  /** Our snapshot now, to remember as "last sent". */
  snapshot: Uint8Array;
}

/**
 * What to send a peer of one document, or null when it already has all of it. A state vector
 * alone cannot tell whether the peer has our deletions (they do not advance it), so a document
 * is skipped only when our snapshot (state vector and deletions) equals the one we last sent, or
 * the peer's own; otherwise the update from its state vector goes, with the full delete set.
 */
export function deltaForPeer(doc: Y.Doc, known: PeerKnowledge | undefined): DocDelta | null {
  const snapshot = Y.snapshot(doc);
  const sent = readSnapshot(known?.sentSnapshot);
  const theirs = readSnapshot(known?.theirSnapshot);
  if ((sent && Y.equalSnapshots(sent, snapshot)) || (theirs && Y.equalSnapshots(theirs, snapshot))) return null;
  const base = known?.stateVector ?? (theirs ? snapshotStateVector(theirs) : undefined);
  return {
    update: Y.encodeStateAsUpdate(doc, base ?? undefined),
    stateVector: Y.encodeStateVector(doc),
    snapshot: Y.encodeSnapshot(snapshot),
  };
}
