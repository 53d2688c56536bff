import { ApiServer } from '../api/api-server';
import { Notebook } from '../notebook/notebook';
import { type CliApi, cliApi } from './cli-api';

/**
 * No process holds the notebook: the CLI opens it itself (taking the lock) and serves the contract
 * in this process, through the same ApiServer the app and the browser host use. Loaded only then
 * (PGlite and the services are not part of the CLI's start otherwise).
 */
export async function openDirect(dir: string): Promise<CliApi & { notebook: Notebook }> {
  const notebook = await Notebook.open(dir, { kind: 'cli' });
  const server = new ApiServer(notebook);
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const session = server.connect((event, payload) => {
    for (const listener of listeners) listener(event, payload);
  });
  const api = cliApi('direct', 'this process', {
    call: (name, request) => session.call(name, request),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      session.close();
      server.close();
      await notebook.close();
    },
  });
  return { ...api, notebook };
}
