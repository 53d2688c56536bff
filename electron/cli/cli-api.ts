import type { CallName, CallRequest, CallResponse, EventName, EventPayload } from '../../shared/api/contract';
import { fromErrorInfo, type Result } from '../../shared/errors';

/**
 * The CLI's typed view of the contract, the same calls and validation as the UI's: either served
 * in this process on a notebook the CLI opened itself (`direct`), or sent to the process that
 * holds the notebook over its command channel (`host`). Errors throw OutpostError.
 */
export interface CliApi {
  readonly mode: 'direct' | 'host';
  /** Who answers: "this process", or the holder ("web host process 4242"). */
  readonly answeredBy: string;
  call<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResponse<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  close(): Promise<void>;
  /** Settles when the other side goes away (the holder closed or died); never, in direct mode. */
  readonly gone: Promise<void>;
}

/** The raw session both modes wrap: results as values, events by name. */
export interface RawSession {
  call(name: string, request: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  close(): Promise<void>;
  gone?: Promise<void>;
}

export function cliApi(mode: CliApi['mode'], answeredBy: string, session: RawSession): CliApi {
  return {
    mode,
    answeredBy,
    async call(name, request) {
      const result = await session.call(name, request);
      if (!result.ok) throw fromErrorInfo(result.error);
      return result.value as never;
    },
    on(event, listener) {
      return session.onEvent((name, payload) => {
        if (name === event) listener(payload as never);
      });
    },
    close: () => session.close(),
    gone: session.gone ?? new Promise<void>(() => {}),
  };
}
