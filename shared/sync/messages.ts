import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { OutpostError } from '../errors';

/**
 * Yjs' own sync protocol (y-protocols/sync) between a renderer replica and the main process:
 * step 1 sends a state vector, step 2 answers with exactly the updates the other side lacks,
 * then each new local update is sent as it happens. Both sides run the same code.
 *
 * Input is checked before it touches the document: a malformed message is rejected whole.
 */
export type SyncMessageType = 'step1' | 'step2' | 'update';

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Applies one sync message to `doc` (with `origin` as the transaction origin) and returns the reply, if any. */
export function handleSyncMessage(doc: Y.Doc, message: Uint8Array, origin: unknown): { type: SyncMessageType; reply: Uint8Array | null } {
  let type: SyncMessageType;
  let payload: Uint8Array;
  try {
    const decoder = decoding.createDecoder(message);
    const code = decoding.readVarUint(decoder);
    payload = decoding.readVarUint8Array(decoder);
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
    if (code === syncProtocol.messageYjsSyncStep1) {
      type = 'step1';
      Y.decodeStateVector(payload);
    } else if (code === syncProtocol.messageYjsSyncStep2 || code === syncProtocol.messageYjsUpdate) {
      type = code === syncProtocol.messageYjsUpdate ? 'update' : 'step2';
      // Parses every struct without applying anything; throws on malformed bytes.
      Y.decodeUpdate(payload);
    } else {
      throw new Error(`unknown message type ${code}`);
    }
  } catch (error) {
    throw new OutpostError('invalid_request', `Malformed sync message: ${(error as Error).message}`);
  }
  if (type === 'step1') {
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep2(encoder, doc, payload);
    return { type, reply: encoding.toUint8Array(encoder) };
  }
  Y.applyUpdate(doc, payload, origin);
  return { type, reply: null };
}
