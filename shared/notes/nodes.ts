import { mergeAttributes, Node } from '@tiptap/core';
import Image from '@tiptap/extension-image';

/** parseHTML callbacks run only in a browser (paste); typed minimally so shared/ needs no DOM types. */
interface ElementLike {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
const attr = (el: unknown, name: string) => (el as ElementLike).getAttribute(name);

/**
 * Custom nodes of the note schema. They live in shared/ because the main process builds and
 * reads note bodies too (CLI import, Markdown export, link and attachment projections).
 */

/**
 * An inline `[[link]]` to another note — or, with `kind: 'system'`, to a system of the
 * engagement's environment map — by id, so it survives renames. `label` is the title (or system
 * name) when linked. Both kinds are projected to note_links, so a system lists the notes linking it.
 */
export const NoteLink = Node.create({
  name: 'noteLink',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (el) => attr(el, 'data-note-id') ?? attr(el, 'data-system-id'),
        renderHTML: (attrs) => (attrs.kind === 'system' ? { 'data-system-id': attrs.id } : { 'data-note-id': attrs.id }),
      },
      kind: {
        default: 'note',
        parseHTML: (el) => (attr(el, 'data-system-id') ? 'system' : 'note'),
        renderHTML: () => ({}),
      },
      label: {
        default: '',
        parseHTML: (el) => attr(el, 'data-label') ?? (el as ElementLike).textContent?.replace(/^\[\[|\]\]$/g, '') ?? '',
      },
    };
  },

  parseHTML() {
    return [{ tag: 'a[data-note-id]' }, { tag: 'a[data-system-id]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return [
      'a',
      mergeAttributes(HTMLAttributes, {
        class: node.attrs.kind === 'system' ? 'note-link system-link' : 'note-link',
        href: node.attrs.kind === 'system' ? `#/systems/${node.attrs.id}` : `#/notes/${node.attrs.id}`,
        'data-label': node.attrs.label,
      }),
      `[[${node.attrs.label}]]`,
    ];
  },

  renderText({ node }) {
    return `[[${node.attrs.label}]]`;
  },

  renderMarkdown: (node) => `[[${node.attrs?.label ?? ''}]]`,
});

/** A file kept in the notebook's attachment store, referenced by its sha256. */
export const Attachment = Node.create({
  name: 'attachment',
  group: 'block',
  atom: true,
  draggable: true,

  addAttributes() {
    return {
      sha: { default: null, parseHTML: (el) => attr(el, 'data-sha'), renderHTML: (attrs) => ({ 'data-sha': attrs.sha }) },
      name: { default: 'file', parseHTML: (el) => attr(el, 'data-name'), renderHTML: (attrs) => ({ 'data-name': attrs.name }) },
      size: { default: 0, parseHTML: (el) => Number(attr(el, 'data-size') ?? 0), renderHTML: (attrs) => ({ 'data-size': attrs.size }) },
      mime: {
        default: 'application/octet-stream',
        parseHTML: (el) => attr(el, 'data-mime'),
        renderHTML: (attrs) => ({ 'data-mime': attrs.mime }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'div[data-attachment]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return [
      'div',
      mergeAttributes(HTMLAttributes, { 'data-attachment': '', class: 'attachment-chip' }),
      ['a', { href: attachmentUrl(node.attrs.sha), download: node.attrs.name }, `📎 ${node.attrs.name} (${formatBytes(node.attrs.size)})`],
    ];
  },

  renderText({ node }) {
    return `[attachment: ${node.attrs.name}]`;
  },

  renderMarkdown: (node) => `[📎 ${node.attrs?.name ?? 'file'}](${attachmentUrl(node.attrs?.sha ?? '')})`,
});

/** Where an attachment is served from, relative to the app's own origin (app:// or the loopback host). */
export function attachmentUrl(sha: string): string {
  return `attachments/${sha}`;
}

/** The sha256 an attachment URL names, or null. */
export function shaFromAttachmentUrl(url: string): string | null {
  const match = /(?:^|\/)attachments\/([0-9a-f]{64})$/.exec(url);
  return match ? (match[1] as string) : null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Most text kept from one image: a screenshot of a log is not a log archive. */
export const MAX_OCR_TEXT = 20_000;

/**
 * Images (inline screenshots), with the text read from them (offline OCR, electron/ocr): null
 * until read, '' when nothing could be. The main process writes it into the note once, so it
 * travels with the note (bundles, the hub) and feeds search and error signatures like typed text.
 * Never rendered into the HTML (`rendered: false`): the editor shows it under the image on demand.
 */
export const NoteImage = Image.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      ocrText: { default: null, rendered: false, keepOnSplit: false },
    };
  },
}).configure({ inline: false, allowBase64: false });
