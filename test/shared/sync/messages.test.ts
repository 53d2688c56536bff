import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OutpostError } from '../../../shared/errors';
import { encodeSyncStep1, encodeSyncUpdate, handleSyncMessage } from '../../../shared/sync/messages';

describe('sync protocol messages', () => {
  it('brings two diverged docs to the same state with step1/step2 both ways', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'from a');
    b.getMap('m').set('k', 'from b');
    // a → b: step 1; b answers with step 2 (what a lacks) and a applies it.
    const answer = handleSyncMessage(b, encodeSyncStep1(a), 'a');
    expect(answer.type).toBe('step1');
    handleSyncMessage(a, answer.reply as Uint8Array, 'b');
    // b → a the same way.
    const back = handleSyncMessage(a, encodeSyncStep1(b), 'b');
    handleSyncMessage(b, back.reply as Uint8Array, 'a');
    expect(a.getText('t').toString()).toBe('from a');
    expect(b.getText('t').toString()).toBe('from a');
    expect(a.getMap('m').get('k')).toBe('from b');
  });

  it('applies an update message with the given origin', () => {
    const source = new Y.Doc();
    const target = new Y.Doc();
    let seenOrigin: unknown;
    target.on('update', (_u: Uint8Array, origin: unknown) => {
      seenOrigin = origin;
    });
    source.on('update', (update: Uint8Array) => handleSyncMessage(target, encodeSyncUpdate(update), 'peer'));
    source.getText('t').insert(0, 'hi');
    expect(target.getText('t').toString()).toBe('hi');
    expect(seenOrigin).toBe('peer');
  });

  it('rejects malformed messages without touching the doc', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'keep');
    const before = Y.encodeStateAsUpdate(doc);
    const valid = encodeSyncUpdate(Y.encodeStateAsUpdate(doc));
    const bad = [
      new Uint8Array([]),
      new Uint8Array([9, 0]),
      new Uint8Array([2, 5, 1, 2]),
      valid.slice(0, valid.length - 3),
      new Uint8Array([...valid, 7]),
      new Uint8Array([2, 4, 255, 255, 255, 255]),
    ];
    for (const message of bad) expect(() => handleSyncMessage(doc, message, null)).toThrow(OutpostError);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});
