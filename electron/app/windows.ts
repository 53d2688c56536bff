import path from 'node:path';
import { type App, BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';
import { APP_ORIGIN, devToolsAllowed } from './security';

/** A window on the renderer: sandboxed, isolated, no Node, no DevTools in a packaged build. */
export function openWindow(app: App, preloadDir: string, hash = ''): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Outpost',
    show: false,
    webPreferences: {
      preload: path.join(preloadDir, 'preload.cjs'),
      // Electron security checklist 2–4 and 6: isolation, sandbox, no Node, web security on.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: devToolsAllowed({ packaged: app.isPackaged }),
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html${hash}`);
  return win;
}

/** The application menu; the developer items (reload, DevTools) only in a development build. */
export function setAppMenu(app: App, newWindow: () => void): void {
  const view: MenuItemConstructorOptions = devToolsAllowed({ packaged: app.isPackaged })
    ? { role: 'viewMenu' }
    : {
        label: 'View',
        submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
      };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [{ label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: newWindow }, { type: 'separator' }, { role: 'quit' }],
      },
      { role: 'editMenu' },
      view,
      { role: 'windowMenu' },
    ]),
  );
}
