import type { JSONContent } from '@tiptap/core';
import { MarkdownManager } from '@tiptap/markdown';
import { OutpostError } from '../errors';
import { stripDisallowedLinks } from './link-policy';
import { noteExtensions, noteSchema } from './schema';

let manager: MarkdownManager | null = null;
const markdown = () => {
  manager ??= new MarkdownManager({ extensions: noteExtensions() });
  return manager;
};

/**
 * Markdown → a note body (tiptap JSON) valid in the note schema. Raw HTML in the Markdown is kept
 * as text, never interpreted: it may come from a client's web app.
 */
export function markdownToNoteJSON(source: string, transform?: (parsed: JSONContent) => JSONContent): JSONContent {
  const text = source.replace(/\r\n?/g, '\n');
  let json: JSONContent;
  try {
    // Markdown links skip the link mark's own URL check: apply the notes' link policy here.
    // An importer rewrites what the parser read (wiki links, relative files) before the link policy runs.
    const parsed = markdown().parse(escapeHtml(text));
    json = stripDisallowedLinks(transform ? transform(parsed) : parsed).json;
  } catch (error) {
    throw new OutpostError('invalid_request', `Could not read the Markdown: ${(error as Error).message}`);
  }
  try {
    noteSchema().nodeFromJSON(json).check();
  } catch {
    // Never lose text to a schema mismatch: fall back to one paragraph per line.
    json = {
      type: 'doc',
      content: text
        .split('\n')
        .map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
    };
  }
  return json;
}

export function noteJSONToMarkdown(json: JSONContent): string {
  // A body synced from elsewhere may hold a link the policy refuses: it leaves as plain text.
  return `${markdown().serialize(stripDisallowedLinks(json).json).trim()}\n`;
}

/** `<` outside code becomes an entity so marked reads no HTML; code spans and fences are left alone. */
function escapeHtml(text: string): string {
  const lines = text.split('\n');
  let inFence = false;
  return lines
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return line;
      }
      if (inFence) return line;
      return line
        .split(/(`[^`]*`)/)
        .map((part, i) => (i % 2 ? part : part.replace(/</g, '&lt;')))
        .join('');
    })
    .join('\n');
}
