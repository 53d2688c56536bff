/**
 * Electron IPC channels: one for calls, one for events. Nothing else crosses the bridge. A module
 * of its own so the sandboxed preload (which may require nothing but `electron`) bundles no
 * dependency of the contract.
 */
export const IPC_CALL_CHANNEL = 'outpost:call';
export const IPC_EVENT_CHANNEL = 'outpost:event';
