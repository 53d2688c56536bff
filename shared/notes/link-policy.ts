import type { JSONContent } from '@tiptap/core';

/**
 * Which link targets a note body may hold. Notes arrive from other laptops (bundles, the team
 * hub), from pasted web pages and from imported files, so a link is data from outside: only
 * web and mail links are kept (Outpost's own links to notes and systems are `noteLink` nodes by
 * id, and the app's own routes start with `#/`). Anything else — `javascript:`, `data:`, `file:`,
 * `vbscript:`, a relative path into the notebook folder — is dropped: the text stays, the link goes.
 */
const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** Control characters and whitespace browsers ignore inside a scheme ("java\tscript:"). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const IGNORED_IN_URL = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\ufeff]/g;

export function isAllowedHref(href: unknown): href is string {
  if (typeof href !== 'string' || !href || href.length > 8192) return false;
  const compact = href.replace(IGNORED_IN_URL, '');
  if (compact.startsWith('#/')) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1];
  if (!scheme) return false;
  return ALLOWED_SCHEMES.has(`${scheme.toLowerCase()}:`);
}

/**
 * A copy of a note body with every link mark whose href is not allowed removed (its text kept).
 * Returns the same object when nothing had to change, so callers can skip a write.
 */
export function stripDisallowedLinks(json: JSONContent): { json: JSONContent; removed: number } {
  let removed = 0;
  const visit = (node: JSONContent): JSONContent => {
    let changed = false;
    let marks = node.marks;
    if (marks?.some((m) => m.type === 'link' && !isAllowedHref(m.attrs?.href))) {
      marks = marks.filter((m) => m.type !== 'link' || isAllowedHref(m.attrs?.href));
      removed++;
      changed = true;
    }
    let content = node.content;
    if (content) {
      const next = content.map(visit);
      if (next.some((child, i) => child !== content?.[i])) {
        content = next;
        changed = true;
      }
    }
    if (!changed) return node;
    const copy: JSONContent = { ...node };
    if (marks?.length) copy.marks = marks;
    else delete copy.marks;
    if (content) copy.content = content;
    return copy;
  };
  const result = visit(json);
  return { json: result, removed };
}

/** Offline mode (`never`, the default) opens nothing outside the app; `ask` opens a link the user clicks, after a confirmation. */
export const EXTERNAL_LINK_MODES = ['never', 'ask'] as const;
export type ExternalLinkMode = (typeof EXTERNAL_LINK_MODES)[number];

/**
 * What a confirmation names before a link leaves the app: the host, prominently (a link's text can
 * say anything), and the whole address. Null when the address may not be opened outside at all.
 */
export interface ExternalLinkPrompt {
  host: string;
  message: string;
  detail: string;
}

export function externalLinkPrompt(url: string): ExternalLinkPrompt | null {
  if (!isAllowedHref(url) || url.startsWith('#')) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === 'mailto:') {
    const to = parsed.pathname;
    return { host: to, message: `Write an e-mail to ${to}?`, detail: 'Outpost opens your mail program with this address.' };
  }
  if (parsed.username || parsed.password) return null; // https://trusted.example@evil.example/
  const shown = url.length > 300 ? `${url.slice(0, 300)}…` : url;
  return {
    host: parsed.hostname,
    message: `Open ${parsed.hostname} in your browser?`,
    detail: `${shown}\n\nThis leaves Outpost and connects to the network.`,
  };
}
