import { Handle, type Node, type NodeHandle, type NodeProps, Position } from '@xyflow/react';
import { type CSSProperties, memo } from 'react';
import { MAP_STATUS_COLORS, MAP_STATUS_LABELS, type MapSystem, NODE_SIZE, SYSTEM_KIND_LABELS } from '../../shared/map/model';

/** The dots integrations start and end on: 8 px, centred on the box's left and right sides (map.css). */
export const HANDLE_SIZE = 8;
/**
 * The handles of every system box, declared rather than measured. React Flow measures a node
 * (a forced layout and one getBoundingClientRect per handle) whenever it gets a node object
 * without measured size and handles: for each of 1,000 boxes on opening the map, and for the
 * dragged box at every drag step (its object changes with its position). Boxes have a fixed size.
 */
export const SYSTEM_HANDLES: NodeHandle[] = [
  {
    type: 'target',
    position: Position.Left,
    x: -HANDLE_SIZE / 2,
    y: NODE_SIZE.height / 2 - HANDLE_SIZE / 2,
    width: HANDLE_SIZE,
    height: HANDLE_SIZE,
  },
  {
    type: 'source',
    position: Position.Right,
    x: NODE_SIZE.width - HANDLE_SIZE / 2,
    y: NODE_SIZE.height / 2 - HANDLE_SIZE / 2,
    width: HANDLE_SIZE,
    height: HANDLE_SIZE,
  },
];

export type SystemNodeData = { system: MapSystem; highlighted: boolean };
export type SystemFlowNode = Node<SystemNodeData, 'system'>;

/**
 * A system on the canvas: name, kind and vendor, a stripe and outline in its status colour. Zoomed
 * far out on a large map the text is skipped by CSS (.map-far on the canvas: content-visibility),
 * so changing the level of detail re-renders nothing in React. The stripe is a background and the
 * box is not positioned: each positioned element is one more layer Chromium walks when it hit-tests
 * a mouse move and one more paint chunk per frame, times 1,000 boxes.
 */
export const SystemNode = memo(function SystemNode({ data, selected }: NodeProps<SystemFlowNode>) {
  const { system, highlighted } = data;
  const color = MAP_STATUS_COLORS[system.status];
  return (
    <div
      className={`map-system status-${system.status}${selected ? ' selected' : ''}${highlighted ? ' highlighted' : ''}`}
      style={{ '--status': color } as CSSProperties}
      title={`${system.name} — ${SYSTEM_KIND_LABELS[system.kind]}, ${MAP_STATUS_LABELS[system.status]}`}
    >
      <Handle type="target" position={Position.Left} />
      <span className="map-system-text">
        <strong className="map-system-name">{system.name}</strong>
        <span className="map-system-sub">
          {[SYSTEM_KIND_LABELS[system.kind], system.vendor].filter(Boolean).join(' · ')}
          <span className="map-status-text"> · {MAP_STATUS_LABELS[system.status]}</span>
        </span>
      </span>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

export type ZoneNodeData = { label: string; kind: string };
export type ZoneFlowNode = Node<ZoneNodeData, 'zone'>;

/** A network zone drawn around its systems (computed from their positions; not dragged itself). */
export const ZoneNode = memo(function ZoneNode({ data }: NodeProps<ZoneFlowNode>) {
  return (
    <div className="map-zone">
      <span className="map-zone-label">{data.kind ? `${data.label} · ${data.kind}` : data.label}</span>
    </div>
  );
});
