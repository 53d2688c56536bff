import { useSyncExternalStore } from 'react';

/** Routes live in the URL hash so a reload (or a second tab) opens the same place. */
export type Route =
  | { view: 'home' }
  /** `systemId`: on the map tab, the system to show (a link from a note). */
  | { view: 'engagement'; id: string; tab: EngagementTab; systemId?: string; lessonId?: string }
  /** `find`: the search the note was opened from (Ctrl+K): images whose text answers it are highlighted. */
  | { view: 'note'; engagementId: string; noteId: string; find?: string }
  | { view: 'note-by-id'; noteId: string }
  /** A window opened by the system-wide capture shortcut: open today's field log. */
  | { view: 'capture' }
  /** Merge later: export and import bundles, the ledger, trusted devices. */
  | { view: 'sync' }
  /** The lessons library across engagements: lessons, similar lessons, playbooks (one open). */
  | { view: 'library'; section: LibrarySection; playbookId?: string };

export type LibrarySection = 'lessons' | 'similar' | 'playbooks';

/** The sections of an engagement page, each with its own URL. */
export type EngagementTab = 'overview' | 'notes' | 'map' | 'stakeholders' | 'lessons';

const UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

/** Kept in step with electron/app/main.ts, which opens a new window on it. */
export const CAPTURE_HASH = '#/capture';

export const SYNC_HREF = '#/sync';
export const LIBRARY_HREF = '#/library';

/** The `find` of `?find=…` after a note's address (URLSearchParams: lenient, never throws). */
function parseFind(query: string | undefined): string | undefined {
  return (query && new URLSearchParams(query).get('find')) || undefined;
}

function parse(hash: string): Route {
  let match = new RegExp(`^#/engagements/${UUID}/notes/${UUID}(?:\\?(.*))?$`).exec(hash);
  if (match) {
    const find = parseFind(match[3]);
    return { view: 'note', engagementId: match[1] as string, noteId: match[2] as string, ...(find && { find }) };
  }
  match = new RegExp(`^#/engagements/${UUID}/map/${UUID}$`).exec(hash);
  if (match) return { view: 'engagement', id: match[1] as string, tab: 'map', systemId: match[2] as string };
  match = new RegExp(`^#/engagements/${UUID}/lessons/${UUID}$`).exec(hash);
  if (match) return { view: 'engagement', id: match[1] as string, tab: 'lessons', lessonId: match[2] as string };
  match = new RegExp(`^#/engagements/${UUID}(/notes|/map|/stakeholders|/lessons)?$`).exec(hash);
  if (match) return { view: 'engagement', id: match[1] as string, tab: match[2] ? (match[2].slice(1) as EngagementTab) : 'overview' };
  match = new RegExp(`^#/notes/${UUID}$`).exec(hash);
  if (match) return { view: 'note-by-id', noteId: match[1] as string };
  if (hash === CAPTURE_HASH) return { view: 'capture' };
  if (hash === SYNC_HREF) return { view: 'sync' };
  if (hash === LIBRARY_HREF) return { view: 'library', section: 'lessons' };
  if (hash === `${LIBRARY_HREF}/similar`) return { view: 'library', section: 'similar' };
  if (hash === `${LIBRARY_HREF}/playbooks`) return { view: 'library', section: 'playbooks' };
  match = new RegExp(`^${LIBRARY_HREF}/playbooks/${UUID}$`).exec(hash);
  if (match) return { view: 'library', section: 'playbooks', playbookId: match[1] as string };
  return { view: 'home' };
}

export function engagementHref(id: string, tab: EngagementTab = 'overview'): string {
  return tab === 'overview' ? `#/engagements/${id}` : `#/engagements/${id}/${tab}`;
}

/** The engagement's map, showing one system (links from notes to systems open this). */
export function systemHref(engagementId: string, systemId: string): string {
  return `#/engagements/${engagementId}/map/${systemId}`;
}

/** A lesson open in its engagement's Lessons tab. */
export function lessonHref(engagementId: string, lessonId: string): string {
  return `#/engagements/${engagementId}/lessons/${lessonId}`;
}

export function libraryHref(section: LibrarySection = 'lessons', playbookId?: string): string {
  if (playbookId) return `${LIBRARY_HREF}/playbooks/${playbookId}`;
  return section === 'lessons' ? LIBRARY_HREF : `${LIBRARY_HREF}/${section}`;
}

/** A note; with `find`, the search it is opened from (see Route). */
export function noteHref(engagementId: string, noteId: string, find?: string): string {
  const href = `#/engagements/${engagementId}/notes/${noteId}`;
  return find?.trim() ? `${href}?find=${encodeURIComponent(find.trim())}` : href;
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (location.hash === href) return;
  if (options.replace) {
    history.replaceState(null, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = href;
}

let cachedHash: string | null = null;
let cachedRoute: Route = { view: 'home' };

export function useHashRoute(): Route {
  return useSyncExternalStore(
    (onChange) => {
      window.addEventListener('hashchange', onChange);
      return () => window.removeEventListener('hashchange', onChange);
    },
    () => {
      if (cachedHash !== location.hash) {
        cachedHash = location.hash;
        cachedRoute = parse(location.hash);
      }
      return cachedRoute;
    },
  );
}

/** The engagement the current route is about, if any (for the quick field-log capture). */
export function routeEngagementId(route: Route): string | null {
  if (route.view === 'engagement') return route.id;
  if (route.view === 'note') return route.engagementId;
  return null;
}
