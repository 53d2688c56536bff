import { useId, useState } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import { plural } from '../../shared/plural';
import type { HubStatus } from '../../shared/sync/hub-calls';
import { useOutpost } from '../app/outpost-context';
import { HubJoinForm } from './HubJoinForm';
import { engagementLine } from './hub-format';

type EngagementState = HubStatus['engagements'][number];

/** Per engagement, "Sync with team hub" (off by default), what its sync is doing, and joining one from the hub. */
export function HubEngagements({ status, engagements }: { status: HubStatus; engagements: EngagementSummary[] }) {
  const { api } = useOutpost();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  // A switch shows its new position at once; the hub's next status (a new object) confirms or
  // undoes it, so positions are kept only against the status they were set on.
  const [pending, setPending] = useState<{ basis: HubStatus; on: Map<string, boolean> }>({ basis: status, on: new Map() });
  const switched = pending.basis === status ? pending.on : new Map<string, boolean>();
  const setSwitched = (engagementId: string, enabled: boolean | null) =>
    setPending((current) => {
      const on = new Map(current.basis === status ? current.on : []);
      if (enabled === null) on.delete(engagementId);
      else on.set(engagementId, enabled);
      return { basis: status, on };
    });
  const states = new Map(status.engagements.map((e) => [e.engagementId, e]));
  const known = new Set(engagements.map((e) => e.id));
  // Engagements being joined from the hub: synced, but not (yet) in this notebook.
  const joining = status.engagements.filter((e) => !known.has(e.engagementId));

  const toggle = async (engagementId: string, enabled: boolean): Promise<boolean> => {
    setError(null);
    setSwitched(engagementId, enabled);
    try {
      await api.call('hub.setEngagement', { engagementId, enabled });
      return true;
    } catch (e) {
      setError((e as Error).message);
      setSwitched(engagementId, null);
      return false;
    }
  };

  const rows = [
    ...engagements.map((e) => ({ engagementId: e.id, name: e.codename, detail: e.client })),
    ...joining.map((e) => ({
      engagementId: e.engagementId,
      name: `engagement ${e.engagementId}`,
      detail: 'Joining: its notes arrive from the hub',
    })),
  ];

  return (
    <div className="hub-engagements">
      <h4 id={`${id}-title`}>Engagements</h4>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {rows.length === 0 && <p className="muted">No engagements yet: create one, or join one from the hub below.</p>}
      {rows.length > 0 && (
        <ul aria-labelledby={`${id}-title`}>
          {rows.map((row) => {
            const state = states.get(row.engagementId);
            const on = switched.get(row.engagementId) ?? !!state;
            return (
              <li key={row.engagementId}>
                <label className="hub-switch">
                  <input
                    type="checkbox"
                    role="switch"
                    checked={on}
                    aria-checked={on}
                    onChange={(e) => void toggle(row.engagementId, e.target.checked)}
                    aria-label={`Sync ${row.name} with team hub`}
                  />
                  <span className="hub-switch-name">{row.name}</span>
                </label>
                <div className="hub-engagement-state small">
                  <span className="muted">{row.detail}</span>
                  {state ? <SyncState state={state} /> : <span className="muted">Not synced: stays on this computer</span>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <HubJoinForm onJoin={(engagementId) => toggle(engagementId, true)} />
    </div>
  );
}

/** Waiting, received, withheld and refused, for an engagement whose switch is on. */
function SyncState({ state }: { state: EngagementState }) {
  return (
    <>
      <span>{engagementLine(state)}</span>
      {state.teammates.length > 0 && (
        <span>
          Teammates seen on the hub:{' '}
          {state.teammates.map((t, i) => (
            <span key={t.fingerprint || t.name} title={`Device key ${t.fingerprint}`}>
              {i > 0 && ', '}
              {t.name}
            </span>
          ))}
        </span>
      )}
      {state.withheld > 0 && (
        <span className="warn">
          {plural(state.withheld, 'note')} above the hub's ceiling {state.withheld === 1 ? 'is' : 'are'} never sent
        </span>
      )}
      {state.refused.length > 0 && (
        <ul className="hub-refused" aria-label={`Refused by the hub (${state.codename})`}>
          {state.refused.map((r) => (
            <li key={r.docId}>
              <span className="error">Refused:</span> {r.reason} <code className="muted">{r.docId}</code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
