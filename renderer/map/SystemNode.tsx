import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { MAP_STATUS_COLORS, MAP_STATUS_LABELS, type MapSystem, SYSTEM_KIND_LABELS } from '../../shared/map/model';

export type SystemNodeData = { system: MapSystem; highlighted: boolean; compact?: boolean };
export type SystemFlowNode = Node<SystemNodeData, 'system'>;

/** A system on the canvas: name, kind and vendor, a stripe and outline in its status colour. */
export const SystemNode = memo(function SystemNode({ data, selected }: NodeProps<SystemFlowNode>) {
  const { system, highlighted, compact } = data;
  const color = MAP_STATUS_COLORS[system.status];
  if (compact) {
    return (
      <div className={`map-system compact status-${system.status}${selected ? ' selected' : ''}`} style={{ borderColor: color }}>
        <Handle type="target" position={Position.Left} />
        <span className="map-system-stripe" style={{ background: color }} />
        <Handle type="source" position={Position.Right} />
      </div>
    );
  }
  return (
    <div
      className={`map-system status-${system.status}${selected ? ' selected' : ''}${highlighted ? ' highlighted' : ''}`}
      style={{ borderColor: color }}
      title={`${system.name} — ${SYSTEM_KIND_LABELS[system.kind]}, ${MAP_STATUS_LABELS[system.status]}`}
    >
      <Handle type="target" position={Position.Left} />
      <span className="map-system-stripe" style={{ background: color }} />
      <strong className="map-system-name">{system.name}</strong>
      <span className="map-system-sub">
        {[SYSTEM_KIND_LABELS[system.kind], system.vendor].filter(Boolean).join(' · ')}
        <span className="map-status-text"> · {MAP_STATUS_LABELS[system.status]}</span>
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
