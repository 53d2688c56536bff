import { useCallback, useId } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { HubConnectForm } from './HubConnectForm';
import { HubDeviceKey } from './HubDeviceKey';
import { HubEngagements } from './HubEngagements';
import { HubFacts } from './HubFacts';
import { HubForget } from './HubForget';

/**
 * Live sync with a team hub the team runs itself: off until a hub is configured and an
 * engagement's switch is on. Shows the connection as it is, the hub's ceiling, each engagement's
 * sync, and this device's key (what the hub's admin adds as a member).
 */
export function TeamHubPanel({ engagements }: { engagements: EngagementSummary[] | null }) {
  const { api } = useOutpost();
  const id = useId();
  const loadStatus = useCallback(() => api.call('hub.status', {}), [api]);
  const status = useApiQuery(loadStatus, ['hub.status']);
  const hub = status.data;

  return (
    <section className="sync-section team-hub" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Team hub</h3>
      {status.error && (
        <p role="alert" className="error">
          {status.error}
        </p>
      )}
      {hub && !hub.configured && (
        <>
          <p className="muted">
            On a network, a hub the team runs itself (<code>outpost hub serve</code>) keeps everyone's notebooks in step as they type. Until
            a hub is configured here, this notebook opens no network connection.
          </p>
          <HubConnectForm onDone={status.reload} />
        </>
      )}
      {hub?.configured && (
        <>
          <HubFacts status={hub} />
          <HubEngagements status={hub} engagements={engagements ?? []} />
          <HubForget onDone={status.reload} />
        </>
      )}
      <HubDeviceKey />
    </section>
  );
}
