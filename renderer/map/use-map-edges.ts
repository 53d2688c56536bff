import { type Edge, MarkerType } from '@xyflow/react';
import { useMemo } from 'react';
import { type EnvironmentMap, MAP_STATUS_COLORS } from '../../shared/map/model';
import { edgeGeometry, integrationLabel } from './edge-layer';
import type { MapSelection } from './map-selection';

type Point = { x: number; y: number };

/**
 * Integrations above which they are drawn on one canvas (EdgeCanvas) rather than as React Flow
 * edges, except the selected system's or integration's, which stay React Flow edges (labelled,
 * focusable, deletable). Any integration can be picked by clicking its line or from the selected
 * system's list of integrations in the side panel.
 */
const CANVAS_EDGES_ABOVE = 150;

/**
 * How the integrations are drawn: React Flow edges, and on a large map the rest as canvas geometry
 * (`geometry` for what stands still, `movingGeometry` for the integrations of dragged systems).
 */
export function useMapEdges(
  integrations: EnvironmentMap['integrations'],
  selection: MapSelection,
  draggedKey: string,
  placedPositions: Map<string, Point>,
  positions: Map<string, Point>,
) {
  const canvasEdges = integrations.length > CANVAS_EDGES_ABOVE;
  const { flowIntegrations, canvasIntegrations } = useMemo(() => {
    if (!canvasEdges) return { flowIntegrations: integrations, canvasIntegrations: [] };
    const related = (i: { id: string; from: string; to: string }) =>
      (selection?.kind === 'integration' && selection.id === i.id) ||
      (selection?.kind === 'system' && (selection.id === i.from || selection.id === i.to));
    return {
      flowIntegrations: integrations.filter(related),
      canvasIntegrations: integrations.filter((i) => !related(i)),
    };
  }, [integrations, selection, canvasEdges]);
  // While systems are dragged, the integrations that do not touch them keep their curves (and their
  // canvas keeps its drawing: one layer); only those of the dragged systems are recomputed and
  // redrawn at each drag step, on a second layer.
  const { staticIntegrations, movingIntegrations } = useMemo(() => {
    if (!draggedKey) return { staticIntegrations: canvasIntegrations, movingIntegrations: [] };
    const dragged = new Set(draggedKey.split(' '));
    const touches = (i: { from: string; to: string }) => dragged.has(i.from) || dragged.has(i.to);
    return {
      staticIntegrations: canvasIntegrations.filter((i) => !touches(i)),
      movingIntegrations: canvasIntegrations.filter(touches),
    };
  }, [canvasIntegrations, draggedKey]);
  const geometry = useMemo(() => edgeGeometry(staticIntegrations, placedPositions), [staticIntegrations, placedPositions]);
  const movingGeometry = useMemo(() => edgeGeometry(movingIntegrations, positions), [movingIntegrations, positions]);
  const edges = useMemo<Edge[]>(
    () =>
      flowIntegrations.map((i) => {
        const color = i.status === 'healthy' ? undefined : MAP_STATUS_COLORS[i.status];
        const label = integrationLabel(i);
        return {
          id: i.id,
          source: i.from,
          target: i.to,
          label: label || undefined,
          selected: selection?.kind === 'integration' && selection.id === i.id,
          markerEnd: { type: MarkerType.ArrowClosed, color },
          markerStart: i.direction === 'two-way' ? { type: MarkerType.ArrowClosed, color } : undefined,
          style: { stroke: color, strokeWidth: 1.6, strokeDasharray: i.status === 'planned' || i.status === 'retired' ? '5 4' : undefined },
          ariaLabel: `Integration ${label || 'unnamed'}`,
        };
      }),
    [flowIntegrations, selection],
  );
  return { canvasEdges, geometry, movingGeometry, edges };
}
