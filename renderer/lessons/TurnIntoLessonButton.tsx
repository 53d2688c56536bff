import { useState } from 'react';
import { useOutpost } from '../app/outpost-context';
import { turnIntoLesson } from './turn-into-lesson';

/**
 * "Turn into lesson" on a note or a translation card: drafts a lesson from it, adds it to the
 * engagement and opens it in the Lessons tab. `prominent` on incident notes.
 */
export function TurnIntoLessonButton({
  source,
  prominent = false,
}: {
  source: { kind: 'note' | 'card'; engagementId: string; id: string };
  prominent?: boolean;
}) {
  const outpost = useOutpost();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    turnIntoLesson(outpost, source).then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError((e as Error).message);
      },
    );
  };
  return (
    <>
      <button
        type="button"
        className={prominent ? 'primary' : undefined}
        disabled={busy}
        onClick={run}
        title={`Draft a lesson from this ${source.kind === 'note' ? 'note' : 'card'} and open it in the Lessons tab`}
      >
        {busy ? 'Drafting lesson…' : 'Turn into lesson'}
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </>
  );
}
