import type { ExportSelection } from '../../shared/lessons/export-calls';
import { useModalDialog } from '../app/modal';

// SCAFFOLD (session 4): replaced by the sanitized export dialog.
/** Export a playbook or chosen lessons (Markdown folder, HTML, PDF), sanitized with the redaction dictionary. */
export function ExportDialog({ selection, onClose }: { selection: ExportSelection; onClose: () => void }) {
  const { ref } = useModalDialog();
  return (
    <dialog ref={ref} aria-label="Export lessons" onClose={onClose}>
      <p>{'playbookId' in selection ? 'Playbook export' : `${selection.refs.length} lessons`}</p>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
