import { type RefObject, useEffect } from 'react';
import { useOutpost } from './outpost-context';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

interface ShortcutActions {
  newEngagement(): void;
  openPalette(): void;
  captureFieldLog(): void;
  filter: RefObject<HTMLInputElement | null>;
}

/**
 * Keyboard shortcuts that work anywhere in the app: Alt+N a new engagement, Ctrl/⌘+K the palette,
 * Ctrl/⌘+Shift+L today's field log, / the engagement filter (unless the user is typing). The
 * desktop app's system-wide capture shortcut arrives as the `capture.fieldLog` event.
 */
export function useGlobalShortcuts({ newEngagement, openPalette, captureFieldLog, filter }: ShortcutActions) {
  const { api } = useOutpost();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (event.altKey && !mod && event.code === 'KeyN') {
        event.preventDefault();
        newEngagement();
      } else if (mod && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        openPalette();
      } else if (mod && event.shiftKey && event.code === 'KeyL') {
        event.preventDefault();
        captureFieldLog();
      } else if (event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        filter.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    const offCapture = api.on('capture.fieldLog', () => captureFieldLog());
    return () => {
      window.removeEventListener('keydown', onKey);
      offCapture();
    };
  }, [api, newEngagement, openPalette, captureFieldLog, filter]);
}
