import * as Y from 'yjs';
import { boundedLines } from './bounds';
import { codeBlockKind, textOf } from './note-signatures';
import { findTimestamp, type TimestampContext } from './timestamps';

/**
 * An incident note's timeline: the timestamps in its log blocks (and in screenshots of logs, read
 * by OCR), when each hypothesis was written down and when it was ticked off as tried, and when
 * the resolution was written. Log times come from the text; the others from the note's update log
 * (the caller maps each Yjs item to the update that brought it: `ItemId`).
 */

/** A Yjs item's id: the update that created it tells when it was typed. */
export interface ItemId {
  client: number;
  clock: number;
}

export interface LogEvent {
  ms: number;
  iso: string;
  raw: string;
  flags: string[];
  /** The log line, trimmed and cut. */
  text: string;
  blockIndex: number;
}

export interface Hypothesis {
  text: string;
  tried: boolean;
  /** The first character's item: when the hypothesis was written down. */
  written: ItemId | null;
  /** The `checked` attribute's item: when it was ticked off (tried). */
  ticked: ItemId | null;
}

export interface ResolutionFacts {
  text: string;
  written: ItemId | null;
}

/** Log lines kept per block (beyond: its first and last, and lines that say something went wrong). */
const PER_BLOCK = 30;
const MAX_EVENTS = 300;
const TEXT_CHARS = 200;
const NOTEWORTHY = /\b(?:ERROR|FATAL|SEVERE|CRIT(?:ICAL)?|WARN(?:ING)?|panic|Exception|refused|timed? ?out|fail(?:ed|ure)?|denied)\b/i;
const HYPOTHESES = /^\s*(?:hypothes[ie]s|tried|what we tried|things tried)\b/i;
const RESOLUTION = /^\s*(?:resolution|fix(?:ed)?|the fix|workaround|solution)\b/i;

/** The first text item under a node (its first typed character), depth first. */
function firstTextItem(node: Y.XmlElement | Y.XmlText): ItemId | null {
  if (node instanceof Y.XmlText) {
    // Yjs' own structure: the first item of the text's list (deleted ones keep their id).
    let item = (node as unknown as { _start: { id: ItemId; right: unknown; deleted: boolean } | null })._start;
    while (item?.deleted) item = item.right as typeof item;
    return item ? { client: item.id.client, clock: item.id.clock } : null;
  }
  for (const child of node.toArray()) {
    const id = firstTextItem(child as Y.XmlElement | Y.XmlText);
    if (id) return id;
  }
  return null;
}

/** The item that last set an attribute of an element (who ticked a task, and in which update). */
function attributeItem(element: Y.XmlElement, name: string): ItemId | null {
  const item = (element as unknown as { _map: Map<string, { id: ItemId }> })._map.get(name);
  return item ? { client: item.id.client, clock: item.id.clock } : null;
}

/** Timestamps in the note's log blocks (code blocks of a log kind, images whose text is a log). */
export function logEvents(body: Y.XmlFragment, context: TimestampContext): LogEvent[] {
  const events: LogEvent[] = [];
  const blocks = body.toArray();
  for (let index = 0; index < blocks.length && events.length < MAX_EVENTS; index++) {
    const block = blocks[index];
    if (!(block instanceof Y.XmlElement)) continue;
    let text = '';
    if (block.nodeName === 'codeBlock') {
      text = textOf(block);
      if (!codeBlockKind(block.getAttribute('language'), text)) continue;
    } else if (block.nodeName === 'image') {
      const ocr = block.getAttribute('ocrText');
      text = typeof ocr === 'string' ? ocr : '';
    } else continue;
    const found: LogEvent[] = [];
    for (const line of boundedLines(text)) {
      const stamp = findTimestamp(line, context);
      if (stamp) found.push({ ...stamp, text: line.trim().slice(0, TEXT_CHARS), blockIndex: index });
    }
    if (!found.length) continue;
    // A long log keeps its first and last line and those that say something went wrong.
    const first = found[0] as LogEvent;
    const last = found[found.length - 1] as LogEvent;
    const kept =
      found.length <= PER_BLOCK
        ? found
        : [first, ...found.filter((e) => e !== first && e !== last && NOTEWORTHY.test(e.text)).slice(0, PER_BLOCK - 2), last];
    events.push(...kept.slice(0, MAX_EVENTS - events.length));
  }
  return events;
}

/** The section under the first heading matching `title`: its blocks, up to a heading of the same or a higher level. */
function section(body: Y.XmlFragment, title: RegExp): Y.XmlElement[] {
  const out: Y.XmlElement[] = [];
  let level = 0;
  for (const block of body.toArray()) {
    if (!(block instanceof Y.XmlElement)) continue;
    if (block.nodeName === 'heading') {
      const blockLevel = Number(block.getAttribute('level') ?? 1) || 1;
      if (level && blockLevel <= level) break;
      if (!level && title.test(textOf(block))) level = blockLevel;
      continue;
    }
    if (level) out.push(block);
  }
  return out;
}

/** The items of the "Hypotheses tried" section (task or bullet items; empty ones skipped). */
export function hypotheses(body: Y.XmlFragment): Hypothesis[] {
  const out: Hypothesis[] = [];
  for (const block of section(body, HYPOTHESES)) {
    if (block.nodeName !== 'taskList' && block.nodeName !== 'bulletList' && block.nodeName !== 'orderedList') continue;
    for (const item of block.toArray()) {
      if (!(item instanceof Y.XmlElement)) continue;
      const text = textOf(item).trim();
      if (!text) continue;
      // y-prosemirror keeps the attribute's JSON value (a boolean); a string from elsewhere is read too.
      const checked = item.getAttribute('checked') as unknown;
      const tried = checked === true || checked === 'true';
      out.push({
        text: text.slice(0, TEXT_CHARS),
        tried,
        written: firstTextItem(item),
        ticked: tried ? attributeItem(item, 'checked') : null,
      });
    }
  }
  return out;
}

/** The resolution section's text and when its first character was typed; null without one. */
export function resolutionFacts(body: Y.XmlFragment): ResolutionFacts | null {
  const blocks = section(body, RESOLUTION);
  const text = blocks
    .map((b) => textOf(b).trim())
    .filter(Boolean)
    .join(' ');
  if (!text) return null;
  let written: ItemId | null = null;
  for (const block of blocks) {
    written = firstTextItem(block);
    if (written) break;
  }
  return { text: text.slice(0, TEXT_CHARS * 2), written };
}
