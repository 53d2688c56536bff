import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, globalShortcut, ipcMain, Menu, net, protocol, session, shell } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/api/contract';
import { toErrorInfo } from '../../shared/errors';
import type { ClientSession } from '../api/endpoint';
import { type ServicesWorker, startServicesWorker } from '../api/worker-client';
import { attachmentHeaders } from '../host/attachment-response';
import { BUNDLE_DOWNLOAD_PATH, bundleDownloadHeaders, bundleRequestAllowed } from '../host/bundle-response';
import { CONTENT_SECURITY_POLICY } from '../host/static-files';
import { notebookLayout, resolveNotebookDir } from '../notebook/paths';
import { ElectronPdfPrinter } from '../stakeholders/electron-pdf-printer';

/**
 * The desktop app. The renderer is served from the privileged app:// scheme (its own origin, so
 * its IndexedDB replica is stable), sandboxed, with no Node and a strict CSP. Every request for
 * anything but app:// and devtools is cancelled: the window cannot reach the network.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const APP_ORIGIN = 'app://outpost';
/** System-wide quick capture (issue: field-log capture from anywhere on the laptop). */
const CAPTURE_ACCELERATOR = 'CommandOrControl+Shift+L';
/** Kept in step with renderer/app/use-hash-route.ts CAPTURE_HASH. */
const CAPTURE_HASH = '#/capture';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
]);

function notebookFlag(argv: string[]): string | undefined {
  const index = argv.indexOf('--notebook');
  if (index >= 0) return argv[index + 1];
  return argv.find((a) => a.startsWith('--notebook='))?.slice('--notebook='.length);
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();

  // The notebook's services (PGlite) run on a worker thread so that database work never stalls
  // the main process, its windows or its IPC.
  const notebookDir = resolveNotebookDir(notebookFlag(process.argv));
  let api: ServicesWorker;
  try {
    const printer = new ElectronPdfPrinter();
    api = await startServicesWorker(
      path.join(here, 'services-worker.js'),
      { notebookDir, kind: 'app', printThroughMain: true },
      { printPdf: (html) => printer.print(html) },
    );
  } catch (error) {
    dialog.showErrorBox('Outpost cannot open the notebook', toErrorInfo(error).message);
    app.exit(toErrorInfo(error).code === 'notebook_locked' ? 3 : 1);
    return;
  }

  // A session of the main process itself, for what the protocol handler needs to know.
  const system = api.connect(() => {});

  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const attachment = /^\/attachments\/([0-9a-f]{64})$/.exec(url.pathname);
    if (attachment) {
      const sha = attachment[1] as string;
      const result = await system.call('attachments.info', { sha256: sha });
      if (!result.ok || !result.value) return new Response('Not found', { status: 404 });
      const info = result.value as { mime: string; name: string; size: number };
      const file = path.join(notebookLayout(notebookDir).attachments, sha.slice(0, 2), sha);
      return new Response(Readable.toWeb(fs.createReadStream(file)) as ReadableStream, { headers: attachmentHeaders(info) });
    }
    // An exported bundle (Sync view), once per token; the services worker hands its bytes over.
    const bundle = BUNDLE_DOWNLOAD_PATH.exec(url.pathname);
    if (bundle) {
      if (request.method !== 'GET') return new Response(null, { status: 405 });
      // Only app:// pages exist in this session (everything else is cancelled); refuse a foreign Origin anyway.
      const origin = request.headers.get('origin') ?? undefined;
      if (!bundleRequestAllowed({ origin }, [APP_ORIGIN])) return new Response('Forbidden', { status: 403 });
      const download = await api.takeBundleDownload(bundle[1] as string);
      if (!download) return new Response('This bundle download has expired or was already used. Export the bundle again.', { status: 404 });
      return new Response(download.bytes as Uint8Array<ArrayBuffer>, { headers: bundleDownloadHeaders(download) });
    }
    const file = path.resolve(rendererDir, `.${decodeURIComponent(url.pathname)}`);
    const inside = file.startsWith(rendererDir + path.sep);
    const target = inside && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(rendererDir, 'index.html');
    return net.fetch(`file://${target}`);
  });

  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith(`${APP_ORIGIN}/`) || details.url.startsWith('devtools://');
    callback({ cancel: !allowed });
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const sessions = new Map<number, ClientSession>();
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name: unknown, request: unknown) => {
    if (!event.senderFrame?.url.startsWith(`${APP_ORIGIN}/`))
      return { ok: false, error: { code: 'transport', message: 'Refused: not the app' } };
    let client = sessions.get(event.sender.id);
    if (!client) {
      const contents = event.sender;
      client = api.connect((evt, payload) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, evt, payload);
      });
      sessions.set(contents.id, client);
      contents.once('destroyed', () => {
        sessions.get(contents.id)?.close();
        sessions.delete(contents.id);
      });
    }
    return client.call(name, request);
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the outside open in the user's browser only if they click them; never in-app.
      if (url.startsWith('https://') || url.startsWith('http://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  const createWindow = (hash = '') => {
    const win = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 720,
      minHeight: 480,
      title: 'Outpost',
      show: false,
      webPreferences: {
        preload: path.join(here, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    win.once('ready-to-show', () => win.show());
    void win.loadURL(`${APP_ORIGIN}/index.html${hash}`);
    return win;
  };

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => createWindow() },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );

  createWindow();

  // Quick capture from anywhere: bring Outpost forward and let the window open today's field log.
  // A window still loading would miss the event, so a new one is opened on the capture route.
  // If another app holds the shortcut, the same keys still work inside Outpost's windows.
  const captured = globalShortcut.register(CAPTURE_ACCELERATOR, () => {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    if (!win || win.webContents.isLoading()) {
      if (!win) createWindow(CAPTURE_HASH);
      else win.webContents.once('did-finish-load', () => void win.loadURL(`${APP_ORIGIN}/index.html${CAPTURE_HASH}`));
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    win.webContents.send(IPC_EVENT_CHANNEL, 'capture.fieldLog', {});
  });
  if (!captured) console.warn(`Outpost: ${CAPTURE_ACCELERATOR} is taken by another application; quick capture works inside Outpost only.`);
  app.on('will-quit', () => globalShortcut.unregisterAll());

  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('activate', () => {
    if (!BrowserWindow.getAllWindows().length) createWindow();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void api.close().finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

void start();
