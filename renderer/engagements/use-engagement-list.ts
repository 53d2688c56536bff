import { useCallback, useEffect, useState } from 'react';
import type { EngagementSort, EngagementSummary } from '../../shared/engagements/model';
import { useOutpost } from '../app/outpost-context';

export interface ListOptions {
  includeArchived: boolean;
  sort: EngagementSort;
}

/** The engagement list from the main process's projection, refreshed whenever an engagement changes. */
export function useEngagementList(options: ListOptions) {
  const { api } = useOutpost();
  const [engagements, setEngagements] = useState<EngagementSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const result = await api.call('engagements.list', options);
      setEngagements(result.engagements);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api, options]);

  useEffect(() => {
    void load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 80);
    };
    const offChange = api.on('engagements.changed', refresh);
    const offStatus = api.onStatus((status) => status === 'online' && refresh());
    return () => {
      clearTimeout(timer);
      offChange();
      offStatus();
    };
  }, [api, load]);

  return { engagements, error, reload: load };
}
