import { type AnyExtension, getSchema } from '@tiptap/core';
import Highlight from '@tiptap/extension-highlight';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { isAllowedHref } from './link-policy';
import { Attachment, NoteImage, NoteLink } from './nodes';

/**
 * The note schema: every node and mark a note body may hold. The renderer's editor and the main
 * process build it from this one list, so a body written on one side always parses on the other.
 * `codeBlock` lets the renderer swap in the syntax-highlighting variant (same node, same attrs).
 */
export function noteExtensions(options: { codeBlock?: AnyExtension } = {}): AnyExtension[] {
  return [
    StarterKit.configure({
      // Undo/redo comes from Yjs' UndoManager (local edits only), not ProseMirror's history.
      undoRedo: false,
      ...(options.codeBlock ? { codeBlock: false } : {}),
      // Only web and mail links (shared/notes/link-policy.ts): a pasted or synced `javascript:`
      // link is not parsed, and one already in a body is rendered without its href.
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https', isAllowedUri: (url) => isAllowedHref(url) },
    }),
    ...(options.codeBlock ? [options.codeBlock] : []),
    TaskList,
    TaskItem.configure({ nested: true }),
    TableKit.configure({ table: { resizable: false } }),
    Highlight,
    NoteImage,
    NoteLink,
    Attachment,
  ];
}

let schema: Schema | null = null;

export function noteSchema(): Schema {
  schema ??= getSchema(noteExtensions());
  return schema;
}
