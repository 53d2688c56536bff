import { useCallback, useEffect, useRef } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import { captureEngagement, localDate, rememberEngagement, requestCapture } from '../notes/capture';
import { useOutpost } from './outpost-context';
import { navigate, noteHref, type Route } from './use-hash-route';

/**
 * Quick capture: opens today's field log of the engagement in view, else of the one last worked
 * in, ready to type. Also remembers the engagement in view (here and in the notebook, so that
 * `outpost log` in a terminal goes where the user last looked), and serves the desktop app's
 * capture window (route `capture`) once the engagements are known.
 */
export function useFieldLogCapture(
  route: Route,
  activeEngagement: string | null,
  engagements: EngagementSummary[] | null | undefined,
  tell: (message: string) => void,
) {
  const { api } = useOutpost();

  useEffect(() => {
    if (!activeEngagement) return;
    rememberEngagement(activeEngagement);
    api.call('engagements.shown', { id: activeEngagement }).catch(() => {});
  }, [api, activeEngagement]);

  const captureFieldLog = useCallback(async () => {
    const engagementId = activeEngagement ?? captureEngagement(engagements ?? []);
    if (!engagementId) {
      tell('Open an engagement first: the field log belongs to one.');
      if (route.view === 'capture') navigate('#/', { replace: true });
      return;
    }
    try {
      const note = await api.call('notes.fieldLog', { engagementId, date: localDate() });
      requestCapture(note.id);
      navigate(noteHref(engagementId, note.id), { replace: route.view === 'capture' });
    } catch (e) {
      tell((e as Error).message);
    }
  }, [api, activeEngagement, engagements, route.view, tell]);

  const captureStarted = useRef(false);
  useEffect(() => {
    if (route.view !== 'capture' || !engagements || captureStarted.current) return;
    captureStarted.current = true;
    void captureFieldLog();
  }, [route.view, engagements, captureFieldLog]);

  return captureFieldLog;
}
