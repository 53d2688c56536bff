import type { NodeChange } from '@xyflow/react';
import { useCallback, useState } from 'react';
import type { MapChange } from '../../shared/map/model';
import type { MapSelection } from './map-selection';

type Point = { x: number; y: number };

/**
 * What React Flow reports about the boxes: selection, removal, and moves. While a box is dragged
 * its position is only shown (`dragging`); when the drag ends (or a keyboard move) it goes to the
 * doc: one change, one undo step.
 */
export function useNodeChanges(
  change: (changes: MapChange[]) => string | null,
  setSelection: React.Dispatch<React.SetStateAction<MapSelection>>,
) {
  const [dragging, setDragging] = useState<Map<string, Point>>(new Map());
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const moved: { id: string; x: number; y: number }[] = [];
      const steps: { id: string; position: Point }[] = [];
      for (const c of changes) {
        if (c.type === 'add' || c.type === 'replace' || c.id.startsWith('zone:')) continue;
        if (c.type === 'position' && c.position) {
          if (c.dragging) steps.push({ id: c.id, position: c.position });
          else moved.push({ id: c.id, x: Math.round(c.position.x), y: Math.round(c.position.y) });
        }
        if (c.type === 'select') {
          if (c.selected) setSelection({ kind: 'system', id: c.id });
          else setSelection((s) => (s?.kind === 'system' && s.id === c.id ? null : s));
        }
        if (c.type === 'remove') change([{ op: 'removeSystem', id: c.id }]);
      }
      if (moved.length) change([{ op: 'moveSystems', positions: moved }]);
      if (steps.length || moved.length)
        setDragging((current) => {
          const next = new Map(current);
          for (const step of steps) next.set(step.id, step.position);
          for (const m of moved) next.delete(m.id);
          return next;
        });
    },
    [change, setSelection],
  );
  // React Flow reports the end of a drag as position changes (dragging: false) before this: the doc
  // has the new positions already (written once). Anything left over is dropped.
  const onNodeDragStop = useCallback(() => setDragging((current) => (current.size ? new Map() : current)), []);
  // The systems being dragged: changes when a drag starts or ends, not at every drag step.
  const draggedKey = [...dragging.keys()].sort().join(' ');
  return { dragging, draggedKey, onNodesChange, onNodeDragStop };
}
