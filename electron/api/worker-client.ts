import { Worker } from 'node:worker_threads';
import { fromErrorInfo, type Result, toErrorInfo } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { BundleDownload } from '../sync/bundle-transfers';
import type { ApiEndpoint, ClientSession, EmitEvent } from './endpoint';
import type { LinkOpener } from './handlers';
import type { FromWorker, ServicesWorkerData, ToWorker } from './worker-protocol';

export interface ServicesWorker extends ApiEndpoint {
  /** Saves what is pending, closes the notebook (releasing its lock) and ends the thread. */
  close(): Promise<void>;
}

/** Starts the services worker and resolves once the notebook is open (or rejects with why not). */
export function startServicesWorker(
  file: string | URL,
  data: ServicesWorkerData,
  options: { printPdf?: (html: string) => Promise<Uint8Array>; openLink?: LinkOpener } = {},
): Promise<ServicesWorker> {
  const worker = new Worker(file, { workerData: data });
  const post = (message: ToWorker) => worker.postMessage(message);
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const emitters = new Map<string, EmitEvent>();
  const downloads = new Map<number, (download: BundleDownload | null) => void>();
  let nextCall = 1;
  let closed: (() => void) | null = null;

  return new Promise((resolve, reject) => {
    worker.on('error', (error) => reject(error));
    worker.on('exit', () => {
      for (const done of pending.values()) done({ ok: false, error: { code: 'transport', message: 'The notebook services stopped.' } });
      pending.clear();
      for (const done of downloads.values()) done(null);
      downloads.clear();
      closed?.();
    });
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          resolve(endpoint);
          break;
        case 'failed':
          reject(fromErrorInfo(message.error));
          void worker.terminate();
          break;
        case 'result':
          pending.get(message.callId)?.(message.result);
          pending.delete(message.callId);
          break;
        case 'event':
          emitters.get(message.session)?.(message.event as never, message.payload as never);
          break;
        case 'download':
          downloads.get(message.requestId)?.(message.download);
          downloads.delete(message.requestId);
          break;
        case 'print-pdf': {
          const { requestId, html } = message;
          const print = options.printPdf ?? (() => Promise.reject(new Error('this process cannot print')));
          print(html).then(
            (bytes) => post({ type: 'pdf', requestId, bytes, error: null }),
            (error: unknown) => post({ type: 'pdf', requestId, bytes: null, error: toErrorInfo(error) }),
          );
          break;
        }
        case 'open-link': {
          const { requestId, url, prompt } = message;
          const open = options.openLink ?? (async () => false);
          open(url, prompt).then(
            (opened) => post({ type: 'link', requestId, opened }),
            () => post({ type: 'link', requestId, opened: false }),
          );
          break;
        }
        case 'closed':
          closed?.();
          break;
      }
    });

    const endpoint: ServicesWorker = {
      connect(emit: EmitEvent): ClientSession {
        const session = newId();
        emitters.set(session, emit);
        post({ type: 'connect', session });
        return {
          id: session,
          call: (name, request) =>
            new Promise((done) => {
              const callId = nextCall++;
              pending.set(callId, done);
              post({ type: 'call', session, callId, name, request });
            }),
          close: () => {
            emitters.delete(session);
            post({ type: 'disconnect', session });
          },
        };
      },
      takeBundleDownload: (token) =>
        new Promise((done) => {
          const requestId = nextCall++;
          downloads.set(requestId, done);
          post({ type: 'take-download', requestId, token });
        }),
      close: () =>
        new Promise<void>((done) => {
          closed = done;
          post({ type: 'close' });
        }),
    };
  });
}
