/**
 * Masks the variable parts of a log message so that the same error with other values reads the
 * same: Drain's preprocessing step (He et al., ICWS 2017, §III-B: "simple regular expressions
 * based on domain knowledge"). Order matters: the wider shapes (timestamps, URLs, paths) are
 * masked before the numbers inside them. Masks are typed so a template stays readable.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // ISO 8601 / RFC 3339 and common "2024-03-01 12:00:01,123" forms, with an optional zone.
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?UTC)?/g, '<TS>'],
  [/\b\d{4}[-/]\d{2}[-/]\d{2}\b/g, '<DATE>'],
  // Syslog's "Mar  1 12:00:01" and bare clock times.
  [/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\b/g, '<TS>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<TIME>'],
  [/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<UUID>'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, '<URL>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<EMAIL>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, '<IP>'],
  [/(?<![\w:])(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b/g, '<IP>'],
  // Quoted values: what a message quotes is nearly always data (a key, a name, a value).
  [/"[^"\n]{0,200}"/g, '<STR>'],
  [/'[^'\n]{0,200}'/g, '<STR>'],
  // Windows and Unix paths (two segments at least, so "and/or" stays).
  [/\b[A-Za-z]:\\[^\s"'<>|:*?]+/g, '<PATH>'],
  [/(?<![\w<>])(?:~|\.{1,2})?(?:\/[\w.@+-]+){2,}\/?/g, '<PATH>'],
  // Host names: dotted lower-case labels ending in a usual suffix, or with a digit in a label
  // (db01.prod). Dotted Java/.NET names (com.acme.Foo) have capitals or no such suffix.
  [
    /\b(?:[a-z0-9-]+\.)+(?:local|lan|corp|internal|intranet|com|net|org|io|cloud|svc|cluster|localdomain|example|invalid|test)\b(?::\d{1,5})?/g,
    '<HOST>',
  ],
  [/\b[a-z][a-z0-9-]*\d[a-z0-9-]*(?:\.[a-z0-9-]+)+\b(?::\d{1,5})?/g, '<HOST>'],
  [/\b0x[0-9a-fA-F]+\b/g, '<HEX>'],
  // Long hex runs with a digit (hashes, trace ids, addresses).
  [/\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g, '<HEX>'],
  // A counter glued to a word (sda1, eth0, db01, node7): the device or instance, not the error.
  [/\b([a-z]{2,})\d+\b/g, '$1<NUM>'],
  [/(?<![\w<])[-+]?\d+(?:[.,]\d+)*(?:ms|s|m|h|kb|mb|gb|b|%)?\b/gi, '<NUM>'],
];

/** The masks this module writes, and Drain's wildcard: tokens that stand for a variable. */
export const WILDCARD = '<*>';
const MASK_TOKEN = /^<(?:\*|TS|DATE|TIME|UUID|URL|EMAIL|IP|STR|PATH|HOST|HEX|NUM)>$/;

export function isMask(token: string): boolean {
  return MASK_TOKEN.test(token);
}

/** The message with its variables masked and white space collapsed. */
export function maskVariables(message: string): string {
  let out = message;
  for (const [pattern, mask] of RULES) out = out.replace(pattern, mask);
  return out.replace(/\s+/g, ' ').trim();
}
