import type { Editor } from '@tiptap/core';

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
