import { sha256Hex } from '../sync/bundle-crypto';
import { boundedLines, looksBinary } from './bounds';
import { clusterTemplate, Drain } from './drain';
import { detectLogKind, HTTP_STATUS, LOG_LEVEL, type LogKind, SQL_ERROR, SYSLOG_LINE } from './kinds';
import { maskVariables } from './mask';
import { minhashBands, templateTokens } from './similarity';
import { parseTrace, TOP_FRAMES } from './traces';

/** One normalised error signature of a block of text. */
export interface Signature {
  kind: LogKind;
  /** sha256 of exception type, template and frames: equal ids are the same error. */
  templateId: string;
  /** The message with its variables masked (<NUM>, <IP>, …; <*> where Drain merged lines). */
  template: string;
  exceptionType: string;
  /** Top frames, innermost first (traces only). */
  frames: string[];
  /** sha256 of exception type and top three frames ('' without frames): same crash site. */
  framesKey: string;
  /** Meaningful words of the template (for near matches). */
  tokens: string[];
  /** MinHash band keys of `tokens` (the database's prefilter). */
  bands: number[];
  /** Lines of the block that fell into this signature. */
  lines: number;
}

/** Signatures kept per block: the largest groups; a block with more distinct errors is a log dump. */
export const MAX_SIGNATURES_PER_BLOCK = 8;
const TEMPLATE_MAX_CHARS = 500;

const ERROR_LINE =
  /\b(?:ERROR|ERR|SEVERE|FATAL|CRIT(?:ICAL)?|ALERT|EMERG|PANIC)\b|\b\w*(?:exception|error)\b|\b(?:fail(?:ed|ure|s)?|timed? ?out|refused|denied|fatal|panic|unable to|cannot|could not|aborted|deadlock)\b/i;
const WARN_LINE = /\bWARN(?:ING)?\b/;

const utf8 = new TextEncoder();
const hash = (text: string) => sha256Hex(utf8.encode(text));

function makeSignature(kind: LogKind, template: string, exceptionType: string, frames: string[], lines: number): Signature {
  const cut = template.length > TEMPLATE_MAX_CHARS ? `${template.slice(0, TEMPLATE_MAX_CHARS)}…` : template;
  const tokens = templateTokens(cut, exceptionType);
  return {
    kind,
    templateId: hash(`${exceptionType}\n${cut}\n${frames.join('\n')}`),
    template: cut,
    exceptionType,
    frames,
    framesKey: frames.length ? hash(`${exceptionType}\n${frames.slice(0, 3).join('\n')}`) : '',
    tokens,
    bands: minhashBands(tokens),
    lines,
  };
}

/** The message part of one log line of `kind` (timestamps, hosts and pids are not the error). */
function lineMessage(kind: LogKind, line: string): { message: string; exceptionType: string; level: string } | null {
  const trimmed = line.trim();
  if (!trimmed) return null;
  if (kind === 'json-lines') {
    if (!trimmed.startsWith('{')) return null;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      return null;
    }
    if (typeof value !== 'object' || value === null) return null;
    const error = value.error ?? value.err ?? value.exception;
    const errorObject = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : null;
    const pick = (...candidates: unknown[]) => candidates.find((c) => typeof c === 'string' && c.trim()) as string | undefined;
    const message = pick(value.msg, value.message, value.MESSAGE, errorObject?.message, error, value.error_message) ?? '';
    const level = String(pick(value.level, value.severity, value.lvl, value.levelname, value.PRIORITY) ?? '');
    const exceptionType = pick(errorObject?.type, errorObject?.name, errorObject?.kind, value.exception_type, value['error.type']) ?? '';
    const errorText = typeof error === 'string' && error !== message ? ` ${error}` : '';
    return { message: `${level ? `${level.toUpperCase()} ` : ''}${message}${errorText}`, exceptionType, level };
  }
  if (kind === 'syslog' || kind === 'journald') {
    const m = trimmed.match(SYSLOG_LINE);
    if (!m) return null;
    return { message: `${m[2] ?? ''}: ${m[4] ?? ''}`, exceptionType: '', level: '' };
  }
  if (kind === 'sql-error') {
    const m = trimmed.match(SQL_ERROR);
    if (!m) return null;
    const code = m[2] ?? (m[4] ? `MySQL ${m[4]}` : '');
    const state = trimmed.match(/SQLSTATE\[?([0-9A-Z]{5})\]?/)?.[1];
    return { message: trimmed, exceptionType: code || (state ? `SQLSTATE ${state}` : ''), level: 'ERROR' };
  }
  return { message: trimmed, exceptionType: '', level: trimmed.match(LOG_LEVEL)?.[1] ?? '' };
}

/** Masks a message and drops leading time stamps (the order of events is not the error). */
function templateOf(message: string): string {
  return maskVariables(message)
    .replace(/^(?:\[?<(?:TS|DATE|TIME)>\]?[\s,]*)+/, '')
    .trim();
}

function httpSignature(lines: readonly string[]): Signature[] {
  const index = lines.findIndex((l) => HTTP_STATUS.test(l.trim()));
  if (index < 0) return [];
  const status = lines[index]?.trim().match(HTTP_STATUS);
  const code = status?.[1] ?? '';
  // The body's first meaningful line: a JSON error's message or the first text after the headers.
  let body = '';
  const blank = lines.findIndex((l, i) => i > index && !l.trim());
  for (const line of lines.slice(blank < 0 ? index + 1 : blank + 1)) {
    const t = line.trim();
    if (!t) continue;
    if (t.startsWith('{')) {
      try {
        const json = JSON.parse(t) as Record<string, unknown>;
        const detail = [json.error, json.message, json.title, json.detail].find((v) => typeof v === 'string');
        body = typeof detail === 'string' ? detail : t;
      } catch {
        body = t;
      }
    } else body = t.replace(/<[^>]{0,100}>/g, ' ');
    break;
  }
  return [makeSignature('http-error', templateOf(`${status?.[2] ?? ''} ${body}`), `HTTP ${code}`, [], 1)];
}

/**
 * The error signatures of a block: one per trace; for logs, the Drain templates of its error
 * lines (warnings when it has no errors, nothing when it has neither). `kind` overrides
 * detection (a block the user marked). Bounded work on any input.
 */
export function extractSignatures(text: string, kind: LogKind | null = detectLogKind(text)): Signature[] {
  if (!kind || looksBinary(text)) return [];
  const lines = boundedLines(text);
  if (kind.endsWith('-trace')) {
    const facts = parseTrace(kind, lines);
    if (facts) return [makeSignature(kind, templateOf(facts.message), facts.exceptionType, facts.frames.slice(0, TOP_FRAMES), 1)];
    // A "trace" block without a parsable header is mined as a log.
    kind = 'log';
  }
  if (kind === 'http-error') return httpSignature(lines);

  const parsed = lines.map((line) => lineMessage(kind, line)).filter((p) => p !== null);
  const errors = parsed.filter((p) => ERROR_LINE.test(p.message) || /^(?:err|error|fatal|crit|critical|alert|emerg|severe)/i.test(p.level));
  const chosen = errors.length ? errors : parsed.filter((p) => WARN_LINE.test(p.message) || /^warn/i.test(p.level));
  if (!chosen.length) return [];

  const drain = new Drain();
  const exceptionOf = new Map<number, string>();
  for (const line of chosen) {
    const template = templateOf(line.message);
    if (!template) continue;
    const cluster = drain.add(template);
    if (line.exceptionType && !exceptionOf.has(cluster.id)) exceptionOf.set(cluster.id, line.exceptionType);
  }
  return [...drain.clusters]
    .sort((a, b) => b.size - a.size || a.id - b.id)
    .slice(0, MAX_SIGNATURES_PER_BLOCK)
    .map((cluster) => makeSignature(kind, clusterTemplate(cluster), exceptionOf.get(cluster.id) ?? '', [], cluster.size));
}

/** A signature as one line for people: "Type: template  @ frame1 < frame2". */
export function describeSignature(s: Pick<Signature, 'exceptionType' | 'template' | 'frames'>): string {
  const head = s.exceptionType ? `${s.exceptionType}${s.template ? `: ${s.template}` : ''}` : s.template;
  return s.frames.length ? `${head}  @ ${s.frames.slice(0, 3).join(' < ')}` : head;
}
