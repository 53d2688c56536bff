import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../shared/errors';
import { Notebook } from '../notebook/notebook';
import { WorkerPdfPrinter } from '../stakeholders/worker-pdf-printer';
import { ApiServer } from './api-server';
import type { ClientSession } from './endpoint';
import type { LinkOpener } from './handlers';
import { openChannelOrWarn } from './local-channel';
import { MainThreadRequests } from './main-thread-requests';
import type { FromWorker, ServicesWorkerData, ToWorker } from './worker-protocol';

/**
 * The notebook's services on a worker thread of the Electron main process: PGlite runs WASM
 * synchronously, so on the main thread a heavy query would stall window management and every
 * IPC reply. Here it stalls nothing but itself.
 */
const port = parentPort;
if (!port) throw new Error('services-worker must run as a worker thread');
const data = workerData as ServicesWorkerData;
const post = (message: FromWorker) => port.postMessage(message);

async function main(): Promise<void> {
  let notebook: Notebook;
  try {
    const template = data.templatePath ? new Blob([fs.readFileSync(data.templatePath)]) : undefined;
    notebook = await Notebook.open(data.notebookDir, { kind: data.kind, serveCommands: true, ...(template && { template }) });
  } catch (error) {
    post({ type: 'failed', error: toErrorInfo(error) });
    return;
  }
  const printer = data.printThroughMain ? new WorkerPdfPrinter((requestId, html) => post({ type: 'print-pdf', requestId, html })) : null;
  const links = new MainThreadRequests<boolean>();
  const linkOpener: LinkOpener = (url, prompt) => links.ask((requestId) => post({ type: 'open-link', requestId, url, prompt }));
  const server = new ApiServer(notebook, {
    ...(printer && { pdfPrinter: printer }),
    ...(data.openLinksThroughMain && { linkOpener }),
  });
  const channel = await openChannelOrWarn(data.notebookDir, server, data.kind);
  const sessions = new Map<string, ClientSession>();

  port?.on('message', async (message: ToWorker) => {
    switch (message.type) {
      case 'connect':
        sessions.set(
          message.session,
          server.connect((event, payload) => post({ type: 'event', session: message.session, event, payload })),
        );
        break;
      case 'call': {
        const session = sessions.get(message.session);
        const result = session
          ? await session.call(message.name, message.request)
          : { ok: false as const, error: { code: 'transport' as const, message: 'Unknown session' } };
        post({ type: 'result', callId: message.callId, result });
        break;
      }
      case 'take-download': {
        const download = await server.takeBundleDownload(message.token);
        if (!download) {
          post({ type: 'download', requestId: message.requestId, download: null });
          break;
        }
        // Hand the buffer over instead of copying it (a bundle may be up to a gigabyte); a view
        // into a larger or pooled buffer is copied first so nothing else is detached.
        const own =
          !Buffer.isBuffer(download.bytes) &&
          download.bytes.byteOffset === 0 &&
          download.bytes.byteLength === download.bytes.buffer.byteLength &&
          download.bytes.buffer instanceof ArrayBuffer;
        const bytes = own ? download.bytes : new Uint8Array(download.bytes);
        port.postMessage(
          { type: 'download', requestId: message.requestId, download: { bytes, fileName: download.fileName } } satisfies FromWorker,
          [bytes.buffer as ArrayBuffer],
        );
        break;
      }
      case 'pdf':
        printer?.settle(message.requestId, message.bytes, message.error);
        break;
      case 'link':
        links.settle(message.requestId, message.opened);
        break;
      case 'disconnect':
        sessions.get(message.session)?.close();
        sessions.delete(message.session);
        break;
      case 'close':
        await channel?.close();
        server.close();
        await notebook.close();
        post({ type: 'closed' });
        port?.close();
        break;
    }
  });
  post({ type: 'ready' });
}

void main();
