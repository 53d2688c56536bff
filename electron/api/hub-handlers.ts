import type { Notebook } from '../notebook/notebook';
import type { Handlers } from './handlers';

export type HubCallName = 'hub.status' | 'hub.connect' | 'hub.setEngagement' | 'hub.disconnect' | 'hub.editing';

/** The team hub: its settings and the live sync's status (the sync itself runs in `notebook.hub`). */
export function createHubHandlers(notebook: Notebook): Pick<Handlers, HubCallName> {
  return {
    'hub.status': () => notebook.hub.status(),
    'hub.connect': ({ url, trust, engagementId }) => notebook.hub.connect(url, trust, engagementId),
    'hub.setEngagement': ({ engagementId, enabled }) => notebook.hub.setEngagement(engagementId, enabled),
    'hub.disconnect': () => notebook.hub.disconnect(),
    'hub.editing': async ({ docId, editing }, connection) => ({
      docId,
      editors: await notebook.hub.setEditing(connection.id, docId, editing),
    }),
  };
}
