import type { ErrorInfo, Result } from '../../shared/errors';
import type { ExternalLinkPrompt } from '../../shared/notes/link-policy';

/** Messages between the Electron main process and the services worker thread. */
export interface ServicesWorkerData {
  notebookDir: string;
  kind: string;
  /** Tests: a migrated database dump to start a new notebook from. */
  templatePath?: string;
  /** Print PDF briefs through the main thread (the desktop app's own Chromium) instead of the system Chromium. */
  printThroughMain?: boolean;
  /** Links are opened by the main thread, after its confirmation dialog (the desktop app). */
  openLinksThroughMain?: boolean;
}

export type ToWorker =
  | { type: 'connect'; session: string }
  | { type: 'call'; session: string; callId: number; name: unknown; request: unknown }
  | { type: 'disconnect'; session: string }
  /** The app:// protocol handler asks for an exported bundle by its one-time token. */
  | { type: 'take-download'; requestId: number; token: string }
  /** The main thread's answer to `print-pdf`. */
  | { type: 'pdf'; requestId: number; bytes: Uint8Array | null; error: ErrorInfo | null }
  /** The main thread's answer to `open-link`: whether the user chose to open it. */
  | { type: 'link'; requestId: number; opened: boolean }
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
  /** A link the user clicked: the main thread asks them (naming the host) and opens it (a worker has no dialogs). */
  | { type: 'open-link'; requestId: number; url: string; prompt: ExternalLinkPrompt }
  | { type: 'closed' };
