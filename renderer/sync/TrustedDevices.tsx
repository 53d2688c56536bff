import { useId, useState } from 'react';
import type { TrustedDeviceInfo } from '../../shared/sync/calls';
import { errorLines, FormErrors, useModalDialog } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { formatDay } from './sync-format';

/** Devices whose bundles this notebook accepts; revoking one (after a confirmation) refuses its bundles from then on. */
export function TrustedDevices({ devices, error }: { devices: TrustedDeviceInfo[] | null; error: string | null }) {
  const id = useId();
  const [revoking, setRevoking] = useState<TrustedDeviceInfo | null>(null);
  return (
    <section className="sync-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Trusted devices</h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {devices?.length === 0 && <p className="muted">No trusted devices yet: importing a bundle from a new device asks you to trust it.</p>}
      {!!devices?.length && (
        <ul className="sync-devices" aria-labelledby={`${id}-title`}>
          {devices.map((device) => (
            <li key={device.deviceId} className={device.revokedAt ? 'revoked' : undefined}>
              <div>
                <strong>{device.name || 'Unnamed device'}</strong> <span className="muted small">device {device.deviceId.slice(0, 8)}</span>
                <div>
                  <code>{device.fingerprint}</code>
                </div>
                <div className="small muted">
                  {device.revokedAt
                    ? `Revoked on ${formatDay(device.revokedAt)}: its bundles are refused`
                    : `Trusted since ${formatDay(device.trustedAt)}`}
                </div>
              </div>
              {!device.revokedAt && (
                <button type="button" onClick={() => setRevoking(device)} aria-label={`Revoke ${device.name || device.deviceId}`}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {revoking && <RevokeDialog device={revoking} onClose={() => setRevoking(null)} />}
    </section>
  );
}

function RevokeDialog({ device, onClose }: { device: TrustedDeviceInfo; onClose(): void }) {
  const { api } = useOutpost();
  const { ref, close } = useModalDialog();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const name = device.name || device.deviceId;

  const revoke = async () => {
    setBusy(true);
    try {
      await api.call('devices.revoke', { deviceId: device.deviceId });
      close();
    } catch (error) {
      setErrors(errorLines(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`} onClose={onClose}>
      <h2 id={`${id}-title`}>Revoke {name}?</h2>
      <p id={`${id}-text`}>
        Bundles signed by this device (key <code>{device.fingerprint}</code>) are refused from now on, even ones made before today. What was
        already imported from it stays in this notebook.
      </p>
      <FormErrors title="The device was not revoked:" errors={errors} />
      <div className="actions">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="primary danger" onClick={() => void revoke()} disabled={busy}>
          Revoke device
        </button>
      </div>
    </dialog>
  );
}
