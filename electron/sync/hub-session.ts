import { HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { OutpostError } from '../../shared/errors';
import { CHALLENGE_LIFETIME_MS, CHALLENGE_PATH, checkChallenge, type HubChallenge, makeToken } from '../../shared/hub/auth';

/**
 * ws' WebSocket, never left without an 'error' listener: the provider removes its own listeners
 * before closing a socket that is still connecting, and ws then reports the aborted handshake as
 * an error event nobody hears, which Node turns into an uncaught exception. The provider still
 * learns of errors through its own listeners while they are attached.
 */
class HubWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols);
    this.on('error', () => {});
  }
}

/** The device as it proves itself to a hub. */
export interface HubDevice {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  deviceId: string;
  name: string;
}

/** A hub URL as the user gives it: ws:// or wss:// (http(s):// is accepted and means the same host). */
export function normalizeHubUrl(input: string): { ws: string; http: string } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new OutpostError('invalid_request', `"${input.slice(0, 100)}" is not a hub URL (like ws://10.0.0.5:4455 or wss://hub.example)`);
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash)
    throw new OutpostError('invalid_request', 'A hub URL is ws://HOST:PORT or wss://HOST:PORT, with no user, query or fragment');
  const host = url.host;
  return { ws: `${secure ? 'wss' : 'ws'}://${host}`, http: `${secure ? 'https' : 'http'}://${host}` };
}

/** Asks a hub for a challenge and checks it is signed by the key it names. */
export async function fetchChallenge(httpUrl: string, timeoutMs = 5000): Promise<{ challenge: HubChallenge; hubFingerprint: string }> {
  let body: unknown;
  try {
    const response = await fetch(`${httpUrl}${CHALLENGE_PATH}`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    if (text.length > 16 * 1024) throw new Error('answer too large');
    body = JSON.parse(text);
  } catch (error) {
    throw new OutpostError('hub_unreachable', `Cannot reach the team hub at ${httpUrl}: ${(error as Error).message}`);
  }
  const checked = checkChallenge(body, Date.now());
  if (!checked.ok) throw new OutpostError('hub_refused', `${httpUrl}: ${checked.reason}`);
  return { challenge: checked.challenge, hubFingerprint: checked.hubFingerprint };
}

/**
 * One connection to a hub: a single WebSocket that every document's provider shares (Hocuspocus
 * multiplexes them), and the device token each provider authenticates with. The token answers a
 * challenge that stays valid for two minutes, so one is fetched per minute, not per document. The
 * socket reconnects by itself (from 1 s, backing off up to 10 s) when the hub or the network goes away.
 */
export class HubSession {
  readonly socket: HocuspocusProviderWebsocket;
  private cached: { token: string; until: number } | null = null;
  private pendingToken: Promise<string> | null = null;
  /** The hub's ceiling and levels, from its latest challenge. */
  policy: { ceiling: string; levels: readonly string[] } | null = null;

  constructor(
    readonly url: { ws: string; http: string },
    readonly pinned: string,
    private readonly device: () => HubDevice,
    onStatus: (status: 'connecting' | 'connected' | 'disconnected') => void,
  ) {
    this.socket = new HocuspocusProviderWebsocket({
      url: url.ws,
      WebSocketPolyfill: HubWebSocket,
      // Backing off from 1 s (the provider's jittered minimum) up to 10 s.
      delay: 1000,
      factor: 2,
      maxDelay: 10_000,
      maxAttempts: 0,
      messageReconnectTimeout: 30_000,
      onStatus: ({ status }) => onStatus(status as 'connecting' | 'connected' | 'disconnected'),
    });
  }

  /** The token a provider sends; throws (the provider reports it as refused) when the hub is not the trusted one. */
  token = (): Promise<string> => {
    if (this.cached && this.cached.until > Date.now()) return Promise.resolve(this.cached.token);
    this.pendingToken ??= (async () => {
      try {
        const { challenge, hubFingerprint } = await fetchChallenge(this.url.http);
        if (hubFingerprint !== this.pinned)
          throw new OutpostError(
            'hub_untrusted',
            `The hub at ${this.url.ws} now answers with key ${hubFingerprint}, not the trusted ${this.pinned}: not syncing. If the hub was rebuilt on purpose, connect again with --trust.`,
          );
        this.policy = { ceiling: challenge.ceiling, levels: challenge.levels };
        const token = makeToken(challenge, this.device());
        this.cached = { token, until: challenge.expiresAt - CHALLENGE_LIFETIME_MS / 2 };
        return token;
      } finally {
        this.pendingToken = null;
      }
    })();
    return this.pendingToken;
  };

  destroy(): void {
    this.socket.destroy();
  }
}
