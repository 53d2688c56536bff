import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../renderer/api/client';
import type { ConnectionStatus, Transport } from '../../../renderer/api/transport';
import { ReplicaPool } from '../../../renderer/sync/replicas';
import type { Result } from '../../../shared/errors';

/**
 * Going from an engagement's Overview tab to its Map tab releases the engagement's replica and
 * acquires it again in the same commit: the pool keeps it open for a while so the map does not
 * load the whole doc from IndexedDB and the host again.
 */

/** A host that answers every sync message with nothing to add, and records the calls. */
class RecordingTransport implements Transport {
  readonly status: ConnectionStatus = 'online';
  readonly calls: string[] = [];
  async call(name: string): Promise<Result<unknown>> {
    this.calls.push(name);
    return { ok: true, value: name === 'sync.message' ? { replies: [] } : {} };
  }
  onEvent() {
    return () => {};
  }
  onStatus() {
    return () => {};
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let namespace = 0;
const pools: ReplicaPool[] = [];
function pool(lingerMs: number) {
  const transport = new RecordingTransport();
  const replicas = new ReplicaPool(new ApiClient(transport), `test/replica-reuse/${Date.now()}/${namespace++}`, lingerMs);
  pools.push(replicas);
  return { transport, replicas };
}
afterEach(() => {
  for (const replicas of pools.splice(0)) replicas.destroy();
});

describe('an engagement replica between two tabs', () => {
  it('is the same open replica when acquired again soon after its last release', async () => {
    const { transport, replicas } = pool(200);
    const overview = replicas.acquire('engagement:e1');
    await overview.whenLoaded;
    overview.doc.getMap('engagement').set('codename', 'HERON');
    replicas.release('engagement:e1');
    const map = replicas.acquire('engagement:e1');
    expect(map).toBe(overview);
    expect(map.doc.isDestroyed).toBe(false);
    expect(map.doc.getMap('engagement').get('codename')).toBe('HERON');
    // Held again: not closed when the first release's delay has passed.
    await wait(300);
    expect(map.doc.isDestroyed).toBe(false);
    expect(transport.calls).not.toContain('sync.close');
  });

  it('is closed (and the host told) once no view has held it for the delay, then opened anew', async () => {
    const { transport, replicas } = pool(50);
    const first = replicas.acquire('engagement:e2');
    await first.whenLoaded;
    replicas.release('engagement:e2');
    // A second release of the same hold changes nothing.
    replicas.release('engagement:e2');
    await wait(20);
    expect(transport.calls.filter((c) => c === 'sync.close')).toHaveLength(0);
    await expect.poll(() => first.doc.isDestroyed, { timeout: 2_000 }).toBe(true);
    expect(transport.calls.filter((c) => c === 'sync.close')).toHaveLength(1);
    const again = replicas.acquire('engagement:e2');
    expect(again).not.toBe(first);
    expect(again.doc.isDestroyed).toBe(false);
  });

  it('closes held and released replicas at once when the pool is destroyed', async () => {
    const { transport, replicas } = pool(60_000);
    const held = replicas.acquire('engagement:e3');
    const released = replicas.acquire('engagement:e4');
    await Promise.all([held.whenLoaded, released.whenLoaded]);
    replicas.release('engagement:e4');
    replicas.destroy();
    await expect.poll(() => held.doc.isDestroyed && released.doc.isDestroyed, { timeout: 2_000 }).toBe(true);
    expect(transport.calls.filter((c) => c === 'sync.close')).toHaveLength(2);
  });
});
