import { useCallback } from 'react';
import type { TimelineEntry } from '../../shared/debugging/calls';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import './incident-timeline.css';

const KIND_LABELS: Record<TimelineEntry['kind'], string> = {
  log: 'Log',
  hypothesis: 'Hypothesis',
  tried: 'Tried',
  resolution: 'Resolution',
};

/** "2026-12-04 06:58:44 UTC": one clock for every entry, whatever zone each log wrote. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** The time since the previous dated entry ("+3 min"), which is what one reads a timeline for. */
function gap(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `+${s} s`;
  if (s < 3600) return `+${Math.round(s / 60)} min`;
  if (s < 86_400 * 2) return `+${(s / 3600).toFixed(1)} h`;
  return `+${Math.round(s / 86_400)} days`;
}

/**
 * An incident note's timeline: its logs' timestamps in UTC (what was assumed flagged), and when
 * each hypothesis was written down and ticked off, and the resolution written. Refreshes as the
 * note changes; shows nothing until the note has a dated moment.
 */
export function IncidentTimelinePanel({ noteId }: { noteId: string }) {
  const { api } = useOutpost();
  const load = useCallback(() => api.call('debugging.timeline', { noteId }), [api, noteId]);
  const { data, error } = useApiQuery(load, ['notes.changed']);
  if (error) return <p className="muted small">The timeline could not be built: {error}</p>;
  if (!data || data.entries.length === 0) return null;
  let previous: number | null = null;
  return (
    <section className="incident-timeline note-panel" aria-labelledby="incident-timeline-title">
      <h3 id="incident-timeline-title">Timeline</h3>
      <p className="muted small">
        Times in UTC.{' '}
        {data.flagged > 0 &&
          `${data.flagged === 1 ? 'One moment is' : `${data.flagged} moments are`} read with an assumption (marked ⚠): check before you quote it.`}
      </p>
      <ol>
        {data.entries.map((entry, index) => {
          const at = entry.at ? Date.parse(entry.at) : null;
          const since = at !== null && previous !== null ? at - previous : null;
          if (at !== null) previous = at;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id; the list is rebuilt whole on each change.
            <li key={index} className={`timeline-entry timeline-${entry.kind}`}>
              <span className="timeline-when">
                {entry.at ? (
                  <time
                    dateTime={entry.at}
                    title={`${new Date(entry.at).toLocaleString()} your time${entry.raw ? ` · written as “${entry.raw}”` : ''}`}
                  >
                    {utc(entry.at)}
                  </time>
                ) : (
                  'time not known'
                )}
                {since !== null && since > 0 && <span className="muted small"> {gap(since)}</span>}
              </span>
              <span className="timeline-kind">{KIND_LABELS[entry.kind]}</span>
              <span className="timeline-text">{entry.text}</span>
              {entry.flags.length > 0 && (
                <span className="timeline-flag small">
                  <span aria-hidden="true">⚠ </span>
                  {entry.flags.join('; ')}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
