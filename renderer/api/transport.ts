import { API_SOCKET_PATH, SESSION_PATH, type ServerFrame } from '../../shared/api/wire';
import type { ErrorInfo, Result } from '../../shared/errors';

/**
 * `signed-out`: the host is up but this browser's session is not of its run (it was restarted and
 * printed a new address). Like `offline`, edits stay in the page and are sent once signed in again.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'signed-out';

/** Carries contract calls and events between this renderer and the main process. */
export interface Transport {
  call(name: string, request: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus;
}

interface OutpostBridge {
  call(name: string, request: unknown): Promise<unknown>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    outpostBridge?: OutpostBridge;
  }
}

const transportError = (message: string): { ok: false; error: ErrorInfo } => ({ ok: false, error: { code: 'transport', message } });

/** Electron: the preload's bridge over IPC. The main process is always there. */
export function electronTransport(bridge: OutpostBridge): Transport {
  return {
    status: 'online',
    call: async (name, request) => {
      try {
        return (await bridge.call(name, request)) as Result<unknown>;
      } catch (error) {
        return transportError(`The app's main process did not answer: ${(error as Error).message}`);
      }
    },
    onEvent: (listener) => bridge.onEvent(listener),
    onStatus: () => () => {},
  };
}

/** How long a call waits for the host to come back before it fails. */
const CALL_WAIT_MS = 10_000;

/**
 * Browser mode: a WebSocket to the local host that served this page. It reconnects by itself
 * (with backoff) when the host restarts; calls made meanwhile wait a little, then fail.
 */
export class SocketTransport implements Transport {
  status: ConnectionStatus = 'connecting';
  private socket: WebSocket | null = null;
  private nextId = 1;
  private retryMs = 250;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly eventListeners = new Set<(event: string, payload: unknown) => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly waiting = new Set<() => void>();

  constructor(private readonly url: string = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${API_SOCKET_PATH}`) {
    this.connect();
  }

  async call(name: string, request: unknown): Promise<Result<unknown>> {
    if (this.status !== 'online' && !(await this.waitOnline())) {
      return transportError('Not connected to the Outpost host. Is it still running? Your edits are kept in this browser.');
    }
    const socket = this.socket as WebSocket;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      socket.send(JSON.stringify({ id, name, request }));
    });
  }

  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private waitOnline(): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(onOnline);
        resolve(ok);
      };
      const onOnline = () => done(true);
      const timer = setTimeout(() => done(false), CALL_WAIT_MS);
      this.waiting.add(onOnline);
    });
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
    if (status === 'online') for (const wake of [...this.waiting]) wake();
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.retryMs = 250;
      this.setStatus('online');
    };
    socket.onmessage = (message) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(message.data)) as ServerFrame;
      } catch {
        return;
      }
      if ('event' in frame) {
        for (const listener of this.eventListeners) listener(frame.event, frame.payload);
        return;
      }
      const resolve = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      resolve?.(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: frame.error });
    };
    socket.onclose = () => {
      for (const resolve of this.pending.values())
        resolve(transportError('The connection to the Outpost host was lost before it answered.'));
      this.pending.clear();
      const retry = () => {
        setTimeout(() => this.connect(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 5_000);
      };
      // A handshake refused by a host that is up means this browser's session is not of its run.
      if (opened) {
        this.setStatus('offline');
        retry();
      } else
        void sessionState().then((state) => {
          this.setStatus(state);
          retry();
        });
    };
  }
}

async function sessionState(): Promise<'offline' | 'signed-out'> {
  try {
    const response = await fetch(SESSION_PATH, { cache: 'no-store', credentials: 'same-origin' });
    return response.status === 401 ? 'signed-out' : 'offline';
  } catch {
    return 'offline';
  }
}

export function createTransport(): Transport {
  return window.outpostBridge ? electronTransport(window.outpostBridge) : new SocketTransport();
}
