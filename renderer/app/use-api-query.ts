import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName } from '../../shared/api/contract';
import { useOutpost } from './outpost-context';

/**
 * Runs `load` now, again when any of `refreshOn` events arrives (debounced) or the connection
 * comes back, and whenever `load` changes. The latest answer wins; errors become a message.
 */
export function useApiQuery<T>(
  load: () => Promise<T>,
  refreshOn: EventName[],
): { data: T | null; error: string | null; reload: () => void } {
  const { api } = useOutpost();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const run = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(null);
      },
      (e: unknown) => {
        if (mine === generation.current) setError((e as Error).message);
      },
    );
  }, [load]);

  const events = refreshOn.join(',');
  useEffect(() => {
    run();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    };
    const offs = events
      .split(',')
      .filter(Boolean)
      .map((event) => api.on(event as EventName, refresh));
    offs.push(api.onStatus((status) => status === 'online' && refresh()));
    return () => {
      clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [api, run, events]);

  return { data, error, reload: run };
}
