import type { CallName, CallResponse, NotebookInfo, ParsedRequest } from '../../shared/api/contract';
import { decodeBytes, encodeBytes } from '../../shared/bytes';
import type { Connection, SyncHub } from '../docs/sync-hub';
import { SCHEMA_VERSION } from '../notebook/migrations';
import type { Notebook } from '../notebook/notebook';

export type Handler<N extends CallName> = (request: ParsedRequest<N>, connection: Connection) => Promise<CallResponse<N>>;
export type Handlers = { [N in CallName]: Handler<N> };

/** The main process's side of the contract: one function per call, each on the notebook's services. */
export function createHandlers(notebook: Notebook, hub: SyncHub, onSettingsChanged: (info: NotebookInfo) => void): Handlers {
  const info = (): NotebookInfo => ({
    notebookId: notebook.settings.notebookId,
    path: notebook.dir,
    schemaVersion: SCHEMA_VERSION,
    device: { id: notebook.device.deviceId, name: notebook.device.name },
    classificationLevels: [...notebook.settings.classificationLevels],
  });

  return {
    'notebook.info': async () => info(),
    'notebook.setClassificationLevels': async ({ levels }) => {
      await notebook.setClassificationLevels(levels);
      onSettingsChanged(info());
      return info();
    },
    'notebook.setDeviceName': async ({ name }) => {
      notebook.setDeviceName(name);
      onSettingsChanged(info());
      return info();
    },
    'engagements.list': async (request) => ({ engagements: await notebook.engagements.list(request) }),
    'engagements.get': async ({ id }) => notebook.engagements.get(id),
    'engagements.create': async (request) => notebook.engagements.create(request),
    'engagements.update': async ({ id, patch }) => notebook.engagements.update(id, patch),
    'sync.message': async ({ docId, message }, connection) => {
      const replies = await hub.handle(connection, docId, decodeBytes(message));
      return { replies: replies.map(encodeBytes) };
    },
    'sync.close': async ({ docId }, connection) => {
      hub.unsubscribe(connection, docId);
      return {};
    },
  };
}
