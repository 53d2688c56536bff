import { useCallback } from 'react';
import type * as Y from 'yjs';
import { applyEngagementPatch, readEngagement } from '../../shared/engagements/doc';
import { ENGAGEMENT_STATUSES, type EngagementPatch, type EngagementSummary, STATUS_LABELS } from '../../shared/engagements/model';
import { OutpostError } from '../../shared/errors';
import { docIdFor } from '../../shared/ids';
import { withoutFieldKey } from '../app/modal';
import { useDocValue, useOutpost, useReplica, useSyncState } from '../app/outpost-context';
import type { Replica } from '../sync/replicas';
import { SyncBadge } from '../sync/SyncBadge';
import { SelectField, TextField } from './fields';
import { TeamEditor } from './TeamEditor';

const readDoc = (doc: Y.Doc) => readEngagement(doc).engagement;

interface Props {
  id: string;
  /** The other engagements, to keep codenames unique. */
  others: EngagementSummary[];
}

export function EngagementView({ id, others }: Props) {
  const replica = useReplica(docIdFor('engagement', id));
  if (!replica) return <p className="muted">Opening…</p>;
  return <EngagementEditor replica={replica} others={others} />;
}

function EngagementEditor({ replica, others }: { replica: Replica; others: EngagementSummary[] }) {
  const { info } = useOutpost();
  const engagement = useDocValue(replica.doc, readDoc) ?? readDoc(replica.doc);
  const syncState = useSyncState(replica);

  /** Applies a patch to the replica (validated by the shared schema); returns why it was refused. */
  const apply = useCallback(
    (patch: EngagementPatch): string | null => {
      if (patch.codename !== undefined) {
        const taken = others.find((o) => o.id !== engagement.id && o.codename.toLowerCase() === patch.codename?.trim().toLowerCase());
        if (taken) return `The codename “${taken.codename}” is already used by another engagement`;
      }
      try {
        applyEngagementPatch(replica.doc, patch);
        return null;
      } catch (error) {
        if (error instanceof OutpostError) return error.details?.map(withoutFieldKey).join('; ') ?? error.message;
        throw error;
      }
    },
    [replica, others, engagement.id],
  );

  if (!engagement.id) {
    return (
      <div className="loading" role="status">
        {syncState === 'offline' ? 'This engagement cannot be loaded: the notebook host is unreachable.' : 'Loading engagement…'}
      </div>
    );
  }

  return (
    <section className="engagement" aria-label="Overview">
      <header className="engagement-head">
        <p className="muted">
          {engagement.client}
          {engagement.site ? ` · ${engagement.site}` : ''} · ceiling {engagement.ceiling}
        </p>
        <div className="head-actions">
          <SyncBadge state={syncState} />
          <button type="button" onClick={() => apply({ archived: !engagement.archived })}>
            {engagement.archived ? 'Restore from archive' : 'Archive'}
          </button>
        </div>
      </header>
      {engagement.archived && (
        <p className="banner">This engagement is archived. It is hidden from the list unless “Show archived” is on.</p>
      )}
      <form className="fields" onSubmit={(e) => e.preventDefault()} aria-label="Engagement details">
        <TextField label="Client" value={engagement.client} maxLength={200} apply={(client) => apply({ client })} />
        <TextField label="Codename" value={engagement.codename} maxLength={64} apply={(codename) => apply({ codename })} />
        <TextField label="Site" value={engagement.site} maxLength={200} apply={(site) => apply({ site })} />
        <SelectField
          label="Classification ceiling"
          value={engagement.ceiling}
          options={info.classificationLevels.map((level) => ({ value: level, label: level }))}
          apply={(ceiling) => apply({ ceiling })}
        />
        <SelectField
          label="Status"
          value={engagement.status}
          options={ENGAGEMENT_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))}
          apply={(status) => apply({ status })}
        />
        <TextField label="Start date" type="date" value={engagement.startDate ?? ''} apply={(v) => apply({ startDate: v || null })} />
        <TextField label="End date" type="date" value={engagement.endDate ?? ''} apply={(v) => apply({ endDate: v || null })} />
        <TextField
          label="Summary"
          multiline
          maxLength={20_000}
          value={engagement.summary}
          apply={(summary) => apply({ summary })}
          hint="What the client needs, what is deployed, what success looks like."
        />
      </form>
      <TeamEditor team={engagement.team} apply={(team) => apply({ team })} />
    </section>
  );
}
