import type { EventName, EventPayload } from '../../shared/api/contract';
import type { Result } from '../../shared/errors';

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
}
