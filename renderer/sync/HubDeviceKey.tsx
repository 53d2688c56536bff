import { useId } from 'react';
import { useOutpost } from '../app/outpost-context';

/**
 * This device's public key, which the hub's admin adds as a member of an engagement: the hub only
 * lets a device sync what it is a member of. Shown whole and selectable, ready to paste.
 */
export function HubDeviceKey() {
  const { info } = useOutpost();
  const id = useId();
  return (
    <div className="hub-device-key">
      <h4 id={`${id}-title`}>This device's key</h4>
      <p>
        Fingerprint <code>{info.device.fingerprint}</code>
      </p>
      <p className="small muted">Public key, for the hub's admin to add this device as a member:</p>
      <code className="hub-key">{info.device.publicKey}</code>
      <p className="small muted">
        On the hub: <code className="hub-command">outpost hub members add KEY --engagement ID</code>
      </p>
    </div>
  );
}
