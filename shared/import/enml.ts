import type { JSONContent } from '@tiptap/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The href an `<en-media>` becomes before the import binds it to a stored attachment. */
export const ENEX_RESOURCE_SCHEME = 'enex-resource:';

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };
type Mark = NonNullable<JSONContent['marks']>[number];

const parser = () =>
  new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    htmlEntities: true,
    processEntities: true,
    parseTagValue: false,
    parseAttributeValue: false,
  });

const HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
const MARKS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  s: 'strike',
  strike: 'strike',
  del: 'strike',
  code: 'code',
};

/**
 * ENML (an Evernote note's XHTML, `<en-note>…`) → a note body. Read by fast-xml-parser, then walked:
 * headings, paragraphs and divs, lists and checklists (`<en-todo>`, `--en-todo` lists), code
 * blocks, quotes, tables, rules, bold/italic/underline/strike/code and links; `<en-media>` becomes
 * a link to its resource (by md5), which the import turns into an attachment or image. Returns the
 * body and what could not be kept.
 */
export function enmlToJSON(enml: string): { json: JSONContent; warnings: string[] } | { error: string } {
  const xml = enml.replace(/<!DOCTYPE[^>[]*(\[[^\]]*\])?>/i, '').trim();
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { error: `The note's content (ENML) is not valid XML: ${valid.err.msg} (line ${valid.err.line})` };
  const warnings = new Set<string>();
  const tree = parser().parse(xml) as Ordered[];
  const root = tree.find((node) => 'en-note' in node);
  if (!root) return { error: 'The note has no <en-note> content' };

  const blocks: JSONContent[] = [];
  const children = (node: Ordered, tag: string) => (node[tag] as Ordered[]) ?? [];
  const tagOf = (node: Ordered) => Object.keys(node).find((k) => k !== ':@') ?? '';

  /** Collects inline content of `nodes`; a block met inside (a div in a span) closes the paragraph. */
  const walk = (nodes: Ordered[], out: JSONContent[], marks: Mark[], inline: JSONContent[]): JSONContent[] => {
    let current = inline;
    const flush = () => {
      if (current.length) out.push({ type: 'paragraph', content: current });
      current = [];
    };
    for (const node of nodes) {
      const tag = tagOf(node);
      const attrs = node[':@'] ?? {};
      if (tag === '#text') {
        const text = String(node['#text']).replace(/\s+/g, ' ');
        if (text.trim() || (text && current.length)) current.push(marks.length ? { type: 'text', text, marks } : { type: 'text', text });
        continue;
      }
      const lower = tag.toLowerCase();
      if (MARKS[lower]) {
        current = walk(children(node, tag), out, [...marks, { type: MARKS[lower] as string }], current);
        continue;
      }
      if (lower === 'a') {
        const href = attrs.href;
        current = walk(children(node, tag), out, href ? [...marks, { type: 'link', attrs: { href } }] : marks, current);
        continue;
      }
      if (lower === 'br') {
        current.push({ type: 'hardBreak' });
        continue;
      }
      if (lower === 'en-media') {
        flush();
        out.push({
          type: 'paragraph',
          content: [
            { type: 'text', text: 'file', marks: [{ type: 'link', attrs: { href: `${ENEX_RESOURCE_SCHEME}${attrs.hash ?? ''}` } }] },
          ],
        });
        continue;
      }
      if (lower === 'en-todo') {
        current.push({ type: 'text', text: attrs.checked === 'true' ? '☑ ' : '☐ ' });
        continue;
      }
      if (lower === 'en-crypt') {
        warnings.add('Encrypted text (en-crypt) cannot be read without its passphrase; left out');
        continue;
      }
      if (lower === 'img') {
        const src = attrs.src ?? '';
        if (src) current.push({ type: 'text', text: attrs.alt || src, marks: [{ type: 'link', attrs: { href: src } }] });
        continue;
      }
      if (lower === 'span' || lower === 'font' || lower === 'sup' || lower === 'sub' || lower === 'small' || lower === 'big') {
        current = walk(children(node, tag), out, marks, current);
        continue;
      }
      // Block elements from here on.
      flush();
      if (HEADINGS[lower]) {
        const nested: JSONContent[] = [];
        const content = walk(children(node, tag), nested, marks, []);
        if (content.length) out.push({ type: 'heading', attrs: { level: HEADINGS[lower] }, content });
        out.push(...nested);
        continue;
      }
      if (lower === 'hr') {
        out.push({ type: 'horizontalRule' });
        continue;
      }
      if (lower === 'pre' || (lower === 'div' && /-en-codeblock\s*:\s*true/.test(attrs.style ?? ''))) {
        out.push({ type: 'codeBlock', attrs: { language: null }, content: textContent(children(node, tag)) });
        continue;
      }
      if (lower === 'ul' || lower === 'ol') {
        const todo = /--en-todo\s*:\s*true/.test(attrs.style ?? '');
        const items = children(node, tag).filter((child) => tagOf(child).toLowerCase() === 'li');
        out.push({
          type: todo ? 'taskList' : lower === 'ul' ? 'bulletList' : 'orderedList',
          content: items.map((li) => {
            const body = blocksOf(children(li, tagOf(li)), marks);
            const content = body.length && body[0]?.type === 'paragraph' ? body : [{ type: 'paragraph' }, ...body];
            return todo
              ? { type: 'taskItem', attrs: { checked: /--en-checked\s*:\s*true/.test(li[':@']?.style ?? '') }, content }
              : { type: 'listItem', content };
          }),
        });
        continue;
      }
      if (lower === 'blockquote') {
        const content = blocksOf(children(node, tag), marks);
        out.push({ type: 'blockquote', content: content.length ? content : [{ type: 'paragraph' }] });
        continue;
      }
      if (lower === 'table') {
        const rows: JSONContent[] = [];
        const collectRows = (nodes: Ordered[]) => {
          for (const child of nodes) {
            const t = tagOf(child).toLowerCase();
            if (t === 'tr') {
              const cells = children(child, tagOf(child)).filter((c) => ['td', 'th'].includes(tagOf(c).toLowerCase()));
              if (cells.length)
                rows.push({
                  type: 'tableRow',
                  content: cells.map((cell) => {
                    const content = blocksOf(children(cell, tagOf(cell)), marks);
                    return {
                      type: tagOf(cell).toLowerCase() === 'th' ? 'tableHeader' : 'tableCell',
                      content: content.length ? content : [{ type: 'paragraph' }],
                    };
                  }),
                });
            } else if (['thead', 'tbody', 'tfoot'].includes(t)) collectRows(children(child, tagOf(child)));
          }
        };
        collectRows(children(node, tag));
        if (rows.length) out.push({ type: 'table', content: rows });
        continue;
      }
      // div, p, en-note, section, center and anything unknown: their content as blocks.
      const before = out.length;
      const rest = walk(children(node, tag), out, marks, []);
      if (rest.length) out.push({ type: 'paragraph', content: rest });
      else if (out.length === before && (lower === 'div' || lower === 'p')) out.push({ type: 'paragraph' });
    }
    return current;
  };

  /** The content of an element as blocks (a list item, a quote, a table cell). */
  const blocksOf = (nodes: Ordered[], marks: Mark[]): JSONContent[] => {
    const nested: JSONContent[] = [];
    const rest = walk(nodes, nested, marks, []);
    if (rest.length) nested.push({ type: 'paragraph', content: rest });
    return nested;
  };

  const rest = walk(children(root, 'en-note'), blocks, [], []);
  if (rest.length) blocks.push({ type: 'paragraph', content: rest });
  // Evernote writes an empty <div><br/></div> between paragraphs: runs of empty paragraphs collapse.
  const content = blocks.filter((block, i) => !(isEmpty(block) && (i === 0 || isEmpty(blocks[i - 1] as JSONContent))));
  return { json: { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] }, warnings: [...warnings] };
}

function isEmpty(block: JSONContent): boolean {
  return block.type === 'paragraph' && !(block.content ?? []).some((n) => n.type !== 'hardBreak' && (n.type !== 'text' || n.text?.trim()));
}

function textContent(nodes: Ordered[]): JSONContent[] {
  const parts: string[] = [];
  const visit = (list: Ordered[]) => {
    for (const node of list) {
      const tag = Object.keys(node).find((k) => k !== ':@') ?? '';
      if (tag === '#text') parts.push(String(node['#text']));
      else if (tag.toLowerCase() === 'br') parts.push('\n');
      else {
        const before = parts.length;
        visit((node[tag] as Ordered[]) ?? []);
        if (tag.toLowerCase() === 'div' && parts.length > before) parts.push('\n');
      }
    }
  };
  visit(nodes);
  const text = parts.join('').replace(/\n+$/, '');
  return text ? [{ type: 'text', text }] : [];
}
