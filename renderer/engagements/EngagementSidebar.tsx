import { type KeyboardEvent, type RefObject, useMemo, useState } from 'react';
import { ENGAGEMENT_SORTS, type EngagementSort, type EngagementSummary, STATUS_LABELS } from '../../shared/engagements/model';
import { engagementHref } from '../app/use-hash-route';
import type { ListOptions } from './use-engagement-list';

const SORT_LABELS: Record<EngagementSort, string> = {
  updated: 'Recently updated',
  codename: 'Codename',
  client: 'Client',
  start: 'Start date',
  status: 'Status',
};

interface Props {
  engagements: EngagementSummary[] | null;
  error: string | null;
  selectedId: string | null;
  options: ListOptions;
  onOptions(options: ListOptions): void;
  onNew(): void;
  filterRef: RefObject<HTMLInputElement | null>;
}

/** The engagement list: filter, sort, archived toggle; arrow keys move between entries. */
export function EngagementSidebar({ engagements, error, selectedId, options, onOptions, onNew, filterRef }: Props) {
  const [filter, setFilter] = useState('');
  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    if (!engagements || !needle) return engagements ?? [];
    return engagements.filter((e) => [e.codename, e.client, e.site].some((field) => field.toLowerCase().includes(needle)));
  }, [engagements, filter]);

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>('a')];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? links.length - 1
          : event.key === 'ArrowDown'
            ? Math.min(index + 1, links.length - 1)
            : Math.max(index - 1, 0);
    links[next]?.focus();
    event.preventDefault();
  };

  return (
    <nav className="sidebar" aria-label="Engagements">
      <div className="sidebar-head">
        <h2>Engagements</h2>
        <button type="button" className="primary" onClick={onNew} aria-keyshortcuts="Alt+N">
          New engagement
        </button>
      </div>
      <input
        ref={filterRef}
        type="search"
        className="filter"
        placeholder="Filter (press /)"
        aria-label="Filter engagements"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-keyshortcuts="/"
      />
      <div className="list-options">
        <label>
          <span>Sort</span>
          <select
            aria-label="Sort engagements"
            value={options.sort}
            onChange={(e) => onOptions({ ...options, sort: e.target.value as EngagementSort })}
          >
            {ENGAGEMENT_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={options.includeArchived}
            onChange={(e) => onOptions({ ...options, includeArchived: e.target.checked })}
          />
          <span>Show archived</span>
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {engagements === null && !error && <p className="muted">Loading…</p>}
      {engagements && engagements.length > 0 && visible.length === 0 && <p className="muted">No engagement matches “{filter}”.</p>}
      <ul className="engagement-list" onKeyDown={onListKey}>
        {visible.map((e) => (
          <li key={e.id}>
            <a
              href={engagementHref(e.id)}
              aria-current={e.id === selectedId ? 'page' : undefined}
              className={e.archived ? 'archived' : undefined}
            >
              <span className="codename">{e.codename}</span>
              <span className="client">
                {e.client}
                {e.site ? ` · ${e.site}` : ''}
              </span>
              <span className={`status status-${e.status}`}>
                {STATUS_LABELS[e.status]}
                {e.archived ? ' · archived' : ''}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
