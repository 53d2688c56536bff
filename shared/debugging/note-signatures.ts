import * as Y from 'yjs';
import { detectLogKind, kindFromLanguage, type LogKind } from './kinds';
import { extractSignatures, type Signature } from './signatures';

/** A signature found in a note, with the top-level block it came from. */
export interface BlockSignature extends Signature {
  blockIndex: number;
}

export interface NoteDebugFacts {
  signatures: BlockSignature[];
  /** The text under the note's "Resolution" / "Fix" / "Root cause" / "Workaround" heading(s). */
  resolution: string;
}

/** Signatures kept per note: a note is not a log archive. */
export const MAX_SIGNATURES_PER_NOTE = 40;
const RESOLUTION_MAX_CHARS = 1200;
const RESOLUTION_HEADING = /^\s*(?:resolution|fix(?:ed)?|the fix|root cause|workaround|solution)\b/i;
/** In an incident's prose, a line that names an exception, a SQL error code or an HTTP error. */
const ERRORISH = /\b[A-Z]\w*(?:Exception|Error)\b|\bORA-\d{5}\b|\bSQLSTATE\b|\bHTTP\/\d(?:\.\d)? [45]\d\d\b|\b(?:panic|fatal error):/;

/** A block's plain text (line breaks kept, child blocks on lines of their own). */
export function textOf(node: Y.XmlElement | Y.XmlText): string {
  if (node instanceof Y.XmlText) {
    let out = '';
    for (const op of node.toDelta() as Array<{ insert: unknown }>) if (typeof op.insert === 'string') out += op.insert;
    return out;
  }
  if (node.nodeName === 'hardBreak') return '\n';
  const parts: string[] = [];
  for (const child of node.toArray()) parts.push(textOf(child as Y.XmlElement | Y.XmlText));
  // Block children (list items, paragraphs in a quote) each on a line of their own.
  return node.nodeName === 'paragraph' || node.nodeName === 'codeBlock' || node.nodeName === 'heading' ? parts.join('') : parts.join('\n');
}

/** The kind of a code block: the one its language names (`log:java-trace`), else detected from its text. */
export function codeBlockKind(language: unknown, text: string): LogKind | null {
  return kindFromLanguage(language) ?? detectLogKind(text);
}

/**
 * What debugging needs from a note body: the signatures of its log blocks (code blocks whose
 * language is a log kind, or whose text is detected as one), and for incident notes also those
 * of prose blocks that quote an error; and the resolution section's text.
 */
export function noteDebugFacts(body: Y.XmlFragment, options: { incident: boolean }): NoteDebugFacts {
  const signatures: BlockSignature[] = [];
  const resolution: string[] = [];
  let resolutionLevel = 0;
  const blocks = body.toArray();
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    if (!(block instanceof Y.XmlElement)) continue;
    const name = block.nodeName;
    if (name === 'heading') {
      const level = Number(block.getAttribute('level') ?? 1) || 1;
      const title = textOf(block);
      if (RESOLUTION_HEADING.test(title)) resolutionLevel = level;
      else if (resolutionLevel && level <= resolutionLevel) resolutionLevel = 0;
      continue;
    }
    // An image's text (read by OCR) counts as a block of its own: a screenshot of an error dialog
    // or a terminal yields signatures like the same text pasted.
    const ocr = name === 'image' ? block.getAttribute('ocrText') : null;
    const text = name === 'image' ? (typeof ocr === 'string' ? ocr : '') : textOf(block);
    if (resolutionLevel && text.trim() && resolution.join('\n').length < RESOLUTION_MAX_CHARS) resolution.push(text.trim());
    if (signatures.length >= MAX_SIGNATURES_PER_NOTE) continue;
    let kind: LogKind | null = null;
    if (name === 'codeBlock') kind = codeBlockKind(block.getAttribute('language'), text);
    else if (name === 'image') kind = text ? (detectLogKind(text) ?? (ERRORISH.test(text) ? 'log' : null)) : null;
    else if (options.incident && ERRORISH.test(text)) kind = detectLogKind(text) ?? 'log';
    if (!kind) continue;
    for (const signature of extractSignatures(text, kind)) signatures.push({ ...signature, blockIndex: index });
  }
  const joined = resolution.join('\n');
  return {
    signatures: signatures.slice(0, MAX_SIGNATURES_PER_NOTE),
    resolution: joined.length > RESOLUTION_MAX_CHARS ? `${joined.slice(0, RESOLUTION_MAX_CHARS)}…` : joined,
  };
}
