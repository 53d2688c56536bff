import * as Y from 'yjs';
import { MAX_OCR_TEXT, shaFromAttachmentUrl } from '../../shared/notes/nodes';

/** Every image node of a note body, wherever it sits (a list, a quote, a table cell). */
function* imageNodes(node: Y.XmlFragment | Y.XmlElement): Generator<Y.XmlElement> {
  for (const child of node.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === 'image') yield child;
    else yield* imageNodes(child);
  }
}

/** The attachments whose images in this body have no text yet (OCR never ran on them here). */
export function unreadImages(body: Y.XmlFragment): Set<string> {
  const shas = new Set<string>();
  for (const image of imageNodes(body)) {
    const sha = shaFromAttachmentUrl(String(image.getAttribute('src') ?? ''));
    if (sha && typeof image.getAttribute('ocrText') !== 'string') shas.add(sha);
  }
  return shas;
}

/** Text some image of this attachment in the body already carries (read on another device), or null. */
export function textOfImage(body: Y.XmlFragment, sha256: string): string | null {
  for (const image of imageNodes(body)) {
    const text = image.getAttribute('ocrText');
    if (typeof text === 'string' && shaFromAttachmentUrl(String(image.getAttribute('src') ?? '')) === sha256) return text;
  }
  return null;
}

/** Gives the images of an attachment that have no text yet the text read from it; returns how many. */
export function setImageText(body: Y.XmlFragment, texts: Map<string, string>): number {
  let changed = 0;
  for (const image of imageNodes(body)) {
    const sha = shaFromAttachmentUrl(String(image.getAttribute('src') ?? ''));
    const text = sha ? texts.get(sha) : undefined;
    if (text === undefined || typeof image.getAttribute('ocrText') === 'string') continue;
    image.setAttribute('ocrText', text);
    changed++;
  }
  return changed;
}

/**
 * What Tesseract returns, tidied for a note: no trailing spaces, no runs of blank lines, no
 * control characters, and bounded (a screenshot of a log is not a log archive).
 */
export function tidyOcrText(raw: string): string {
  const text = raw
    .replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : ''))
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text.length > MAX_OCR_TEXT ? text.slice(0, MAX_OCR_TEXT) : text;
}
