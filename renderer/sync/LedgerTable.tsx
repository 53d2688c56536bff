import { useId } from 'react';
import type { LedgerEntryInfo } from '../../shared/sync/calls';
import { formatSize, formatWhen } from './sync-format';

const DELTA_LABELS: Record<string, string> = { full: 'whole', 'since-peer': 'delta', have: 'delta (have file)' };

/** Every bundle sent or received, newest first, per peer. */
export function LedgerTable({
  entries,
  codenames,
  error,
}: {
  entries: LedgerEntryInfo[] | null;
  codenames: Map<string, string>;
  error: string | null;
}) {
  const id = useId();
  return (
    <section className="sync-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Bundles sent and received</h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {entries?.length === 0 && <p className="muted">No bundles yet. Exports and imports are listed here.</p>}
      {!!entries?.length && (
        <div className="sync-table-wrap">
          <table className="sync-table" aria-labelledby={`${id}-title`}>
            <thead>
              <tr>
                <th scope="col">Direction</th>
                <th scope="col">Peer</th>
                <th scope="col">Date</th>
                <th scope="col">Engagements</th>
                <th scope="col">Documents</th>
                <th scope="col">Size</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={`${entry.direction}-${entry.bundleId}`}>
                  <td>{entry.direction === 'sent' ? 'Sent' : 'Received'}</td>
                  <td>{entry.peerName || (entry.direction === 'sent' ? 'Anyone' : 'Unnamed device')}</td>
                  <td>{formatWhen(entry.recordedAt)}</td>
                  <td>
                    {entry.engagementIds.map((e) => codenames.get(e) ?? e.slice(0, 8)).join(', ')}
                    {entry.maxClassification && <span className="muted small"> · cap {entry.maxClassification}</span>}
                  </td>
                  <td>
                    {entry.direction === 'received' ? `${entry.changedDocs} of ${entry.docs} new` : entry.docs}
                    <span className="muted small"> · {DELTA_LABELS[entry.delta] ?? entry.delta}</span>
                  </td>
                  <td>{formatSize(entry.bytes)}</td>
                  <td className="file">{entry.fileName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
