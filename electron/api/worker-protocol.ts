import type { ErrorInfo, Result } from '../../shared/errors';

/** Messages between the Electron main process and the services worker thread. */
export interface ServicesWorkerData {
  notebookDir: string;
  kind: string;
  /** Tests: a migrated database dump to start a new notebook from. */
  templatePath?: string;
  /** Print PDF briefs through the main thread (the desktop app's own Chromium) instead of the system Chromium. */
  printThroughMain?: boolean;
}

export type ToWorker =
  | { type: 'connect'; session: string }
  | { type: 'call'; session: string; callId: number; name: unknown; request: unknown }
  | { type: 'disconnect'; session: string }
  /** The app:// protocol handler asks for an exported bundle by its one-time token. */
  | { type: 'take-download'; requestId: number; token: string }
  /** The main thread's answer to `print-pdf`. */
  | { type: 'pdf'; requestId: number; bytes: Uint8Array | null; error: ErrorInfo | null }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'result'; callId: number; result: Result<unknown> }
  | { type: 'event'; session: string; event: string; payload: unknown }
  /** The bundle's bytes (their buffer transferred, not copied), or null. */
  | { type: 'download'; requestId: number; download: { bytes: Uint8Array; fileName: string } | null }
  /** A brief to print to PDF in the main thread (a worker has no windows). */
  | { type: 'print-pdf'; requestId: number; html: string }
  | { type: 'closed' };
