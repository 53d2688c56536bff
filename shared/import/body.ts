import type { JSONContent } from '@tiptap/core';
import { markdownToNoteJSON } from '../notes/markdown';
import { FILE_REF_PREFIX, type ImportIssue, type LinkResolver, type LinkTarget, type SourceNote } from './model';

/** Images shown inline (as the attachment store serves them); every other file becomes an attachment chip. */
const IMAGE_EXTENSIONS = /\.(png|jpe?g|gif|webp)$/i;

/** `[[target]]`, `[[target|alias]]`, `[[target#heading|alias]]`, and the embed form `![[…]]`. */
const WIKI = /(!?)\[\[([^[\]\n]+?)\]\]/g;

export interface ConvertedBody {
  json: JSONContent;
  links: number;
  unresolved: number;
  /** Source files the body references (placeholders until the service binds them to stored attachments). */
  files: string[];
  issues: ImportIssue[];
}

export interface NoteRef {
  id: string;
  title: string;
}

/** Splits a wiki target into the note name, heading and alias (`note#heading|alias`). */
export function parseWikiTarget(raw: string): { name: string; heading: string | null; alias: string | null } {
  const bar = raw.indexOf('|');
  const target = bar >= 0 ? raw.slice(0, bar) : raw;
  const alias = bar >= 0 ? raw.slice(bar + 1).trim() || null : null;
  const hash = target.indexOf('#');
  return {
    name: (hash >= 0 ? target.slice(0, hash) : target).trim(),
    heading: hash >= 0 ? target.slice(hash + 1).trim() || null : null,
    alias,
  };
}

/**
 * A source note's body as a note body: Markdown through the notebook's own Markdown reader
 * (shared/notes/markdown.ts), then what Outpost holds differently rewritten in the parsed tree —
 * wiki links and links to other imported notes become note links by id, embeds and relative
 * file links become attachments (images stay images), links that lead nowhere stay as their text.
 */
export function convertBody(note: SourceNote, resolver: LinkResolver, noteOf: (key: string) => NoteRef | undefined): ConvertedBody {
  const result: ConvertedBody = { json: { type: 'doc' }, links: 0, unresolved: 0, files: [], issues: [] };
  const files = new Set<string>();
  const warn = (message: string) => {
    if (result.issues.length < 50) result.issues.push({ path: note.path, severity: 'warning', message });
  };

  /**
   * A file the note points to, as an image or an attachment. `shown` is what the note calls it (an
   * image's alt text, a link's text): files named by their content (Outpost's own export,
   * `attachments/<sha256>`) take the name the note shows, and an image stays an image.
   */
  const fileBlock = (target: { file: string; name: string }, shown?: string): JSONContent => {
    files.add(target.file);
    // A file's own name wins; one without an extension (named by its hash) takes the shown name.
    const name = /\.[\p{L}\p{N}]{1,8}$/u.test(target.name) ? target.name : shown?.replace(/^📎\s*/u, '').trim() || target.name;
    if (IMAGE_EXTENSIONS.test(target.name) || IMAGE_EXTENSIONS.test(name))
      return { type: 'image', attrs: { src: `${FILE_REF_PREFIX}${target.file}`, alt: shown || target.name, title: null } };
    return { type: 'attachment', attrs: { sha: `${FILE_REF_PREFIX}${target.file}`, name, size: 0, mime: '' } };
  };

  const noteLink = (key: string, label: string | null): JSONContent | null => {
    const target = noteOf(key);
    if (!target) return null;
    result.links++;
    return { type: 'noteLink', attrs: { id: target.id, kind: 'note', label: label || target.title || 'note' } };
  };

  /** Wiki links in one text node: inline nodes, and blocks for embedded files. */
  const wikiInText = (node: JSONContent): JSONContent[] => {
    const text = node.text ?? '';
    if (!text.includes('[[')) return [node];
    const out: JSONContent[] = [];
    let last = 0;
    const keep = (piece: string) => {
      if (piece) out.push({ ...node, text: piece });
    };
    for (const match of text.matchAll(WIKI)) {
      const [whole, bang, inner] = match as unknown as [string, string, string];
      const at = match.index ?? 0;
      keep(text.slice(last, at));
      last = at + whole.length;
      const { name, heading, alias } = parseWikiTarget(inner);
      const target: LinkTarget = name ? resolver.wiki(name, note) : { kind: 'missing', reason: 'a link to a heading in the same note' };
      if (target.kind === 'note') {
        const link = noteLink(target.key, alias ?? (heading ? `${name} › ${heading}` : name));
        if (link) {
          out.push(link);
          continue;
        }
      } else if (target.kind === 'file') {
        out.push(fileBlock(target, alias ?? undefined));
        continue;
      }
      if (target.kind === 'missing' && name) {
        result.unresolved++;
        warn(`${bang ? 'Embed' : 'Link'} [[${inner.slice(0, 80)}]] kept as text: ${target.reason}`);
      }
      keep(whole);
    }
    keep(text.slice(last));
    return out;
  };

  /** A text node carrying a link mark to something in the source. */
  const linkedText = (node: JSONContent): JSONContent[] => {
    const mark = node.marks?.find((m) => m.type === 'link');
    const href = typeof mark?.attrs?.href === 'string' ? (mark.attrs.href as string) : null;
    if (!href) return wikiInText(node);
    const target = resolver.href(href, note);
    if (target.kind === 'external') return wikiInText(node);
    if (target.kind === 'note') {
      const link = noteLink(target.key, node.text ?? null);
      if (link) return [link];
    }
    if (target.kind === 'file') return [fileBlock(target, node.text)];
    const plain: JSONContent = { ...node, marks: node.marks?.filter((m) => m !== mark) };
    if (!plain.marks?.length) delete plain.marks;
    if (target.kind === 'missing') {
      result.unresolved++;
      warn(`Link to ${href.slice(0, 80)} kept as text: ${target.reason}`);
    }
    return wikiInText(plain);
  };

  const image = (node: JSONContent): JSONContent[] => {
    const src = typeof node.attrs?.src === 'string' ? (node.attrs.src as string) : '';
    const alt = typeof node.attrs?.alt === 'string' ? (node.attrs.alt as string) : '';
    const target = src ? resolver.href(src, note) : ({ kind: 'missing', reason: 'no address' } as LinkTarget);
    if (target.kind === 'file') return [fileBlock(target, alt)];
    if (target.kind === 'external') {
      // Never load a picture from the network: it stays as a link to it.
      return [{ type: 'text', text: alt || src, marks: [{ type: 'link', attrs: { href: src } }] }];
    }
    if (target.kind === 'note') {
      const link = noteLink(target.key, alt || null);
      if (link) return [link];
    }
    result.unresolved++;
    warn(`Image ${src.slice(0, 80)} not imported: ${target.kind === 'missing' ? target.reason : 'not found'}`);
    return [{ type: 'text', text: `[image: ${alt || src}]` }];
  };

  /** Rewrites one node; inline content may come back with blocks in it (embeds), which `blocks` lifts out. */
  const inline = (node: JSONContent): JSONContent[] => {
    if (node.type === 'text') return linkedText(node);
    if (node.type === 'image') return image(node);
    return [node];
  };

  const isBlock = (node: JSONContent) => node.type === 'attachment' || node.type === 'image';

  const blocks = (nodes: JSONContent[]): JSONContent[] => {
    const out: JSONContent[] = [];
    for (const node of nodes) {
      if (node.type === 'image') {
        out.push(...lift({ type: 'paragraph' }, image(node)));
        continue;
      }
      if (node.type === 'codeBlock' || !node.content) {
        out.push(node);
        continue;
      }
      const textblock = node.content.some((child) => child.type === 'text' || child.type === 'hardBreak' || child.type === 'noteLink');
      if (textblock) out.push(...lift(node, node.content.flatMap(inline)));
      else out.push({ ...node, content: blocks(node.content) });
    }
    return out;
  };

  /** A textblock whose inline content holds blocks: split around them (text before, the block, text after). */
  const lift = (shell: JSONContent, content: JSONContent[]): JSONContent[] => {
    if (!content.some(isBlock)) return content.length || shell.type !== 'paragraph' ? [{ ...shell, content }] : [];
    const out: JSONContent[] = [];
    let run: JSONContent[] = [];
    const flush = () => {
      if (run.some((n) => n.type !== 'text' || n.text?.trim())) out.push({ ...shell, content: run });
      run = [];
    };
    for (const item of content) {
      if (isBlock(item)) {
        flush();
        out.push(item);
      } else run.push(item);
    }
    flush();
    return out;
  };

  const transform = (parsed: JSONContent): JSONContent => ({ ...parsed, content: blocks(parsed.content ?? []) });
  result.json = note.body.kind === 'markdown' ? markdownToNoteJSON(note.body.text, transform) : transform(note.body.json);
  if (!result.json.content?.length) result.json = { type: 'doc', content: [{ type: 'paragraph' }] };
  result.files = [...files];
  return result;
}

/** Replaces the file placeholders of a converted body with stored attachments (or, for a file that could not be read, its name as text). */
export function bindFiles(
  json: JSONContent,
  stored: (file: string) => { sha256: string; size: number; mime: string; name: string } | null,
): JSONContent {
  const visit = (node: JSONContent): JSONContent => {
    if (node.type === 'attachment' && typeof node.attrs?.sha === 'string' && node.attrs.sha.startsWith(FILE_REF_PREFIX)) {
      const info = stored(node.attrs.sha.slice(FILE_REF_PREFIX.length));
      if (!info) return { type: 'paragraph', content: [{ type: 'text', text: `[not imported: ${String(node.attrs.name)}]` }] };
      return { type: 'attachment', attrs: { sha: info.sha256, name: node.attrs.name || info.name, size: info.size, mime: info.mime } };
    }
    if (node.type === 'image' && typeof node.attrs?.src === 'string' && node.attrs.src.startsWith(FILE_REF_PREFIX)) {
      const info = stored(node.attrs.src.slice(FILE_REF_PREFIX.length));
      if (!info) return { type: 'paragraph', content: [{ type: 'text', text: `[not imported: ${String(node.attrs.alt ?? 'image')}]` }] };
      return { ...node, attrs: { ...node.attrs, src: `attachments/${info.sha256}` } };
    }
    return node.content ? { ...node, content: node.content.map(visit) } : node;
  };
  return visit(json);
}
