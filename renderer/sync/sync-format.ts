import type { LedgerEntryInfo, TrustedDeviceInfo, TrustStatus } from '../../shared/sync/calls';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** A timestamp in the reader's locale, to the minute. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export { plural } from '../../shared/plural';

/** How this notebook regards a bundle's sender, in a sentence. */
export function trustText(status: TrustStatus, device: TrustedDeviceInfo | null): string {
  switch (status) {
    case 'self':
      return 'This device (a bundle this notebook wrote)';
    case 'trusted':
      return `Trusted${device ? ` since ${formatDay(device.trustedAt)}` : ''}`;
    case 'revoked':
      return `Revoked${device?.revokedAt ? ` on ${formatDay(device.revokedAt)}` : ''}: its bundles are refused`;
    case 'key_mismatch':
      return `Not the key trusted for this device${device ? ` (trusted: ${device.fingerprint})` : ''}: someone else signed in its name`;
    default:
      return 'Not trusted yet: compare the fingerprint with the sender before importing';
  }
}

/** A device this notebook has exchanged bundles with, for “only what a peer lacks”. */
export interface Peer {
  deviceId: string;
  name: string;
}

/** Peers from the trusted devices (not revoked) and from the ledger, once each, by name. */
export function knownPeers(devices: TrustedDeviceInfo[], ledger: LedgerEntryInfo[], selfId: string): Peer[] {
  const peers = new Map<string, Peer>();
  for (const device of devices) if (!device.revokedAt) peers.set(device.deviceId, { deviceId: device.deviceId, name: device.name });
  for (const entry of ledger) {
    if (!entry.peerDeviceId || entry.peerDeviceId === selfId || peers.has(entry.peerDeviceId)) continue;
    if (devices.some((d) => d.deviceId === entry.peerDeviceId && d.revokedAt)) continue;
    peers.set(entry.peerDeviceId, { deviceId: entry.peerDeviceId, name: entry.peerName || 'Unnamed device' });
  }
  return [...peers.values()].sort((a, b) => a.name.localeCompare(b.name));
}
