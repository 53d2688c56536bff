import { boundedLines, looksBinary } from './bounds';

/** The kinds of log block Outpost recognises; a code block's language is `log:<kind>`. */
export const LOG_KINDS = [
  'java-trace',
  'dotnet-trace',
  'python-trace',
  'node-trace',
  'go-trace',
  'syslog',
  'journald',
  'json-lines',
  'sql-error',
  'http-error',
  'log',
] as const;
export type LogKind = (typeof LOG_KINDS)[number];

export const LOG_KIND_LABELS: Record<LogKind, string> = {
  'java-trace': 'Java stack trace',
  'dotnet-trace': '.NET stack trace',
  'python-trace': 'Python traceback',
  'node-trace': 'Node.js stack trace',
  'go-trace': 'Go panic',
  syslog: 'syslog',
  journald: 'journald',
  'json-lines': 'JSON lines log',
  'sql-error': 'SQL error',
  'http-error': 'HTTP error response',
  log: 'Log',
};

export const LOG_LANGUAGE_PREFIX = 'log:';

export function isLogKind(value: unknown): value is LogKind {
  return typeof value === 'string' && (LOG_KINDS as readonly string[]).includes(value);
}

/** The kind a code block's language names (`log:java-trace`), or null for any other language. */
export function kindFromLanguage(language: unknown): LogKind | null {
  if (typeof language !== 'string' || !language.startsWith(LOG_LANGUAGE_PREFIX)) return null;
  const kind = language.slice(LOG_LANGUAGE_PREFIX.length);
  return isLogKind(kind) ? kind : null;
}

export const JAVA_FRAME = /^\s+at\s+([\w$.<>/]+)\(([^)]*)\)\s*$/;
export const JAVA_HEADER =
  /^(?:Exception in thread "[^"]*"\s+|Caused by:\s+)?((?:[a-zA-Z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)|[A-Z][\w$]*(?:Exception|Error))(?::\s?(.*))?$/;
export const DOTNET_FRAME = /^\s+at\s+([\w.`<>[\]+|,]+)\((.*?)\)(?:\s+in\s+.+?:line\s+\d+)?\s*$/;
export const DOTNET_HEADER =
  /^(?:Unhandled exception\.\s+|Unhandled Exception:\s+|\s*--->\s+)?((?:[A-Za-z_][\w]*\.)+[A-Z]\w*(?:Exception|Error))(?:\s+\(0x[0-9A-Fa-f]+\))?(?::\s?(.*))?$/;
export const PYTHON_FRAME = /^\s+File "([^"]+)", line \d+, in (\S+)/;
export const PYTHON_FINAL = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Fault)|[A-Z]\w*Error)(?::\s?(.*))?$/;
export const NODE_FRAME = /^\s+at\s+(?:(?:async\s+)?([^\s(]+)(?:\s+\[as [^\]]+\])?\s+\((.+?)(?::\d+:\d+)?\)|(.+?)(?::\d+:\d+)?)\s*$/;
export const NODE_HEADER = /^(?:Uncaught\s+)?((?:[A-Z]\w*)?(?:Error|Exception))(?:\s+\[[A-Z_]+\])?:\s?(.*)$/;
export const GO_PANIC = /^(?:panic|fatal error):\s?(.*)$/;
export const GO_GOROUTINE = /^goroutine \d+ \[[^\]]+\]:$/;
export const GO_FUNC = /^((?:[\w.\-/]+\/)?[\w.-]+(?:\.\(\*?\w+\))?\.[\w$]+)\((?:[^)]*)\)$/;
export const SYSLOG_LINE =
  /^(?:<\d{1,3}>\d?\s*)?(?:[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))\s+(\S+)\s+([\w./@-]+?)(?:\[(\d+)\])?:\s?(.*)$/;
export const JOURNALD_MARK = /^-- (?:Logs begin at|Journal begins at|Boot [0-9a-f]+|No entries|Reboot) /;
export const SQL_ERROR =
  /^(?:ERROR|FATAL|PANIC):\s{1,2}(.*)$|^(ORA-\d{5}):\s?(.*)$|^(?:ERROR|Error) (\d{4}) \(([0-9A-Z]{5})\)(?: at line \d+)?:\s?(.*)$|^Msg \d+, Level \d+, State \d+|SQLSTATE\[?[0-9A-Z]{5}\]?|^(?:DB2 SQL Error|SQL\d{4}N)/;
export const HTTP_STATUS = /^HTTP\/\d(?:\.\d)?\s+([45]\d{2})(?:\s+(.*))?$/;
export const LOG_LEVEL = /\b(TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|ERR|SEVERE|FATAL|CRIT(?:ICAL)?|ALERT|EMERG)\b/;
const TIMESTAMP_START =
  /^\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{2}[/.-]\d{2}[/.-]\d{4}|[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}|\d{2}:\d{2}:\d{2})/;

/** Lines examined to detect a kind: enough for a trace's header and some frames. */
const DETECT_LINES = 400;

function share(lines: readonly string[], test: (line: string) => boolean): number {
  if (!lines.length) return 0;
  let n = 0;
  for (const line of lines) if (test(line)) n++;
  return n / lines.length;
}

function isJsonLogLine(line: string): boolean {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    const value = JSON.parse(t) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * The kind of log or trace `text` holds, or null when it does not look like one (prose, code,
 * binary). Bounded: looks at the first DETECT_LINES lines only.
 */
export function detectLogKind(text: string): LogKind | null {
  if (!text.trim() || looksBinary(text)) return null;
  const lines = boundedLines(text, DETECT_LINES).filter((l) => l.trim());
  if (!lines.length) return null;
  const has = (re: RegExp) => lines.some((l) => re.test(l));
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;

  if (
    lines.some((l) => /^Traceback \(most recent call last\):/.test(l.trim())) ||
    (count(PYTHON_FRAME) >= 1 && lines.some((l) => PYTHON_FINAL.test(l)))
  )
    return 'python-trace';
  if (has(GO_GOROUTINE) && lines.some((l) => GO_PANIC.test(l) || /^goroutine /.test(l))) return 'go-trace';
  const dotnetFrames = lines.filter((l) => DOTNET_FRAME.test(l) && /\bin\s+.+:line\s+\d+|\(\)|\(\w+ \w+/.test(l)).length;
  const javaFrames = lines.filter(
    (l) => JAVA_FRAME.test(l) && /\((?:[\w$-]+\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)/.test(l),
  ).length;
  const nodeFrames = lines.filter((l) => NODE_FRAME.test(l) && /:\d+:\d+\)?\s*$|\(node:|<anonymous>/.test(l)).length;
  if (javaFrames >= 1 && javaFrames >= dotnetFrames && javaFrames >= nodeFrames) return 'java-trace';
  if (dotnetFrames >= 1 && (has(DOTNET_HEADER) || dotnetFrames >= 2) && dotnetFrames >= nodeFrames) return 'dotnet-trace';
  if (nodeFrames >= 1 && (has(NODE_HEADER) || nodeFrames >= 2)) return 'node-trace';
  if (has(GO_PANIC) && has(GO_GOROUTINE)) return 'go-trace';
  if (lines.some((l) => HTTP_STATUS.test(l.trim()))) return 'http-error';
  if (has(JOURNALD_MARK)) return 'journald';
  if (share(lines, isJsonLogLine) >= 0.6) return 'json-lines';
  if (share(lines, (l) => SYSLOG_LINE.test(l)) >= 0.5) return 'syslog';
  if (lines.some((l) => SQL_ERROR.test(l.trim()))) return 'sql-error';
  if (
    share(lines, (l) => TIMESTAMP_START.test(l.trim()) || (LOG_LEVEL.test(l) && /^\[?\w*\]?\s*\[?(?:[A-Z]{4,8})\]?[\s:]/.test(l.trim()))) >=
    0.5
  )
    return 'log';
  // A lone exception line ("java.sql.SQLException: …") without frames.
  if (lines.length <= 3 && lines.some((l) => JAVA_HEADER.test(l.trim()) && l.includes('.'))) return 'java-trace';
  return null;
}
