import type { HubStatus } from '../../shared/sync/hub-calls';
import { connectionLine } from './hub-format';

/** The configured hub: where it is, the key this notebook trusts, the connection now, and its ceiling. */
export function HubFacts({ status }: { status: HubStatus }) {
  return (
    <>
      <dl className="hub-facts">
        <dt>Hub</dt>
        <dd>
          <code>{status.url}</code>
        </dd>
        <dt>Hub key</dt>
        <dd>
          <code>{status.fingerprint}</code>
        </dd>
        <dt>Status</dt>
        <dd>
          {/* A live region: a screen reader hears "Offline since …" when the hub goes away. */}
          <span role="status" className={`hub-connection hub-connection-${status.connection}`}>
            {connectionLine(status)}
          </span>
        </dd>
        <dt>Ceiling</dt>
        <dd>
          {status.ceiling
            ? `${status.ceiling}: notes marked above it are never sent to this hub`
            : 'Known once connected; nothing is sent before then'}
        </dd>
      </dl>
      {status.lastError && (
        <p role="alert" className="error">
          {status.lastError}
        </p>
      )}
    </>
  );
}
