import type { EventName, EventPayload } from '../../shared/api/contract';
import type { Result } from '../../shared/errors';
import type { BundleDownload } from '../sync/bundle-transfers';

export type EmitEvent = (event: EventName, payload: EventPayload<EventName>) => void;

/** One renderer's conversation with the services. */
export interface ClientSession {
  readonly id: string;
  call(name: unknown, request: unknown): Promise<Result<unknown>>;
  close(): void;
}

/** Where renderers connect: the ApiServer itself, or a worker thread running it. */
export interface ApiEndpoint {
  connect(emit: EmitEvent): ClientSession;
  /**
   * An exported bundle's bytes for its one-time download token (null: unknown, used or expired).
   * Not a contract call: only the HTTP host and the app:// protocol handler serve it, by token.
   */
  takeBundleDownload(token: string): Promise<BundleDownload | null>;
}
