import { plural } from '../../shared/plural';
import type { HubStatus } from '../../shared/sync/hub-calls';
import { formatWhen } from './sync-format';

/** The connection as one line a person reads: "Connected since …", "Offline since …". */
export function connectionLine(status: HubStatus): string {
  if (!status.running) return 'Configured: the app syncs while it has this notebook open';
  const since = status.since ? ` since ${formatWhen(status.since)}` : '';
  switch (status.connection) {
    case 'connected':
      return `Connected${since}`;
    case 'connecting':
      return 'Connecting…';
    case 'offline':
      return `Offline${since}: changes wait here and are sent when the hub is back`;
    default:
      return 'Off (no engagement syncs): turn one on below';
  }
}

/** What an engagement's sync is doing, in a few words. */
export function engagementLine(state: HubStatus['engagements'][number]): string {
  const parts = [state.waiting ? `${plural(state.waiting, 'document')} waiting` : 'Up to date'];
  if (state.received) parts.push(`${plural(state.received, 'document')} received`);
  return parts.join(' · ');
}
