import type { Editor } from '@tiptap/core';
import type { EngagementSummary } from '../../shared/engagements/model';
import { pickCaptureEngagement } from '../../shared/notes/capture';

/**
 * Quick field-log capture: the shortcut opens today's log, and the editor, once ready, appends
 * a timestamped line and puts the cursor after it.
 */
const pending = new Set<string>();

export function requestCapture(noteId: string): void {
  pending.add(noteId);
}

export function appendCaptureLine(editor: Editor, noteId: string, now: Date = new Date()): void {
  if (!pending.delete(noteId)) return;
  const time = now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  const end = editor.state.doc.content.size;
  editor
    .chain()
    .insertContentAt(end, { type: 'paragraph', content: [{ type: 'text', text: `${time} — ` }] })
    .focus('end')
    .run();
}

/** The user's local date as YYYY-MM-DD (a field log belongs to the day on site, not in UTC). */
export function localDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const LAST_ENGAGEMENT_KEY = 'outpost.lastEngagement';

/** Remembers the engagement last shown, so a capture from outside the app goes where the user was. */
export function rememberEngagement(id: string): void {
  try {
    localStorage.setItem(LAST_ENGAGEMENT_KEY, id);
  } catch {
    // Storage can be unavailable (private mode, quota): the fallbacks below still pick one.
  }
}

/**
 * Where a capture goes when no engagement is in view (shared/notes/capture.ts decides, as it does
 * for `outpost log`), with this browser's memory of the engagement last shown.
 */
export function captureEngagement(engagements: EngagementSummary[]): string | undefined {
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_ENGAGEMENT_KEY);
  } catch {
    last = null;
  }
  return pickCaptureEngagement(engagements, last);
}
