import { OutpostError } from '../../shared/errors';
import { type ImportRequest, ImportService } from '../import/import-service';
import type { Notebook } from '../notebook/notebook';
import type { Handlers } from './handlers';

export type ImportCallName = 'import.preview' | 'import.run';

/**
 * Imports from other tools. One import runs at a time per notebook (each is one large transaction);
 * progress goes to the connection that asked, as `import.progress` events.
 */
export function createImportHandlers(notebook: Notebook): Pick<Handlers, ImportCallName> {
  const service = new ImportService(notebook.db, notebook.docs, notebook.attachments, notebook.settings, () => notebook.device);
  let running = false;
  const exclusive = async <T>(task: () => Promise<T>): Promise<T> => {
    if (running) throw new OutpostError('conflict', 'Another import is running; wait for it to finish');
    running = true;
    try {
      return await task();
    } finally {
      running = false;
    }
  };
  const request = (
    r: {
      kind: ImportRequest['kind'];
      path: string;
      engagementId?: string | undefined;
      newEngagement?: string | undefined;
      folders: ImportRequest['folders'];
      overwrite: boolean;
      skipInvalid: boolean;
    },
    dryRun: boolean,
  ): ImportRequest => ({ ...r, dryRun });
  return {
    'import.preview': async (r, connection) =>
      exclusive(() => service.run(request(r, true), (p) => connection.emit('import.progress', { runId: r.runId ?? '', ...p }))),
    'import.run': async (r, connection) =>
      exclusive(() => service.run(request(r, false), (p) => connection.emit('import.progress', { runId: r.runId ?? '', ...p }))),
  };
}
