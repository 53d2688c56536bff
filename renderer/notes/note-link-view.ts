import type { NodeViewRendererProps } from '@tiptap/core';
import { NoteLink } from '../../shared/notes/nodes';
import type { NoteTitles } from './note-titles';

/**
 * The [[link]] node in the editor: shows the linked note's current title, or that it is gone. A
 * link to a system of the map (`kind: 'system'`) opens the engagement's map on that system.
 */
export function noteLinkWithTitles(titles: NoteTitles, systemHref?: (id: string) => string) {
  return NoteLink.extend({
    addNodeView() {
      return ({ node }: NodeViewRendererProps) => {
        const dom = document.createElement('a');
        dom.className = 'note-link';
        const id = String(node.attrs.id ?? '');
        if (node.attrs.kind === 'system') {
          dom.classList.add('system-link');
          dom.href = systemHref ? systemHref(id) : '#';
          dom.dataset.systemId = id;
          dom.textContent = `[[${node.attrs.label ?? ''}]]`;
          dom.title = `Show “${node.attrs.label ?? ''}” on the map`;
          return { dom, ignoreMutation: () => true };
        }
        dom.href = `#/notes/${id}`;
        dom.dataset.noteId = id;
        const show = (title: string | null) => {
          dom.textContent = `[[${title ?? node.attrs.label ?? ''}]]`;
          dom.classList.toggle('missing', title === null);
          dom.title = title === null ? 'This note is not in this notebook' : `Open “${title}”`;
        };
        show(node.attrs.label || '…');
        const refresh = () => void titles.title(id).then(show);
        refresh();
        const off = titles.onChange((changed) => changed === id && refresh());
        // The title is ours to change: ProseMirror must not read it back as an edit of the document.
        return { dom, destroy: off, ignoreMutation: () => true };
      };
    },
  });
}
