import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../host/static-files';

/**
 * The desktop app's lock-down, as pure rules that electron/app/main.ts applies and tests check
 * without an Electron binary. Each rule names the item of Electron's security checklist
 * (electronjs.org/docs/latest/tutorial/security, "Checklist: Security Recommendations") it covers.
 * The window itself is created with contextIsolation, sandbox, no Node integration and webSecurity
 * on (items 2, 3, 4, 6) in main.ts; the fuses are set in electron-builder.yml.
 */

/** The renderer's own origin: a privileged standard scheme, so its IndexedDB replica is stable. */
export const APP_ORIGIN = 'app://outpost';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A URL of the app itself (app://outpost/…), not of a look-alike host or another scheme. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed?.protocol === 'app:' && parsed.host === 'outpost';
}

/**
 * Checklist 1 ("Only load secure content") and the offline guarantee: every request the session
 * makes is cancelled unless it is for the app's own files — no http(s), no file://, no ws. DevTools
 * pages load only where DevTools may open at all (development builds).
 */
export function requestAllowed(url: string, options: { packaged: boolean }): boolean {
  if (isAppUrl(url)) return true;
  // Inline images pasted before upload and blobs made by the page itself never leave the process.
  if (url.startsWith('data:') || url.startsWith('blob:app://outpost/')) return true;
  return !options.packaged && url.startsWith('devtools://');
}

/**
 * Checklist 7 ("Define a Content Security Policy"): every app response gets the app's strict CSP —
 * except one that already carries its own, as attachments and bundle downloads do
 * (`default-src 'none'; sandbox`): replacing it would lift the sandbox off a file from a client.
 */
export function withContentSecurityPolicy(headers: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const hasOwn = Object.keys(headers).some((name) => name.toLowerCase() === 'content-security-policy');
  return hasOwn ? headers : { ...headers, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

/**
 * Checklist 5 ("Handle session permission requests from remote content"): the app needs no
 * permission — no camera, microphone, notifications, geolocation, MIDI, HID, serial, clipboard
 * reading or fullscreen by script — so both the request and the check handler answer no.
 */
export function permissionAllowed(_permission: string): boolean {
  return false;
}

/** Checklist 13 ("Disable or limit navigation"): a window stays on the app's own pages. */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Checklist 14 ("Disable or limit creation of new windows") and 15 ("Do not use shell.openExternal
 * with untrusted content"): no page opens a window, and nothing is opened outside the app from
 * here — a link in a synced note must not make an air-gapped laptop start a browser. A user opens
 * a link on purpose through the `links.openExternal` call, which asks first (shared/notes/link-policy.ts externalLinkPrompt) and refuses in offline mode.
 */
export function windowOpenAllowed(_url: string): false {
  return false;
}

/** Checklist 12 ("Do not use <webview>"): never attached. */
export const WEBVIEWS_ALLOWED = false;

/** DevTools only in a development build: a packaged app on a client's laptop has none. */
export function devToolsAllowed(options: { packaged: boolean }): boolean {
  return !options.packaged;
}

/**
 * The app:// protocol's file lookup: a path inside the built renderer, or index.html for the
 * client-side routes. Null for a path that is not one (a NUL, bad percent-encoding, `..` out of
 * the folder): the request fails instead of reading anything else.
 */
export function rendererFileFor(rendererDir: string, pathname: string): { file: string; fallback: boolean } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.length > 1024) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  if (decoded.endsWith('/') || !path.extname(file)) return { file: path.join(root, 'index.html'), fallback: true };
  return { file, fallback: false };
}
