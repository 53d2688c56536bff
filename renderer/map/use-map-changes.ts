import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as Y from 'yjs';
import { applyMapChanges, mapTypes } from '../../shared/map/doc';
import type { MapChange } from '../../shared/map/model';
import { describeMapError } from './map-selection';

/** Edits made in this editor (the undo manager tracks only these, not what arrives from others). */
const LOCAL = Symbol('map-editor');

/**
 * Changes to the map through one undo manager: `apply` throws when the changes are refused,
 * `change` returns why (or null) and clears the shown error on success.
 */
export function useMapChanges(doc: Y.Doc, setError: (error: string | null) => void) {
  const undo = useMemo(() => new Y.UndoManager(mapTypes(doc), { trackedOrigins: new Set([LOCAL]), captureTimeout: 400 }), [doc]);
  useEffect(() => () => undo.destroy(), [undo]);
  const [undoState, setUndoState] = useState({ canUndo: false, canRedo: false });
  useEffect(() => {
    const update = () => setUndoState({ canUndo: undo.canUndo(), canRedo: undo.canRedo() });
    undo.on('stack-item-added', update);
    undo.on('stack-item-popped', update);
    undo.on('stack-cleared', update);
    return () => {
      undo.off('stack-item-added', update);
      undo.off('stack-item-popped', update);
      undo.off('stack-cleared', update);
    };
  }, [undo]);

  /**
   * Applies changes to the replica (validated first). Typing in one field merges into one undo
   * step; a different field, object or kind of change starts a new one.
   */
  const lastKind = useRef('');
  const apply = useCallback(
    (changes: MapChange[]) => {
      const kind = changes.map((c) => `${c.op}:${'id' in c ? c.id : ''}:${'patch' in c ? Object.keys(c.patch).join(',') : ''}`).join('|');
      const typing = kind === lastKind.current && changes.every((c) => c.op.startsWith('update'));
      if (!typing) undo.stopCapturing();
      lastKind.current = kind;
      return applyMapChanges(doc, changes, LOCAL);
    },
    [doc, undo],
  );
  const change = useCallback(
    (changes: MapChange[]): string | null => {
      try {
        apply(changes);
        setError(null);
        return null;
      } catch (e) {
        return describeMapError(e);
      }
    },
    [apply, setError],
  );
  return { undo, undoState, apply, change };
}

/** Undo/redo from the keyboard while the canvas (not a form field) has focus. */
export function useUndoKeys(canvas: React.RefObject<HTMLElement | null>, undo: Y.UndoManager) {
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
      e.preventDefault();
      if (e.shiftKey) undo.redo();
      else undo.undo();
    };
    el.addEventListener('keydown', onKey);
    return () => el.removeEventListener('keydown', onKey);
  }, [canvas, undo]);
}
