import { useEffect, useId, useState } from 'react';
import type { OcrProgress as Progress } from '../../shared/debugging/calls';
import { plural } from '../../shared/plural';
import { useOutpost } from '../app/outpost-context';
import './ocr-progress.css';

/**
 * The notebook's OCR progress: asked for once, and again when the connection comes back (a host
 * that restarted has started over); between the two, the `ocr.progress` events carry it whole.
 */
function useOcrProgress(): Progress | null {
  const { api } = useOutpost();
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    let live = true;
    // An event newer than the answer to a request made before it wins over that answer.
    let generation = 0;
    const load = () => {
      const asked = generation;
      api.call('ocr.status', {}).then(
        (answer) => live && asked === generation && setProgress(answer),
        // Not there (an older host) or not now: show nothing rather than an error in the sidebar.
        () => {},
      );
    };
    load();
    const offProgress = api.on('ocr.progress', (event) => {
      generation++;
      setProgress(event);
    });
    const offStatus = api.onStatus((status) => status === 'online' && load());
    return () => {
      live = false;
      offProgress();
      offStatus();
    };
  }, [api]);
  return progress;
}

/**
 * Text in pasted screenshots is read in the background (the main process); this says, quietly,
 * how far it got while it works, and which images could not be read, so a search that misses a
 * screenshot's words is explained.
 */
export function OcrProgress() {
  const progress = useOcrProgress();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const reading = progress?.running && progress.waiting > 0;
  const failed = progress?.failed ?? 0;
  return (
    <div className="ocr-progress">
      {/* Always there, so that a screen reader is listening when the text appears (a live region added with its text is not read). */}
      <p role="status" className="muted small">
        {reading && `Reading text in images: ${progress.total - progress.waiting} of ${progress.total}`}
      </p>
      {failed > 0 && (
        <>
          <button type="button" className="ocr-failed-toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
            {plural(failed, 'image')} could not be read
          </button>
          <ul id={listId} className="ocr-failures small" aria-label="Images that could not be read" hidden={!open}>
            {progress?.failures.map((failure) => (
              <li key={`${failure.sha256}-${failure.at}`}>
                <span className="ocr-failure-name">{failure.name}</span> — <span className="muted">{failure.error}</span>
              </li>
            ))}
            {/* Only the latest failures travel with the progress. */}
            {progress && failed > progress.failures.length && (
              <li className="muted">and {plural(failed - progress.failures.length, 'earlier one')}</li>
            )}
          </ul>
        </>
      )}
    </div>
  );
}
