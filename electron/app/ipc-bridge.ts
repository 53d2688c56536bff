import { ipcMain } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/api/ipc-channels';
import type { ApiEndpoint, ClientSession } from '../api/endpoint';
import { isAppUrl } from './security';

/**
 * The one IPC channel for contract calls: each window gets its own session on the services, and
 * a call from anything but an app:// frame is refused. Events go back on the event channel.
 */
export function serveContractOverIpc(api: ApiEndpoint): void {
  const sessions = new Map<number, ClientSession>();
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name: unknown, request: unknown) => {
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url))
      return { ok: false, error: { code: 'transport', message: 'Refused: not the app' } };
    let client = sessions.get(event.sender.id);
    if (!client) {
      const contents = event.sender;
      client = api.connect((evt, payload) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, evt, payload);
      });
      sessions.set(contents.id, client);
      contents.once('destroyed', () => {
        sessions.get(contents.id)?.close();
        sessions.delete(contents.id);
      });
    }
    return client.call(name, request);
  });
}
