import type { CallName, CallResponse, ParsedRequest } from '../../shared/api/contract';
import { decodeBytes, encodeBytes } from '../../shared/bytes';
import { OutpostError } from '../../shared/errors';
import type { NotebookInfo } from '../../shared/notebook/calls';
import { type ExternalLinkPrompt, externalLinkPrompt } from '../../shared/notes/link-policy';
import { keyFingerprint } from '../../shared/sync/bundle-crypto';
import type { Connection, SyncHub } from '../docs/sync-hub';
import { SCHEMA_VERSION } from '../notebook/migrations';
import type { Notebook } from '../notebook/notebook';
import { ChromiumPdfPrinter, type PdfPrinter } from '../stakeholders/pdf-printer';
import type { BundleTransfers } from '../sync/bundle-transfers';
import { createBundleHandlers } from './bundle-handlers';
import { createDebuggingHandlers } from './debugging-handlers';
import { createHistoryHandlers } from './history-handlers';
import { createHubHandlers } from './hub-handlers';
import { createImportHandlers } from './import-handlers';
import { createLessonExportHandlers } from './lesson-export-handlers';
import { createLessonHandlers } from './lesson-handlers';
import { createMapHandlers } from './map-handlers';
import { createStakeholderHandlers } from './stakeholder-handlers';

/** Shows the confirmation and opens the link; resolves with whether the user chose to open it. */
export type LinkOpener = (url: string, prompt: ExternalLinkPrompt) => Promise<boolean>;

export type Handler<N extends CallName> = (request: ParsedRequest<N>, connection: Connection) => Promise<CallResponse<N>>;
export type Handlers = { [N in CallName]: Handler<N> };

/** The main process's side of the contract: one function per call, each on the notebook's services. */
export function createHandlers(
  notebook: Notebook,
  hub: SyncHub,
  onSettingsChanged: (info: NotebookInfo) => void,
  bundles: { transfers: BundleTransfers; onChanged: () => void },
  /** Prints briefs to PDF: the system Chromium unless the host has its own (the desktop app's Electron). */
  pdfPrinter: PdfPrinter = new ChromiumPdfPrinter(),
  /** Asks the user and opens a link outside the app (the desktop app); absent in browser mode, where the page asks. */
  linkOpener?: LinkOpener,
): Handlers {
  const info = (): NotebookInfo => ({
    notebookId: notebook.settings.notebookId,
    path: notebook.dir,
    schemaVersion: SCHEMA_VERSION,
    device: {
      id: notebook.device.deviceId,
      name: notebook.device.name,
      publicKey: encodeBytes(notebook.keys.publicKey),
      fingerprint: keyFingerprint(notebook.keys.publicKey),
    },
    classificationLevels: [...notebook.settings.classificationLevels],
    attachmentMaxBytes: notebook.settings.attachmentMaxBytes,
    externalLinks: notebook.settings.externalLinks,
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
    'notebook.setAttachmentLimit': async ({ bytes }) => {
      await notebook.settings.setAttachmentMaxBytes(bytes);
      onSettingsChanged(info());
      return info();
    },
    'notebook.rebuildProjections': async () => ({ tables: await notebook.rebuildProjections() }),
    'notebook.check': async () => ({ checks: await notebook.check() }),
    'notebook.setExternalLinks': async ({ mode }) => {
      await notebook.settings.setExternalLinks(mode);
      onSettingsChanged(info());
      return info();
    },
    'links.openExternal': async ({ url }) => {
      if (notebook.settings.externalLinks === 'never')
        throw new OutpostError(
          'offline_mode',
          'Outpost is in offline mode: it opens nothing outside the app. Copy the address instead, or allow opening links in Settings.',
        );
      const prompt = externalLinkPrompt(url);
      if (!prompt) throw new OutpostError('invalid_request', 'Only web (http, https) and mail links can be opened outside Outpost.');
      if (!linkOpener) return { outcome: 'confirm-in-page', ...prompt };
      return { outcome: (await linkOpener(url, prompt)) ? 'opened' : 'declined', ...prompt };
    },
    'engagements.list': async (request) => ({ engagements: await notebook.engagements.list(request) }),
    'engagements.get': async ({ id }) => notebook.engagements.get(id),
    'engagements.resolve': async ({ ref }) => ({ id: await notebook.engagements.resolve(ref) }),
    'engagements.shown': async ({ id }) => {
      await notebook.engagements.get(id);
      await notebook.settings.setLastShownEngagement(id);
      return {};
    },
    'engagements.create': async (request) => notebook.engagements.create(request),
    'engagements.update': async ({ id, patch }) => notebook.engagements.update(id, patch),
    'notes.create': async (request) => notebook.notes.create(request),
    'notes.get': async ({ id }) => notebook.notes.summary(id),
    'notes.resolve': async ({ ref, engagementId }) => ({ id: await notebook.notes.resolve(ref, engagementId) }),
    'notes.markdown': async ({ id, upto }) => {
      if (upto !== undefined) {
        const old = await notebook.history.at(id, upto);
        return { title: old.title, markdown: old.markdown };
      }
      return { title: (await notebook.notes.summary(id)).title, ...(await notebook.notes.markdownWithLinks(id)) };
    },
    'notes.capture': async (request) => notebook.notes.capture(request),
    'notes.update': async ({ id, patch }) => notebook.notes.update(id, patch),
    'notes.list': async (request) => notebook.notes.list(request),
    'notes.backlinks': async ({ id }) => ({ notes: await notebook.notes.backlinks(id) }),
    'notes.search': async ({ query, filter, limit }) => ({ hits: await notebook.notes.search(query, filter, limit) }),
    'notes.fieldLog': async ({ engagementId, date }) => notebook.notes.fieldLog(engagementId, date),
    ...createHistoryHandlers(notebook),
    'attachments.begin': async ({ name, mime, size }, connection) => ({
      uploadId: notebook.attachments.begin(connection.id, name, mime, size),
    }),
    'attachments.chunk': async ({ uploadId, index, data }, connection) => {
      notebook.attachments.chunk(connection.id, uploadId, index, decodeBytes(data));
      return {};
    },
    'attachments.commit': async ({ uploadId }, connection) => notebook.attachments.commit(connection.id, uploadId),
    'attachments.info': async ({ sha256 }) => notebook.attachments.info(sha256),
    'attachments.read': async ({ sha256, offset, length }) => {
      const part = await notebook.attachments.readPart(sha256, offset, length);
      if (!part) throw new OutpostError('not_found', `This notebook has no attachment ${sha256.slice(0, 12)}…`);
      return { data: encodeBytes(part.data), size: part.info.size };
    },
    'sync.message': async ({ docId, message }, connection) => {
      const replies = await hub.handle(connection, docId, decodeBytes(message));
      return { replies: replies.map(encodeBytes) };
    },
    'sync.close': async ({ docId }, connection) => {
      hub.unsubscribe(connection, docId);
      return {};
    },
    ...createBundleHandlers(notebook, bundles.transfers, bundles.onChanged),
    ...createMapHandlers(notebook, bundles.transfers),
    ...createStakeholderHandlers(notebook, bundles.transfers, () => pdfPrinter),
    ...createLessonHandlers(notebook),
    ...createLessonExportHandlers(notebook, bundles.transfers, () => pdfPrinter),
    ...createImportHandlers(notebook),
    ...createDebuggingHandlers(notebook),
    ...createHubHandlers(notebook),
  };
}
