import { SeenBefore } from '../debugging/seen-before';
import type { Notebook } from '../notebook/notebook';
import type { Handlers } from './handlers';

export type DebuggingCallName = 'debugging.seenBefore';

/** The production-debugging kit: "seen this before?" across every engagement. */
export function createDebuggingHandlers(notebook: Notebook): Pick<Handlers, DebuggingCallName> {
  const seenBefore = new SeenBefore(notebook.db, () => notebook.settings.classificationLevels);
  return {
    'debugging.seenBefore': async (request) => {
      // Notes typed a moment ago are projected after a short pause: search what was written.
      await notebook.docs.flush();
      return seenBefore.lookup(request);
    },
  };
}
