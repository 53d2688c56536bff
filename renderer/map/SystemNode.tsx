import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { MAP_STATUS_COLORS, MAP_STATUS_LABELS, type MapSystem, SYSTEM_KIND_LABELS } from '../../shared/map/model';

export type SystemNodeData = { system: MapSystem; highlighted: boolean };
export type SystemFlowNode = Node<SystemNodeData, 'system'>;

/**
 * A system on the canvas: name, kind and vendor, a stripe and outline in its status colour. Zoomed
 * far out on a large map the text is skipped by CSS (.map-far on the canvas: content-visibility),
 * so changing the level of detail re-renders nothing in React.
 */
export const SystemNode = memo(function SystemNode({ data, selected }: NodeProps<SystemFlowNode>) {
  const { system, highlighted } = data;
  const color = MAP_STATUS_COLORS[system.status];
  return (
    <div
      className={`map-system status-${system.status}${selected ? ' selected' : ''}${highlighted ? ' highlighted' : ''}`}
      style={{ borderColor: color }}
      title={`${system.name} — ${SYSTEM_KIND_LABELS[system.kind]}, ${MAP_STATUS_LABELS[system.status]}`}
    >
      <Handle type="target" position={Position.Left} />
      <span className="map-system-stripe" style={{ background: color }} />
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
