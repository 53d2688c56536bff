import { useCallback } from 'react';
import type { EngagementSort } from '../../shared/engagements/model';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';

export interface ListOptions {
  includeArchived: boolean;
  sort: EngagementSort;
}

/** The engagement list from the main process's projection, refreshed whenever an engagement changes. */
export function useEngagementList(options: ListOptions) {
  const { api } = useOutpost();
  const { includeArchived, sort } = options;
  const load = useCallback(
    async () => (await api.call('engagements.list', { includeArchived, sort })).engagements,
    [api, includeArchived, sort],
  );
  const { data, error } = useApiQuery(load, ['engagements.changed']);
  return { engagements: data, error };
}
