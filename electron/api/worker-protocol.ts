import type { ErrorInfo, Result } from '../../shared/errors';

/** Messages between the Electron main process and the services worker thread. */
export interface ServicesWorkerData {
  notebookDir: string;
  kind: string;
  /** Tests: a migrated database dump to start a new notebook from. */
  templatePath?: string;
}

export type ToWorker =
  | { type: 'connect'; session: string }
  | { type: 'call'; session: string; callId: number; name: unknown; request: unknown }
  | { type: 'disconnect'; session: string }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'result'; callId: number; result: Result<unknown> }
  | { type: 'event'; session: string; event: string; payload: unknown }
  | { type: 'closed' };
