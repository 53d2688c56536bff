import type { EventPayload } from '../../shared/api/contract';
import type { BundleInspection, ImportReportInfo } from '../../shared/sync/calls';
import { importedDocLabel } from '../../shared/sync/imported-doc';
import { sectionLine } from '../../shared/sync/section-changes';
import { engagementHref } from '../app/use-hash-route';
import { formatSize, formatWhen, plural, trustText } from './sync-format';

/** What the bundle import shows: its header, the dry run's preview, the result, and the merge's progress. */

type ImportProgressInfo = EventPayload<'bundles.importProgress'>;

/** Opening is quick, merging in memory is most of it, then the writes. */
export function importFraction({ phase, done, total }: ImportProgressInfo): number {
  const part = total ? Math.min(1, done / total) : 0;
  if (phase === 'opening') return 0.05;
  if (phase === 'merging') return 0.1 + 0.6 * part;
  return 0.7 + 0.3 * part;
}

export function importStep({ phase, done, total }: ImportProgressInfo): string {
  if (phase === 'opening') return 'checking, decrypting and decompressing';
  const count = `${done.toLocaleString()} of ${total.toLocaleString()} ${total === 1 ? 'document' : 'documents'}`;
  return phase === 'merging' ? `merging ${count}` : `writing ${count}`;
}

export function BundleHeaderView({ inspection }: { inspection: BundleInspection }) {
  const { header } = inspection;
  const kdf = header.encryption.kdf;
  return (
    <section className="sync-bundle" aria-label="Bundle header">
      <dl>
        <dt>From</dt>
        <dd>
          {header.sender.name || 'Unnamed device'} <span className="muted small">device {header.sender.deviceId.slice(0, 8)}</span>
        </dd>
        <dt>Key fingerprint</dt>
        <dd>
          <code>{inspection.fingerprint}</code>
        </dd>
        <dt>Trust</dt>
        <dd className={`trust trust-${inspection.trust}`}>{trustText(inspection.trust, inspection.trustedDevice)}</dd>
        <dt>Signature</dt>
        <dd className={inspection.signatureValid ? undefined : 'error'}>
          {inspection.signatureValid ? 'Valid' : 'INVALID: the file was altered or damaged'}
        </dd>
        <dt>Engagements</dt>
        <dd>{header.engagements.map((e) => `${e.codename} (up to ${e.ceiling})`).join(', ') || 'none'}</dd>
        {header.playbooks.length > 0 && (
          <>
            <dt>Playbooks</dt>
            <dd>{plural(header.playbooks.length, 'playbook')}</dd>
          </>
        )}
        <dt>Classification cap</dt>
        <dd>{header.maxClassification ?? 'None'}</dd>
        <dt>Created</dt>
        <dd>{formatWhen(header.createdAt)}</dd>
        <dt>Contents</dt>
        <dd>
          {plural(header.counts.docs, 'document')}, {plural(header.counts.attachments, 'attachment')} ·{' '}
          {header.delta.kind === 'full' ? 'whole engagements' : 'only what this notebook lacked'} · {formatSize(inspection.size)}
        </dd>
        <dt>Encryption</dt>
        <dd>{kdf.kind === 'scrypt' ? 'Passphrase' : `Team key ${kdf.keyId}`}</dd>
      </dl>
      {inspection.previouslyImportedAt && (
        <p className="banner">
          You imported this bundle on {formatWhen(inspection.previouslyImportedAt)}; importing it again changes nothing.
        </p>
      )}
    </section>
  );
}

/** The documents a report names, per engagement of the bundle, new and changed ones first. */
function groupByEngagement(report: ImportReportInfo) {
  const codenames = new Map(report.header.engagements.map((e) => [e.id, e.codename]));
  for (const doc of report.docs) if (doc.kind === 'engagement') codenames.set(doc.engagementId, doc.label);
  const groups = new Map<string, { codename: string; docs: ImportReportInfo['docs'] }>();
  for (const doc of report.docs) {
    const key = doc.engagementId;
    // Playbooks belong to no engagement (their key is empty).
    const group = groups.get(key) ?? { codename: key ? (codenames.get(key) ?? 'Another engagement') : 'Playbooks', docs: [] };
    group.docs.push(doc);
    groups.set(key, group);
  }
  return [...groups.entries()].map(([engagementId, group]) => ({ engagementId, ...group }));
}

function docLine(doc: ImportReportInfo['docs'][number]): string {
  const what = importedDocLabel(doc);
  return `${doc.created ? 'New' : 'Changed'} ${what}${doc.waiting ? ' (part of it waits for an earlier bundle from that device)' : ''}`;
}

export function PreviewView({ report }: { report: ImportReportInfo }) {
  const changed = report.docs.filter((d) => d.changed || d.created);
  const same = report.docs.length - changed.length;
  return (
    <section className="sync-preview" aria-label="Preview">
      <h4>Preview: what {report.header.sender.name || 'this device'} sent</h4>
      {report.previouslyImportedAt && <p className="muted small">Already imported on {formatWhen(report.previouslyImportedAt)}.</p>}
      {!changed.length ? (
        <p>Nothing new: this notebook already has everything in it.</p>
      ) : (
        <ul className="sync-docs">
          {groupByEngagement({ ...report, docs: changed }).map((group) => (
            <li key={group.engagementId}>
              <strong>{group.codename}</strong>
              <ul>
                {group.docs.map((doc) => (
                  <li key={doc.docId} className={doc.created ? 'new' : 'changed'}>
                    {docLine(doc)}
                    {doc.sections.length > 0 && (
                      <ul className="sync-sections">
                        {doc.sections.map((change) => (
                          <li key={change.section}>{sectionLine(change)}</li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        {same > 0 && `${plural(same, 'document')} you already have. `}
        {report.attachments.received > 0 && `${report.attachments.new} new of ${plural(report.attachments.received, 'attachment')}.`}
      </p>
    </section>
  );
}

export function ImportedView({ report }: { report: ImportReportInfo }) {
  const created = report.docs.filter((d) => d.created).length;
  const changed = report.docs.filter((d) => d.changed && !d.created).length;
  return (
    <div className="sync-imported">
      <p>
        <strong>Imported from {report.header.sender.name || 'the sender'}:</strong> {created} new, {changed} changed
        {report.attachments.new > 0 && `, ${plural(report.attachments.new, 'new attachment')}`}.
      </p>
      <ul>
        {report.header.engagements.map((e) => (
          <li key={e.id}>
            <a href={engagementHref(e.id, 'notes')}>Open {e.codename}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
