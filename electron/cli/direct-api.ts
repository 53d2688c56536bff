import { ApiServer } from '../api/api-server';
import { Notebook } from '../notebook/notebook';
import { ChromiumPdfPrinter } from '../stakeholders/pdf-printer';
import { type CliApi, cliApi } from './cli-api';

/**
 * No process holds the notebook: the CLI opens it itself (taking the lock) and serves the contract
 * in this process, through the same ApiServer the app and the browser host use. Loaded only then
 * (PGlite and the services are not part of the CLI's start otherwise). PDFs are printed with the
 * Chromium the CLI's environment names (OUTPOST_CHROMIUM), as the holder prints with its own.
 */
export async function openDirect(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<CliApi & { notebook: Notebook }> {
  const notebook = await Notebook.open(dir, { kind: 'cli' });
  const server = new ApiServer(notebook, { pdfPrinter: new ChromiumPdfPrinter(env) });
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
