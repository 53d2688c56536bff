import { type App, type BrowserWindow, dialog, type Session, shell } from 'electron';
import type { ExternalLinkPrompt } from '../../shared/notes/link-policy';
import {
  devToolsAllowed,
  navigationAllowed,
  permissionAllowed,
  requestAllowed,
  WEBVIEWS_ALLOWED,
  windowOpenAllowed,
  withContentSecurityPolicy,
} from './security';

/** Applies electron/app/security.ts's rules to the app's session and to every web contents it makes. */
export function lockDown(app: App, session: Session): void {
  const packaged = app.isPackaged;
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !requestAllowed(details.url, { packaged }) }));
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionAllowed(permission)));
  session.setPermissionCheckHandler((_contents, permission) => permissionAllowed(permission));
  session.setDevicePermissionHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => (windowOpenAllowed(url) ? { action: 'allow' } : { action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!navigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!navigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => {
      if (!WEBVIEWS_ALLOWED) event.preventDefault();
    });
    if (!devToolsAllowed({ packaged })) contents.on('devtools-opened', () => contents.closeDevTools());
  });
}

/**
 * Opens a link the user clicked, after a confirmation that names its host (the services worker
 * has checked offline mode and the scheme first). Resolves with whether it was opened.
 */
export async function confirmAndOpen(url: string, prompt: ExternalLinkPrompt, window: BrowserWindow | null): Promise<boolean> {
  const options = {
    type: 'question' as const,
    message: prompt.message,
    detail: prompt.detail,
    buttons: ['Open', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response !== 0) return false;
  await shell.openExternal(url, { activate: true });
  return true;
}
