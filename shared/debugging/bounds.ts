/**
 * Limits on how much of a pasted block is examined. A 10 MB log or a 20,000-line trace must not
 * stall the editor or a projection write: detection and signature mining look at a bounded head
 * of the text (errors worth matching show up early in a trace, and a log's distinct templates
 * repeat), and each line is cut to a length no regular expression here can take long on.
 */
export const MAX_EXAMINED_CHARS = 512 * 1024;
export const MAX_EXAMINED_LINES = 4000;
export const MAX_LINE_CHARS = 1000;
/** Head sampled to decide whether a text is binary rather than a log. */
const BINARY_SAMPLE_CHARS = 64 * 1024;

/** The head of `text` split into lines, each cut to MAX_LINE_CHARS. */
export function boundedLines(text: string, maxLines = MAX_EXAMINED_LINES): string[] {
  const head = text.length > MAX_EXAMINED_CHARS ? text.slice(0, MAX_EXAMINED_CHARS) : text;
  const lines: string[] = [];
  let start = 0;
  while (start <= head.length && lines.length < maxLines) {
    let end = head.indexOf('\n', start);
    if (end < 0) end = head.length;
    let line = head.slice(start, Math.min(end, start + MAX_LINE_CHARS));
    if (line.endsWith('\r')) line = line.slice(0, -1);
    lines.push(line);
    start = end + 1;
  }
  return lines;
}

/**
 * Whether text looks like binary pasted as text: many control characters or replacement
 * characters (bytes that were not valid UTF-8) in its head. Tabs, newlines and carriage returns
 * are ordinary in logs.
 */
export function looksBinary(text: string): boolean {
  const sample = text.length > BINARY_SAMPLE_CHARS ? text.slice(0, BINARY_SAMPLE_CHARS) : text;
  if (!sample.length) return false;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd || code === 127) odd++;
  }
  return odd / sample.length > 0.05;
}
