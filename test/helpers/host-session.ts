/**
 * Signs a Node-side client (a test, a benchmark) in to a browser-mode host the way a browser does:
 * opens the printed address (token included) and keeps the session cookie it sets.
 */
export interface HostSession {
  /** http://127.0.0.1:PORT (no trailing slash). */
  origin: string;
  /** The Cookie header to send with every request and the WebSocket handshake. */
  cookie: string;
}

export async function signIn(loginUrl: string): Promise<HostSession> {
  const response = await fetch(loginUrl, { redirect: 'manual' });
  const setCookie = response.headers.get('set-cookie');
  if (response.status !== 303 || !setCookie) throw new Error(`Signing in to ${new URL(loginUrl).origin} failed: HTTP ${response.status}`);
  return { origin: new URL(loginUrl).origin, cookie: setCookie.split(';')[0] as string };
}
