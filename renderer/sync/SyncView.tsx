import { useCallback, useMemo } from 'react';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { ConflictReview } from './ConflictReview';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { LedgerTable } from './LedgerTable';
import { knownPeers } from './sync-format';
import { TeamHubPanel } from './TeamHubPanel';
import { TrustedDevices } from './TrustedDevices';
import './sync-view.css';

/**
 * Merge later, by file: export engagements as a signed, encrypted bundle, import a teammate's,
 * and see what went where (the ledger) and whose bundles this notebook accepts. Or, on a network,
 * sync live through the team's hub.
 */
export function SyncView() {
  const { api, info } = useOutpost();
  const loadEngagements = useCallback(
    async () => (await api.call('engagements.list', { includeArchived: true, sort: 'codename' })).engagements,
    [api],
  );
  const loadLedger = useCallback(async () => (await api.call('bundles.ledger', {})).entries, [api]);
  const loadDevices = useCallback(async () => (await api.call('devices.list', {})).devices, [api]);
  const engagements = useApiQuery(loadEngagements, ['engagements.changed']);
  const loadPlaybooks = useCallback(async () => (await api.call('playbooks.list', {})).playbooks, [api]);
  const playbooks = useApiQuery(loadPlaybooks, ['playbooks.changed']);
  const ledger = useApiQuery(loadLedger, ['bundles.changed']);
  const devices = useApiQuery(loadDevices, ['bundles.changed']);
  const loadConflicts = useCallback(async () => (await api.call('conflicts.list', {})).conflicts, [api]);
  const conflicts = useApiQuery(loadConflicts, ['bundles.changed']);

  const peers = useMemo(
    () => knownPeers(devices.data ?? [], ledger.data ?? [], info.device.id),
    [devices.data, ledger.data, info.device.id],
  );
  const codenames = useMemo(() => new Map((engagements.data ?? []).map((e) => [e.id, e.codename])), [engagements.data]);

  return (
    <section className="sync-view" aria-labelledby="sync-title">
      <header>
        <h2 id="sync-title">Sync</h2>
        <p className="muted">
          Merge notebooks without a network: export engagements as a signed, encrypted bundle file, carry it across, and import teammates'
          bundles. Edits merge without conflicts; nothing leaves this computer unless you export it, or turn on an engagement's sync with a
          team hub below.
        </p>
      </header>
      {engagements.error && (
        <p role="alert" className="error">
          {engagements.error}
        </p>
      )}
      <div className="sync-columns">
        <ExportPanel engagements={engagements.data} playbooks={playbooks.data} peers={peers} levels={info.classificationLevels} />
        <ImportPanel />
      </div>
      <TeamHubPanel engagements={engagements.data} />
      <ConflictReview conflicts={conflicts.data} error={conflicts.error} />
      <LedgerTable entries={ledger.data} codenames={codenames} error={ledger.error} />
      <TrustedDevices devices={devices.data} error={devices.error} />
    </section>
  );
}
