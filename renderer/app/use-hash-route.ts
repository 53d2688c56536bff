import { useSyncExternalStore } from 'react';

/** Routes live in the URL hash so a reload (or a second tab) opens the same place. */
export type Route = { view: 'home' } | { view: 'engagement'; id: string };

function parse(hash: string): Route {
  const match = /^#\/engagements\/([0-9a-f-]{36})$/.exec(hash);
  return match ? { view: 'engagement', id: match[1] as string } : { view: 'home' };
}

export function engagementHref(id: string): string {
  return `#/engagements/${id}`;
}

export function navigate(href: string): void {
  if (location.hash !== href) location.hash = href;
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
