import type { CallName, CallRequest, CallResponse, EventName, EventPayload } from '../../shared/api/contract';
import { fromErrorInfo } from '../../shared/errors';
import type { ConnectionStatus, Transport } from './transport';

/** The renderer's typed view of the contract: `api.call('engagements.list', {...})`. Errors throw OutpostError. */
export class ApiClient {
  constructor(private readonly transport: Transport) {}

  async call<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResponse<N>> {
    const result = await this.transport.call(name, request);
    if (!result.ok) throw fromErrorInfo(result.error);
    return result.value as CallResponse<N>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.onEvent((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>);
    });
  }

  get status(): ConnectionStatus {
    return this.transport.status;
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    return this.transport.onStatus(listener);
  }
}
