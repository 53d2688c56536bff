import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import { toErrorInfo } from '../../shared/errors';
import { type ServicesWorker, startServicesWorker } from '../api/worker-client';
import { resolveNotebookDir } from '../notebook/paths';
import { restrictNewFiles } from '../notebook/permissions';
import { ElectronPdfPrinter } from '../stakeholders/electron-pdf-printer';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { registerCaptureShortcut, unregisterCaptureShortcut } from './capture-shortcut';
import { serveContractOverIpc } from './ipc-bridge';
import { confirmAndOpen, lockDown } from './lockdown';
import { openWindow, setAppMenu } from './windows';

/**
 * The desktop app. The renderer is served from the privileged app:// scheme (its own origin, so
 * its IndexedDB replica is stable), sandboxed, with no Node and a strict CSP; the session refuses
 * every request but app:// (electron/app/security.ts holds the rules). The notebook's services
 * (PGlite) run on a worker thread so that database work never stalls windows or IPC.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');

registerAppScheme();

function notebookFlag(argv: string[]): string | undefined {
  const index = argv.indexOf('--notebook');
  if (index >= 0) return argv[index + 1];
  return argv.find((a) => a.startsWith('--notebook='))?.slice('--notebook='.length);
}

async function openServices(notebookDir: string): Promise<ServicesWorker | null> {
  // Before the worker exists (a worker thread cannot set it): everything the notebook writes is owner-only.
  restrictNewFiles();
  try {
    const printer = new ElectronPdfPrinter();
    return await startServicesWorker(
      path.join(here, 'services-worker.js'),
      { notebookDir, kind: 'app', printThroughMain: true, openLinksThroughMain: true },
      {
        printPdf: (html) => printer.print(html),
        openLink: (url, prompt) => confirmAndOpen(url, prompt, BrowserWindow.getFocusedWindow()),
      },
    );
  } catch (error) {
    dialog.showErrorBox('Outpost cannot open the notebook', toErrorInfo(error).message);
    app.exit(toErrorInfo(error).code === 'notebook_locked' ? 3 : 1);
    return null;
  }
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const notebookDir = resolveNotebookDir(notebookFlag(process.argv));
  const api = await openServices(notebookDir);
  if (!api) return;

  lockDown(app, session.defaultSession);
  serveAppProtocol({ rendererDir, notebookDir, api, system: api.connect(() => {}) });
  serveContractOverIpc(api);

  const newWindow = (hash = '') => openWindow(app, here, hash);
  setAppMenu(app, () => newWindow());
  newWindow();
  registerCaptureShortcut({
    focused: () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null,
    open: (hash) => newWindow(hash),
  });

  app.on('will-quit', unregisterCaptureShortcut);
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('activate', () => {
    if (!BrowserWindow.getAllWindows().length) newWindow();
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
