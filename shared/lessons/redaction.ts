import { z } from 'zod';
import { OutpostError } from '../errors';
import { SYSTEM_KINDS, type SystemKind } from '../map/model';

/**
 * Redaction for sanitized sharing: a dictionary of real names → stable pseudonyms built from the
 * engagements involved (client, site, codename, team, stakeholders, map, client glossary), the
 * user's overrides on top, `redact` to replace them in any text, and `scanForIdentifiers`, the
 * final check over the output (what the dictionary missed plus patterns for IP addresses,
 * e-mail addresses, host names and long numbers). Pure: no Node, no DOM.
 *
 * Matching rules (documented, tested):
 * - Text and terms are compared in Unicode NFC and case-insensitively ("ŁÓDŹ PLANT" = "Łódź Plant").
 * - Whole words only: a term never matches inside a longer word ("Acme" does not touch "Acmeville").
 * - A term's words match across any whitespace, line breaks included, and across Markdown
 *   emphasis or inline markup between them ("Acme\nLogistics", "Acme **Logistics**").
 * - Overlapping terms: at each position the LONGEST term wins ("Acme Logistics" before "Acme"),
 *   scanning left to right; replaced text is never matched again (no replacement inside a
 *   pseudonym).
 */

export const REDACTION_CATEGORIES = [
  'client',
  'site',
  'codename',
  'person',
  'stakeholder',
  'organisation',
  'system',
  'zone',
  'term',
  'custom',
] as const;
export type RedactionCategory = (typeof REDACTION_CATEGORIES)[number];

export const REDACTION_LIMITS = { term: 200, replacement: 120, overrides: 2_000 } as const;

export interface DictionaryEntry {
  /** The real text, as written in the source (NFC). */
  term: string;
  /** The pseudonym written instead. */
  replacement: string;
  category: RedactionCategory;
  /** Where it came from, for the person reviewing: "HERON · client", "HERON · map system", "added by you". */
  source: string;
  enabled: boolean;
}

/** A user edit, persisted notebook-wide: change a pseudonym, disable an entry, or add a term. */
export const redactionOverrideSchema = z.strictObject({
  term: z
    .string()
    .trim()
    .min(2, 'A term to redact has at least 2 characters')
    .max(REDACTION_LIMITS.term, `A term is at most ${REDACTION_LIMITS.term} characters`),
  replacement: z
    .string()
    .trim()
    .min(1, 'A replacement cannot be empty')
    .max(REDACTION_LIMITS.replacement, `A replacement is at most ${REDACTION_LIMITS.replacement} characters`)
    .optional(),
  enabled: z.boolean().optional(),
});
export type RedactionOverride = z.infer<typeof redactionOverrideSchema>;
export const redactionOverridesSchema = z
  .array(redactionOverrideSchema)
  .max(REDACTION_LIMITS.overrides, `At most ${REDACTION_LIMITS.overrides} redaction overrides`);

/** What the dictionary is built from: every engagement involved in an export. */
export interface RedactionSource {
  id: string;
  client: string;
  site: string;
  codename: string;
  team: Array<{ id: string; name: string }>;
  stakeholders: Array<{ id: string; name: string; organisation: string }>;
  systems: Array<{ id: string; name: string; kind: SystemKind | string; vendor?: string; tags?: string[] }>;
  zones: Array<{ id: string; name: string }>;
  /** Glossary entries; only the client's own terms (kind "client") are redacted. */
  glossary: Array<{ id: string; term: string; kind: string; aliases: string[] }>;
}

/** The key two spellings of one term share: NFC, lower case, markup dropped, whitespace collapsed. */
export function termKey(text: string): string {
  return text.normalize('NFC').replace(MARKUP_CHARS, ' ').replace(/\s+/gu, ' ').trim().toLowerCase();
}

const MARKUP_CHARS = /[*_~`]+|<\/?[a-z][a-z0-9]*\s*\/?>/giu;

/** "A", "B", … "Z", "AA", "AB", … */
function letters(n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(65 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

/** The family a system's pseudonym comes from: a well-known acronym in its name, else its map kind. */
const SYSTEM_FAMILIES: Array<[RegExp, string]> = [
  [/\b(erp|sap|oracle ebs|jd ?edwards|dynamics|netsuite)\b/iu, 'ERP'],
  [/\bwms\b|warehouse management/iu, 'WMS'],
  [/\bmes\b/iu, 'MES'],
  [/\bcrm\b|salesforce/iu, 'CRM'],
  [/\bscada\b/iu, 'SCADA'],
  [/\bhmi\b/iu, 'HMI'],
  [/\bplc\b/iu, 'PLC'],
  [/\bsftp\b|\bftp\b/iu, 'FTP'],
];
const KIND_FAMILIES: Record<SystemKind, string> = {
  application: 'Application',
  database: 'Database',
  api: 'API',
  queue: 'Queue',
  file_drop: 'FileDrop',
  model_service: 'Model',
  pipeline: 'Pipeline',
  device: 'Device',
  user_group: 'UserGroup',
  external: 'External',
};
function systemFamily(system: RedactionSource['systems'][number]): string {
  const text = [system.name, system.vendor ?? '', ...(system.tags ?? [])].join(' ');
  for (const [pattern, family] of SYSTEM_FAMILIES) if (pattern.test(text)) return family;
  return (SYSTEM_KINDS as readonly string[]).includes(system.kind) ? KIND_FAMILIES[system.kind as SystemKind] : 'System';
}

const byId = <T extends { id: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => a.id.localeCompare(b.id));

/**
 * The automatic dictionary: deterministic for the same input (engagements and their entities are
 * taken in id order), and one real name always gets one pseudonym across the whole export (the
 * first category that names it wins: a stakeholder's organisation that is the client stays
 * "Client A"). Terms shorter than 2 characters are skipped.
 */
export function buildDictionary(sources: readonly RedactionSource[]): DictionaryEntry[] {
  const entries: DictionaryEntry[] = [];
  const seen = new Map<string, DictionaryEntry>();
  const counters = new Map<string, number>();
  const next = (family: string) => {
    const n = (counters.get(family) ?? 0) + 1;
    counters.set(family, n);
    return n;
  };
  const add = (term: string, category: RedactionCategory, source: string, pseudonym: () => string): DictionaryEntry | null => {
    const clean = term.normalize('NFC').replace(/\s+/gu, ' ').trim();
    if (clean.length < 2) return null;
    const key = termKey(clean);
    if (!key) return null;
    const known = seen.get(key);
    if (known) return known;
    const entry: DictionaryEntry = { term: clean, replacement: pseudonym(), category, source, enabled: true };
    seen.set(key, entry);
    entries.push(entry);
    return entry;
  };
  const engagements = byId(sources);
  const label = (e: RedactionSource) => e.codename || e.id.slice(0, 8);
  // Category by category over all engagements, so numbering reads naturally (Client A, B…).
  for (const e of engagements) add(e.client, 'client', `${label(e)} · client`, () => `Client ${letters(next('client') - 1)}`);
  for (const e of engagements) add(e.site, 'site', `${label(e)} · site`, () => `Site ${next('site')}`);
  for (const e of engagements) add(e.codename, 'codename', `${label(e)} · codename`, () => `Codename ${next('codename')}`);
  for (const e of engagements)
    for (const s of byId(e.stakeholders))
      add(s.organisation, 'organisation', `${label(e)} · organisation of a stakeholder`, () => `Organisation ${next('organisation')}`);
  for (const e of engagements) for (const m of byId(e.team)) add(m.name, 'person', `${label(e)} · team`, () => `Person ${next('person')}`);
  for (const e of engagements)
    for (const s of byId(e.stakeholders))
      add(s.name, 'stakeholder', `${label(e)} · stakeholder`, () => `Stakeholder ${next('stakeholder')}`);
  for (const e of engagements)
    for (const s of byId(e.systems)) {
      const family = systemFamily(s);
      add(s.name, 'system', `${label(e)} · map system`, () => `${family}-${next(`system:${family}`)}`);
    }
  for (const e of engagements)
    for (const z of byId(e.zones)) add(z.name, 'zone', `${label(e)} · network zone`, () => `Zone ${next('zone')}`);
  for (const e of engagements)
    for (const g of byId(e.glossary)) {
      if (g.kind !== 'client') continue;
      const entry = add(g.term, 'term', `${label(e)} · client glossary`, () => `Term ${next('term')}`);
      if (!entry) continue;
      for (const alias of g.aliases) add(alias, 'term', `${label(e)} · client glossary (other spelling)`, () => entry.replacement);
    }
  return entries;
}

/**
 * The dictionary with the user's overrides on top: an override naming an existing term changes
 * its replacement or turns it off; one naming a new term adds it ("added by you"; "[redacted]"
 * unless a replacement is given).
 */
export function applyOverrides(auto: readonly DictionaryEntry[], overrides: readonly RedactionOverride[]): DictionaryEntry[] {
  const entries = auto.map((e) => ({ ...e }));
  const index = new Map(entries.map((e) => [termKey(e.term), e]));
  for (const o of overrides) {
    const key = termKey(o.term);
    if (!key) continue;
    const existing = index.get(key);
    if (existing) {
      if (o.replacement !== undefined) existing.replacement = o.replacement;
      if (o.enabled !== undefined) existing.enabled = o.enabled;
      continue;
    }
    const entry: DictionaryEntry = {
      term: o.term.normalize('NFC').replace(/\s+/gu, ' ').trim(),
      replacement: o.replacement ?? '[redacted]',
      category: 'custom',
      source: 'added by you',
      enabled: o.enabled ?? true,
    };
    index.set(key, entry);
    entries.push(entry);
  }
  return entries;
}

// ---- Matching ---------------------------------------------------------------------------------

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Between two words of a term: whitespace (line breaks too), with Markdown emphasis or an inline tag on either side. */
const MARKUP = String.raw`(?:\\?[*_~\x60]|<\/?[a-zA-Z][a-zA-Z0-9]*\s*\/?>)`;
const GAP = `${MARKUP}*\\s+${MARKUP}*`;
const WORD = String.raw`[\p{L}\p{M}\p{N}]`;

const IS_WORD = /[\p{L}\p{M}\p{N}]/u;

function termPattern(term: string): string {
  const words = term.normalize('NFC').split(/\s+/u).filter(Boolean).map(escapeRegex);
  const first = term.trim()[0] ?? '';
  const last = term.trim().at(-1) ?? '';
  const before = IS_WORD.test(first) ? `(?<!${WORD})` : '';
  const after = IS_WORD.test(last) ? `(?!${WORD})` : '';
  return `${before}${words.join(GAP)}${after}`;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** A term ends here; `word` is whether its last character is a letter or digit (then a word boundary must follow). */
  end: { word: boolean } | null;
}

/**
 * One regular expression for the whole dictionary, factored as a trie (thousands of terms stay
 * fast): at each branch the longer continuations come before "the term ends here", so the
 * backtracking engine takes the longest term that matches at a position.
 */
function triePattern(terms: readonly string[]): string {
  const root: TrieNode = { children: new Map(), end: null };
  for (const term of terms) {
    const chars = [...term.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase()];
    let node = root;
    for (const ch of chars) {
      let next = node.children.get(ch);
      if (!next) {
        next = { children: new Map(), end: null };
        node.children.set(ch, next);
      }
      node = next;
    }
    node.end = { word: IS_WORD.test(chars.at(-1) ?? '') };
  }
  const emit = (node: TrieNode): string => {
    const branches: string[] = [];
    for (const [ch, child] of node.children) branches.push(`${ch === ' ' ? GAP : escapeRegex(ch)}${emit(child)}`);
    if (node.end) branches.push(node.end.word ? `(?!${WORD})` : '');
    if (branches.length === 1) return branches[0] as string;
    return `(?:${branches.join('|')})`;
  };
  const wordStarts: string[] = [];
  const otherStarts: string[] = [];
  for (const [ch, child] of root.children) (IS_WORD.test(ch) ? wordStarts : otherStarts).push(`${escapeRegex(ch)}${emit(child)}`);
  const parts: string[] = [];
  if (wordStarts.length) parts.push(`(?<!${WORD})(?:${wordStarts.join('|')})`);
  parts.push(...otherStarts);
  return parts.join('|');
}

/**
 * The last few dictionary expressions, by source: a large case-insensitive Unicode expression costs
 * the engine hundreds of milliseconds to compile to native code the first time it runs, and an
 * export's preview is asked for again and again with the same dictionary. (Global expressions are
 * safe to share here: `replace` and `matchAll` never leave `lastIndex` in use.)
 */
const REGEX_CACHE = new Map<string, RegExp>();
function cachedRegex(source: string): RegExp {
  const known = REGEX_CACHE.get(source);
  if (known) {
    REGEX_CACHE.delete(source);
    REGEX_CACHE.set(source, known);
    return known;
  }
  const regex = new RegExp(source, 'giu');
  REGEX_CACHE.set(source, regex);
  if (REGEX_CACHE.size > 8) REGEX_CACHE.delete(REGEX_CACHE.keys().next().value as string);
  return regex;
}

/** A dictionary compiled once into one regular expression (longest terms first). */
export interface Redactor {
  entries: DictionaryEntry[];
  regex: RegExp | null;
  byKey: Map<string, DictionaryEntry>;
}

export function compileDictionary(dictionary: readonly DictionaryEntry[]): Redactor {
  const byKey = new Map<string, DictionaryEntry>();
  for (const entry of dictionary) {
    if (!entry.enabled) continue;
    const key = termKey(entry.term);
    if (key.length >= 2 && !byKey.has(key)) byKey.set(key, entry);
  }
  const entries = [...byKey.entries()]
    .sort(([ka, a], [kb, b]) => kb.length - ka.length || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
    .map(([, entry]) => entry);
  const regex = entries.length ? cachedRegex(triePattern(entries.map((e) => e.term))) : null;
  return { entries, regex, byKey };
}

function entryFor(redactor: Redactor, matched: string): DictionaryEntry | null {
  const hit = redactor.byKey.get(termKey(matched));
  if (hit) return hit;
  // Case folding can differ between the regex and toLowerCase (rare letters): test each term.
  for (const entry of redactor.entries) {
    const one = new RegExp(`^${termPattern(entry.term)}$`, 'iu');
    if (one.test(matched)) return entry;
  }
  return null;
}

export interface Replacement {
  term: string;
  replacement: string;
  category: RedactionCategory;
  count: number;
}

/** Adds one replacement made to a tally keyed by term. */
export function tally(into: Map<string, Replacement>, from: Iterable<Replacement>): void {
  for (const r of from) {
    const known = into.get(r.term);
    if (known) known.count += r.count;
    else into.set(r.term, { ...r });
  }
}

/**
 * Replaces every enabled dictionary term in `text` (rules at the top of this file). Markup found
 * between the words of a match is kept around the pseudonym ("Acme **Logistics**" →
 * "**Client A**"), so emphasis stays balanced.
 */
export function redact(text: string, dictionary: readonly DictionaryEntry[] | Redactor): { text: string; replacements: Replacement[] } {
  const redactor = Array.isArray(dictionary) ? compileDictionary(dictionary) : (dictionary as Redactor);
  const normalized = text.normalize('NFC');
  if (!redactor.regex || !normalized) return { text: normalized, replacements: [] };
  const counts = new Map<string, Replacement>();
  const out = normalized.replace(redactor.regex, (matched) => {
    const entry = entryFor(redactor, matched);
    if (!entry) return matched;
    const known = counts.get(entry.term);
    if (known) known.count += 1;
    else counts.set(entry.term, { term: entry.term, replacement: entry.replacement, category: entry.category, count: 1 });
    let opening = '';
    let closing = '';
    for (const gap of matched.matchAll(new RegExp(GAP, 'gu'))) {
      const [lead = '', trail = ''] = gap[0].split(/\s+/u);
      closing += lead;
      opening += trail;
    }
    return `${opening}${entry.replacement}${closing}`;
  });
  return { text: out, replacements: [...counts.values()] };
}

// ---- The final scan ------------------------------------------------------------------------------

export const FINDING_KINDS = ['dictionary', 'ipv4', 'ipv6', 'email', 'hostname', 'number'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  dictionary: 'Name from the dictionary',
  ipv4: 'IP address',
  ipv6: 'IPv6 address',
  email: 'E-mail address',
  hostname: 'Host name',
  number: 'Long number',
};

export interface Finding {
  text: string;
  kind: FindingKind;
  count: number;
  /** A few words around the first occurrence. */
  context: string;
}

/** The refusal while the final scan still finds identifiers: each one in `details`. */
export function exportRefusal(findings: readonly Finding[]): OutpostError {
  return new OutpostError(
    'invalid_request',
    `The final check still finds ${findings.length} identifier${findings.length === 1 ? '' : 's'} in the export; nothing was written. Replace each (add it to the redaction dictionary) or allow it explicitly.`,
    findings.map((f) => `${FINDING_KIND_LABELS[f.kind]}: "${f.text}" (${f.count}×) — ${f.context}`),
  );
}

const IPV4 = /(?<![\p{N}.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\p{N}]|\.\d)/gu;
const IPV6 = /(?<![\p{L}\p{N}:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\p{L}\p{N}:])/giu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const URL_HOST = /\b[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]+@)?([^\s/:?#)\]]+)/giu;
const UNC = /\\\\[\p{L}\p{N}._$-]+(?:\\[\p{L}\p{N}._$ -]*[\p{L}\p{N}._$-])*/gu;
const FQDN =
  /(?<![\p{L}\p{N}@._-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+([\p{L}]{2,63})(?![\p{L}\p{N}-]|\.[\p{L}\p{N}])/gu;
const LONG_NUMBER = /(?<![\p{N}.,:])\d{6,}(?![\p{N}]|[.,:]\d)/gu;

/** Top-level domains and internal suffixes a host name ends with (file names like "report.pdf" do not). */
const HOST_SUFFIXES = new Set(
  (
    'com net org edu gov mil int io co uk de fr pl nl eu us ca au ch se no dk fi it es be at jp cn in br ru cz sk hu ro pt ie ' +
    'info biz cloud app dev ai tech online site xyz me tv ' +
    'local lan corp internal intra intranet home localdomain ad priv private'
  ).split(' '),
);

function isIpv6(candidate: string): boolean {
  const doubles = candidate.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = candidate.split(':');
  if (groups.some((g) => g.length > 4)) return false;
  if (doubles === 0 && groups.length !== 8) return false;
  if (doubles === 1 && candidate === '::') return false;
  return groups.some((g) => g.length > 0);
}

/** 8-digit runs that read as a date (YYYYMMDD) are not identifiers. */
function isDateLike(digits: string): boolean {
  if (digits.length !== 8) return false;
  const y = Number(digits.slice(0, 4));
  const m = Number(digits.slice(4, 6));
  const d = Number(digits.slice(6, 8));
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

function contextAt(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 40);
  const end = Math.min(text.length, index + length + 40);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/gu, ' ').trim()}${end < text.length ? '…' : ''}`;
}

export interface ScanOptions {
  /** Texts explicitly allowed (compared case-insensitively, NFC): never reported. */
  allow?: readonly string[];
}

/**
 * The final check over an export's text: every enabled dictionary term still present, and
 * patterns for IPv4 / IPv6 addresses, e-mail addresses, host names (FQDNs such as
 * erp01.acme.local, URL hosts, UNC paths \\fileserver\share) and long numbers (6 digits or more;
 * not dates, years or version numbers). One finding per distinct text, with a count and the
 * context of its first occurrence. The dictionary's own pseudonyms and the `allow` list are never reported.
 */
export function scanForIdentifiers(text: string, dictionary: readonly DictionaryEntry[] | Redactor, options: ScanOptions = {}): Finding[] {
  const redactor = Array.isArray(dictionary) ? compileDictionary(dictionary) : (dictionary as Redactor);
  const normalized = text.normalize('NFC');
  // Allowed: what the person allowed, and the pseudonyms the dictionary writes (a chosen replacement may look like an address).
  const allowed = new Set([...(options.allow ?? []), ...redactor.entries.map((e) => e.replacement)].map(termKey));
  const findings = new Map<string, Finding>();
  const covered: Array<[number, number]> = [];
  const record = (found: string, kind: FindingKind, index: number) => {
    const shown = found.replace(/\s+/gu, ' ').trim();
    if (!shown || allowed.has(termKey(shown))) return;
    const key = `${kind}\u0000${kind === 'dictionary' ? termKey(shown) : shown.toLowerCase()}`;
    const known = findings.get(key);
    if (known) known.count += 1;
    else findings.set(key, { text: shown, kind, count: 1, context: contextAt(normalized, index, found.length) });
  };
  const inside = (index: number, end: number) => covered.some(([s, e]) => index >= s && end <= e);
  const each = (regex: RegExp, fn: (m: RegExpMatchArray, index: number) => void) => {
    regex.lastIndex = 0;
    for (const m of normalized.matchAll(regex)) fn(m, m.index ?? 0);
  };
  if (redactor.regex) {
    each(redactor.regex, (m, index) => {
      const entry = entryFor(redactor, m[0]);
      record(entry ? entry.term : m[0], 'dictionary', index);
    });
  }
  each(EMAIL, (m, index) => {
    covered.push([index, index + m[0].length]);
    record(m[0], 'email', index);
  });
  each(UNC, (m, index) => {
    covered.push([index, index + m[0].length]);
    record(m[0], 'hostname', index);
  });
  each(URL_HOST, (m, index) => {
    const host = m[1] ?? '';
    const at = index + m[0].lastIndexOf(host);
    if (IPV4.test(host)) {
      IPV4.lastIndex = 0;
      return;
    }
    IPV4.lastIndex = 0;
    covered.push([at, at + host.length]);
    record(host, 'hostname', at);
  });
  each(IPV4, (m, index) => {
    covered.push([index, index + m[0].length]);
    record(m[0], 'ipv4', index);
  });
  each(IPV6, (m, index) => {
    if (!isIpv6(m[0])) return;
    covered.push([index, index + m[0].length]);
    record(m[0], 'ipv6', index);
  });
  each(FQDN, (m, index) => {
    const end = index + m[0].length;
    if (inside(index, end)) return;
    if (!HOST_SUFFIXES.has((m[1] ?? '').toLowerCase())) return;
    record(m[0], 'hostname', index);
  });
  each(LONG_NUMBER, (m, index) => {
    if (inside(index, index + m[0].length) || isDateLike(m[0])) return;
    record(m[0], 'number', index);
  });
  return [...findings.values()].sort(
    (a, b) => FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) || a.text.localeCompare(b.text),
  );
}
