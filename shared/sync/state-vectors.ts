import * as Y from 'yjs';

/** The union of two Yjs state vectors: for every client, the higher clock. */
export function mergeStateVectors(a: Uint8Array, b: Uint8Array): Uint8Array {
  const merged = Y.decodeStateVector(a);
  for (const [client, clock] of Y.decodeStateVector(b)) merged.set(client, Math.max(clock, merged.get(client) ?? 0));
  return Y.encodeStateVector(merged);
}

/** Reads a snapshot someone sent, or null if it cannot be read (then nothing is assumed known). */
export function readSnapshot(bytes: Uint8Array | null | undefined): Y.Snapshot | null {
  if (!bytes?.length) return null;
  try {
    return Y.decodeSnapshot(bytes);
  } catch {
    return null;
  }
}

/** The state vector of a snapshot, encoded. */
export function snapshotStateVector(snapshot: Y.Snapshot): Uint8Array {
  return Y.encodeStateVector(snapshot.sv);
}
