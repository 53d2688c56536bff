import { type BrowserWindow, globalShortcut } from 'electron';
import { IPC_EVENT_CHANNEL } from '../../shared/api/ipc-channels';
import { APP_ORIGIN } from './security';

/** System-wide quick capture (a field-log line from anywhere on the laptop). */
const CAPTURE_ACCELERATOR = 'CommandOrControl+Shift+L';
/** Kept in step with renderer/app/use-hash-route.ts CAPTURE_HASH. */
export const CAPTURE_HASH = '#/capture';

/**
 * Brings Outpost forward and lets the window open today's field log. A window still loading would
 * miss the event, so it is sent to the capture route instead. If another app holds the shortcut,
 * the same keys still work inside Outpost's windows.
 */
export function registerCaptureShortcut(windows: { focused(): BrowserWindow | null; open(hash: string): void }): void {
  const captured = globalShortcut.register(CAPTURE_ACCELERATOR, () => {
    const win = windows.focused();
    if (!win) {
      windows.open(CAPTURE_HASH);
      return;
    }
    if (win.webContents.isLoading()) {
      win.webContents.once('did-finish-load', () => void win.loadURL(`${APP_ORIGIN}/index.html${CAPTURE_HASH}`));
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    win.webContents.send(IPC_EVENT_CHANNEL, 'capture.fieldLog', {});
  });
  if (!captured) console.warn(`Outpost: ${CAPTURE_ACCELERATOR} is taken by another application; quick capture works inside Outpost only.`);
}

export function unregisterCaptureShortcut(): void {
  globalShortcut.unregisterAll();
}
