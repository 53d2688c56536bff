import { memo, useCallback } from 'react';
import type { EnvironmentMap, IntegrationPatch, MapChange, SystemPatch, ZoneKind } from '../../shared/map/model';
import { IntegrationPanel, SystemPanel, ZonesPanel } from './MapSidePanel';
import type { MapSelection } from './map-selection';

interface Props {
  map: EnvironmentMap;
  selection: MapSelection;
  engagementId: string;
  change(changes: MapChange[]): string | null;
  connect(from: string, to: string): void;
  setSelection(selection: MapSelection): void;
  onTraceFrom(systemId: string): void;
}

/**
 * The side panel: the selected system or integration, or the zones when nothing is selected.
 * Memoised: it only changes with the map or the selection, not at every drag step (each of which
 * re-renders the editor).
 */
export const MapSelectionPanel = memo(function MapSelectionPanel({
  map,
  selection,
  engagementId,
  change,
  connect,
  setSelection,
  onTraceFrom,
}: Props) {
  const selectedSystem = selection?.kind === 'system' ? map.systems.find((s) => s.id === selection.id) : undefined;
  const selectedIntegration = selection?.kind === 'integration' ? map.integrations.find((i) => i.id === selection.id) : undefined;
  const applySystem = useCallback((id: string) => (patch: SystemPatch) => change([{ op: 'updateSystem', id, patch }]), [change]);
  const applyIntegration = useCallback(
    (id: string) => (patch: IntegrationPatch) => change([{ op: 'updateIntegration', id, patch }]),
    [change],
  );
  return (
    <aside className="map-side">
      {selectedSystem ? (
        <SystemPanel
          key={selectedSystem.id}
          system={selectedSystem}
          map={map}
          engagementId={engagementId}
          apply={applySystem(selectedSystem.id)}
          onDelete={() => {
            change([{ op: 'removeSystem', id: selectedSystem.id }]);
            setSelection(null);
          }}
          onTraceFrom={() => onTraceFrom(selectedSystem.id)}
          onConnect={(to) => connect(selectedSystem.id, to)}
          onSelectIntegration={(id) => setSelection({ kind: 'integration', id })}
        />
      ) : selectedIntegration ? (
        <IntegrationPanel
          key={selectedIntegration.id}
          integration={selectedIntegration}
          map={map}
          apply={applyIntegration(selectedIntegration.id)}
          onDelete={() => {
            change([{ op: 'removeIntegration', id: selectedIntegration.id }]);
            setSelection(null);
          }}
        />
      ) : (
        <ZonesPanel
          map={map}
          onAdd={(name: string, kind: ZoneKind) => change([{ op: 'addZone', zone: { name, kind } }])}
          onRename={(id, name) => change([{ op: 'updateZone', id, patch: { name } }])}
          onKind={(id, kind) => change([{ op: 'updateZone', id, patch: { kind } }])}
          onRemove={(id) => change([{ op: 'removeZone', id }])}
        />
      )}
    </aside>
  );
});
