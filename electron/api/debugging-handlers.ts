import { IncidentTimeline } from '../debugging/incident-timeline';
import { SeenBefore } from '../debugging/seen-before';
import type { Notebook } from '../notebook/notebook';
import type { Handlers } from './handlers';

export type DebuggingCallName = 'debugging.seenBefore' | 'debugging.timeline' | 'ocr.status';

/** The production-debugging kit: "seen this before?" across every engagement, and the text read from screenshots. */
export function createDebuggingHandlers(notebook: Notebook): Pick<Handlers, DebuggingCallName> {
  const seenBefore = new SeenBefore(notebook.db, () => notebook.settings.classificationLevels);
  const timeline = new IncidentTimeline(notebook.db, notebook.docs);
  return {
    'debugging.seenBefore': async (request) => {
      // Text from a terminal: first project notes typed a moment ago (projected after a pause), so
      // they are found. The note panel asks after each projection already, and must not force the
      // pending projection of the note being typed.
      if (request.text !== undefined) await notebook.docs.flush();
      return seenBefore.lookup(request);
    },
    'ocr.status': () => notebook.ocr.status(),
    'debugging.timeline': ({ noteId }) => timeline.of(noteId),
  };
}
