import { type CallName, calls, type EventName, type EventPayload, isCallName } from '../../shared/api/contract';
import { OutpostError, type Result, toErrorInfo } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { parseOrThrow } from '../../shared/validation';
import { type Connection, SyncHub } from '../docs/sync-hub';
import type { Notebook } from '../notebook/notebook';
import type { PdfPrinter } from '../stakeholders/pdf-printer';
import { type BundleDownload, BundleTransfers } from '../sync/bundle-transfers';
import type { ApiEndpoint, ClientSession, EmitEvent } from './endpoint';
import { createHandlers, type Handler, type Handlers, type LinkOpener } from './handlers';

/**
 * Serves the API contract to any number of renderer connections, whatever carries them
 * (Electron IPC or the browser host's WebSocket). Every request is validated against its
 * schema before a handler runs; every response is validated before it leaves.
 */
export class ApiServer implements ApiEndpoint {
  private readonly hub: SyncHub;
  private readonly handlers: Handlers;
  private readonly connections = new Set<Connection>();
  private readonly stopWatching: () => void;
  private readonly stopHubStatus: () => void;
  private readonly stopHubEditors: () => void;
  private readonly stopOcrProgress: () => void;
  /** Bundle files uploaded for import and exported bundles waiting to be downloaded, per connection. */
  private readonly transfers = new BundleTransfers();

  constructor(
    readonly notebook: Notebook,
    options: { pdfPrinter?: PdfPrinter; linkOpener?: LinkOpener } = {},
  ) {
    this.hub = new SyncHub(notebook.docs);
    this.handlers = createHandlers(
      notebook,
      this.hub,
      (info) => this.broadcast('notebook.changed', info),
      {
        transfers: this.transfers,
        onChanged: () => this.broadcast('bundles.changed', {}),
      },
      options.pdfPrinter,
      options.linkOpener,
    );
    this.stopWatching = notebook.docs.onChange((docId, kind) => {
      const id = docId.slice(docId.indexOf(':') + 1);
      if (kind === 'engagement') this.broadcast('engagements.changed', { ids: [id] });
      if (kind === 'note') this.broadcast('notes.changed', { ids: [id] });
      if (kind === 'playbook') this.broadcast('playbooks.changed', { ids: [id] });
    });
    this.stopHubStatus = notebook.hub.onStatus((status) => this.broadcast('hub.status', status));
    this.stopHubEditors = notebook.hub.onEditors((docId, editors) => this.broadcast('hub.editors', { docId, editors }));
    this.stopOcrProgress = notebook.ocr.onProgress((progress) => this.broadcast('ocr.progress', progress));
  }

  connect(emit: EmitEvent): ClientSession {
    const connection: Connection = { id: newId(), emit: emit as Connection['emit'] };
    this.connections.add(connection);
    return {
      id: connection.id,
      call: (name, request) => this.call(connection, name, request),
      close: () => {
        this.connections.delete(connection);
        this.hub.disconnect(connection);
        this.notebook.attachments.abortUploads(connection.id);
        this.transfers.dropOwner(connection.id);
        void this.notebook.hub.releaseConnection(connection.id).catch(() => {});
      },
    };
  }

  async call(connection: Connection, name: unknown, request: unknown): Promise<Result<unknown>> {
    try {
      if (!isCallName(name)) throw new OutpostError('unknown_call', `Unknown call ${JSON.stringify(String(name)).slice(0, 80)}`);
      const spec = calls[name];
      const parsed = parseOrThrow(spec.request, request ?? {}, `request for ${name}`);
      const handler = this.handlers[name] as Handler<CallName>;
      const value = await handler(parsed as never, connection);
      const checked = spec.response.safeParse(value);
      if (!checked.success)
        throw new OutpostError('internal', `The response to ${name} broke the contract: ${checked.error.issues[0]?.message}`);
      return { ok: true, value: checked.data };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  }

  /** An exported bundle, once (GET /bundles/<token> in the browser host and under app://). */
  async takeBundleDownload(token: string): Promise<BundleDownload | null> {
    return this.transfers.downloads.take(token);
  }

  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const connection of this.connections)
      connection.emit(event as 'engagements.changed', payload as EventPayload<'engagements.changed'>);
  }

  close(): void {
    this.stopWatching();
    this.stopHubStatus();
    this.stopHubEditors();
    this.stopOcrProgress();
    this.transfers.dropOwner();
    for (const connection of this.connections) this.hub.disconnect(connection);
    this.connections.clear();
  }
}
