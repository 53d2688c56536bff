import type http from 'node:http';
import { newSecretToken, sameSecret } from '../notebook/secret-token';

/**
 * The browser host's secret. The Origin check stops other web pages, not other processes: any
 * account on the machine can open a socket to 127.0.0.1 and forge an Origin header. So every
 * request needs a secret only the user who started the host has seen.
 *
 * As Jupyter does: the host prints a URL with a random token (valid while this run lasts); opening
 * it exchanges the token for an HttpOnly, SameSite=Strict session cookie bound to this run, and
 * redirects to the same address without the token. Every other route and the WebSocket require
 * the cookie. A restart makes new secrets: a tab of the old run is told to open the new address
 * (and reconnects by itself once any tab of the browser has).
 */
export interface HostAuth {
  /** The address to open, token included. */
  loginUrl(origin: string): string;
  /** The cookie's name: per port, since browsers share 127.0.0.1's cookies across ports. */
  readonly cookieName: string;
  /** GET …?token=…: the exchange. Returns the response to send, or null when the request carries no token. */
  login(req: http.IncomingMessage): LoginOutcome | null;
  /** Whether the request carries this run's session cookie. */
  signedIn(req: http.IncomingMessage): boolean;
}

export type LoginOutcome = { ok: true; status: 303; headers: Record<string, string> } | { ok: false; status: 403; message: string };

const TOKEN_PARAM = 'token';

export function createHostAuth(port: number, secrets: { token?: string; session?: string } = {}): HostAuth {
  const token = secrets.token ?? newSecretToken();
  const session = secrets.session ?? newSecretToken();
  const cookieName = `outpost-session-${port}`;

  return {
    cookieName,
    loginUrl: (origin) => `${origin.replace(/\/$/, '')}/?${TOKEN_PARAM}=${token}`,
    login(req) {
      const url = requestUrl(req);
      if (!url?.searchParams.has(TOKEN_PARAM)) return null;
      if (req.method !== 'GET' || !sameSecret(url.searchParams.get(TOKEN_PARAM) ?? '', token)) {
        return {
          ok: false,
          status: 403,
          message:
            'This link’s token is not the one this Outpost host printed. Open the address it printed when it started (npm run web shows it).',
        };
      }
      url.searchParams.delete(TOKEN_PARAM);
      const rest = url.searchParams.toString();
      return {
        ok: true,
        status: 303,
        headers: {
          // No Max-Age: a browser-session cookie, and useless after this run anyway.
          'Set-Cookie': `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`,
          Location: `${url.pathname}${rest ? `?${rest}` : ''}`,
          'Cache-Control': 'no-store',
        },
      };
    },
    signedIn: (req) => sameSecret(readCookie(req.headers.cookie, cookieName) ?? '', session),
  };
}

function requestUrl(req: http.IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/** One cookie's value from a Cookie header; malformed pairs are skipped, never thrown on. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
