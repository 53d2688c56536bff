import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { OutpostError } from '../errors';
import { parseOrThrow } from '../validation';
import { markdownToNoteJSON } from './markdown';
import { NOTE_TYPES, type NoteMeta, type NotePatch, type NoteType, noteMetaFieldSchemas, notePatchSchema } from './model';
import { MAX_OCR_TEXT, shaFromAttachmentUrl } from './nodes';
import { noteSchema } from './schema';

/**
 * A note's own Y.Doc holds its metadata and its body, so a note can be left out of a bundle
 * whole, title included (DESIGN.md). Scalar metadata are Y.Map entries (concurrent edits of
 * different fields both survive); tags are a Y.Map used as a set (concurrent adds both survive);
 * the body is the Y.XmlFragment the tiptap editor binds to.
 */
export const NOTE_KEYS = { meta: 'meta', tags: 'tags', body: 'body' } as const;

type Scalar = string | boolean | null;

export const noteMetaMap = (doc: Y.Doc) => doc.getMap<Scalar>(NOTE_KEYS.meta);
export const noteTagsMap = (doc: Y.Doc) => doc.getMap<true>(NOTE_KEYS.tags);
export const noteBody = (doc: Y.Doc) => doc.getXmlFragment(NOTE_KEYS.body);

/** What a new note's doc starts with: all of its metadata. */
export type NoteInit = NoteMeta;

/** Fills an empty doc: metadata, then the body from tiptap JSON (validated against the note schema). */
export function initNoteDoc(doc: Y.Doc, init: NoteInit, body: JSONContent): void {
  let node: ReturnType<ReturnType<typeof noteSchema>['nodeFromJSON']>;
  try {
    node = noteSchema().nodeFromJSON(body);
    node.check();
  } catch (error) {
    throw new OutpostError('invalid_request', `The note body does not fit the note schema: ${(error as Error).message}`);
  }
  doc.transact(() => {
    const meta = noteMetaMap(doc);
    for (const key of ['id', 'engagementId', 'title', 'type', 'classification', 'pinned', 'createdAt', 'authorId', 'authorName'] as const) {
      meta.set(key, init[key]);
    }
    const tags = noteTagsMap(doc);
    for (const tag of init.tags) tags.set(tag, true);
    prosemirrorJSONToYXmlFragment(noteSchema(), node.toJSON(), noteBody(doc));
  });
}

/** A new note's first content: its metadata, and its body as Markdown or as note JSON. */
export interface NewNoteContent {
  init: NoteInit;
  body: { markdown: string } | { json: JSONContent };
}

/** `initNoteDoc` from a new note's content, parsing a Markdown body first (bulk writes build notes on a worker too). */
export function initNoteDocFrom(doc: Y.Doc, content: NewNoteContent): void {
  initNoteDoc(doc, content.init, 'markdown' in content.body ? markdownToNoteJSON(content.body.markdown) : content.body.json);
}

/**
 * Makes the body equal to `body` (an earlier version being restored) as one edit. The binding
 * compares the two and changes only the blocks that differ, so unchanged paragraphs keep their
 * identity and a teammate's concurrent edits elsewhere still merge.
 */
export function replaceNoteBody(doc: Y.Doc, body: JSONContent, origin?: unknown): void {
  const node = noteSchema().nodeFromJSON(body);
  node.check();
  doc.transact(() => prosemirrorJSONToYXmlFragment(noteSchema(), node.toJSON(), noteBody(doc)), origin);
}

/** Reads metadata defensively: a value that fails its schema falls back to a safe default. */
export function readNoteMeta(doc: Y.Doc): NoteMeta {
  const meta = noteMetaMap(doc);
  const text = (key: string) => {
    const value = meta.get(key);
    return typeof value === 'string' ? value : '';
  };
  const type = meta.get('type');
  const title = noteMetaFieldSchemas.title.safeParse(meta.get('title'));
  return {
    id: text('id'),
    engagementId: text('engagementId'),
    title: title.success ? title.data : '',
    type: (NOTE_TYPES as readonly unknown[]).includes(type) ? (type as NoteType) : 'general',
    classification: text('classification'),
    tags: [...noteTagsMap(doc).keys()].sort(),
    pinned: meta.get('pinned') === true,
    createdAt: text('createdAt'),
    authorId: text('authorId'),
    authorName: text('authorName'),
  };
}

/** Applies validated metadata changes in one transaction. Tags: the new set replaces the old. */
export function applyNotePatch(doc: Y.Doc, patch: NotePatch, origin?: unknown): void {
  const parsed = parseOrThrow(notePatchSchema, patch, 'note change');
  doc.transact(() => {
    const meta = noteMetaMap(doc);
    for (const key of ['title', 'type', 'classification', 'pinned'] as const) {
      if (parsed[key] !== undefined && meta.get(key) !== parsed[key]) meta.set(key, parsed[key] as Scalar);
    }
    if (parsed.tags) {
      const tags = noteTagsMap(doc);
      for (const tag of [...tags.keys()]) if (!parsed.tags.includes(tag)) tags.delete(tag);
      for (const tag of parsed.tags) if (!tags.has(tag)) tags.set(tag, true);
    }
  }, origin);
}

/** The body as tiptap JSON (for Markdown export and the CLI). */
export function noteBodyJSON(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProsemirrorJSON(noteBody(doc)) as JSONContent;
}

/** A `[[link]]` in a body, as the Markdown shows it (`[[label]]`) and where it points. */
export interface BodyLink {
  id: string;
  kind: 'note' | 'system';
  label: string;
}

/** The body's links in the order the Markdown shows them, so an export can say where each `[[label]]` points. */
export function linksInOrder(json: JSONContent): BodyLink[] {
  const links: BodyLink[] = [];
  const walk = (node: JSONContent) => {
    if (node.type === 'noteLink' && typeof node.attrs?.id === 'string')
      links.push({ id: node.attrs.id, kind: node.attrs.kind === 'system' ? 'system' : 'note', label: String(node.attrs.label ?? '') });
    for (const child of node.content ?? []) walk(child);
  };
  walk(json);
  return links;
}

const BLOCKS = new Set([
  'paragraph',
  'heading',
  'codeBlock',
  'listItem',
  'taskItem',
  'tableCell',
  'tableHeader',
  'blockquote',
  'attachment',
  'image',
]);

export interface BodyFacts {
  /** Plain text, one line per block: what full-text search indexes. */
  text: string;
  words: number;
  /** Ids of notes this one links to with [[…]]. */
  links: string[];
  /** sha256 of every attachment and image the body references. */
  attachments: string[];
}

/** Walks the body once and collects what projections need. Pure Yjs, no editor. */
export function bodyFacts(fragment: Y.XmlFragment): BodyFacts {
  const parts: string[] = [];
  const links = new Set<string>();
  const attachments = new Set<string>();
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as Array<{ insert: unknown }>) if (typeof op.insert === 'string') parts.push(op.insert);
      return;
    }
    if (node instanceof Y.XmlElement) {
      const name = node.nodeName;
      if (name === 'noteLink') {
        const id = node.getAttribute('id');
        if (typeof id === 'string') links.add(id);
        parts.push(`[[${String(node.getAttribute('label') ?? '')}]]`);
        return;
      }
      if (name === 'attachment') {
        const sha = node.getAttribute('sha');
        if (typeof sha === 'string') attachments.add(sha);
        parts.push(` ${String(node.getAttribute('name') ?? '')}\n`);
        return;
      }
      if (name === 'image') {
        const sha = shaFromAttachmentUrl(String(node.getAttribute('src') ?? ''));
        if (sha) attachments.add(sha);
        const alt = node.getAttribute('alt');
        if (alt) parts.push(` ${String(alt)}\n`);
        // The text read from the image (OCR): searchable like typed text.
        const ocr = node.getAttribute('ocrText');
        if (typeof ocr === 'string' && ocr) parts.push(`${ocr.slice(0, MAX_OCR_TEXT)}\n`);
        return;
      }
      if (name === 'hardBreak') parts.push('\n');
    }
    for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
    if (node instanceof Y.XmlElement && BLOCKS.has(node.nodeName)) parts.push('\n');
  };
  walk(fragment);
  const text = parts
    .join('')
    .replace(/[ \t]*\n[ \t\n]*/g, '\n')
    .trim();
  const words = text.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
  return { text, words, links: [...links].sort(), attachments: [...attachments].sort() };
}

/** Appends a paragraph to the end of the body (the quick field-log capture). */
/** Appends blocks (tiptap JSON, checked against the note schema) at the end of the body, as one edit. */
export function appendBlocks(doc: Y.Doc, blocks: JSONContent[], origin?: unknown): void {
  let node: ReturnType<ReturnType<typeof noteSchema>['nodeFromJSON']>;
  try {
    node = noteSchema().nodeFromJSON({ type: 'doc', content: blocks });
    node.check();
  } catch (error) {
    throw new OutpostError('invalid_request', `The text does not fit the note schema: ${(error as Error).message}`);
  }
  // The binding writes into a fragment of its own; its elements are then copied to the note's end.
  const scratch = new Y.Doc().getXmlFragment('body');
  prosemirrorJSONToYXmlFragment(noteSchema(), node.toJSON(), scratch);
  const copies = scratch.toArray().map((element) => (element as Y.XmlElement).clone());
  doc.transact(() => noteBody(doc).push(copies), origin);
}

export function appendParagraph(doc: Y.Doc, text: string, origin?: unknown): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    noteBody(doc).push([paragraph]);
  }, origin);
}
