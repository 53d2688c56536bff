import { type FormEvent, useState } from 'react';
import { ENGAGEMENT_STATUSES, type Engagement, engagementCreateSchema, STATUS_LABELS } from '../../shared/engagements/model';
import { describeIssues } from '../../shared/validation';
import { errorLines, FormErrors, useModalDialog, withoutFieldKey } from '../app/modal';
import { useOutpost } from '../app/outpost-context';

interface Props {
  onClose(): void;
  onCreated(engagement: Engagement): void;
}

/** A modal form for a new engagement; validated with the same schema the main process uses. */
export function NewEngagementDialog({ onClose, onCreated }: Props) {
  const { api, info } = useOutpost();
  const { ref: dialogRef, close } = useModalDialog();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const input = {
      client: text('client'),
      codename: text('codename'),
      site: text('site'),
      ceiling: text('ceiling'),
      status: text('status'),
      startDate: text('startDate') || null,
      endDate: text('endDate') || null,
    };
    const checked = engagementCreateSchema.safeParse(input);
    if (!checked.success) {
      setErrors(describeIssues(checked.error).map(withoutFieldKey));
      return;
    }
    setBusy(true);
    try {
      const created = await api.call('engagements.create', checked.data);
      onCreated(created);
    } catch (error) {
      setErrors(errorLines(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialogRef} className="dialog" aria-labelledby="new-engagement-title" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id="new-engagement-title">New engagement</h2>
        <p className="muted">A client deployment: where you are, for whom, and how sensitive its notes may be.</p>
        <div className="grid">
          <label>
            <span>Client</span>
            <input name="client" required maxLength={200} autoComplete="off" autoFocus />
          </label>
          <label>
            <span>Codename</span>
            <input name="codename" required maxLength={64} autoComplete="off" />
          </label>
          <label>
            <span>Site</span>
            <input name="site" maxLength={200} autoComplete="off" />
          </label>
          <label>
            <span>Classification ceiling</span>
            <select aria-label="Classification ceiling" name="ceiling" defaultValue={info.classificationLevels[0]}>
              {info.classificationLevels.map((level) => (
                <option key={level}>{level}</option>
              ))}
            </select>
          </label>
          <label>
            <span>Status</span>
            <select aria-label="Status" name="status" defaultValue="planned">
              {ENGAGEMENT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {STATUS_LABELS[status]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Start date</span>
            <input name="startDate" type="date" />
          </label>
          <label>
            <span>End date</span>
            <input name="endDate" type="date" />
          </label>
        </div>
        <FormErrors title="The engagement was not created:" errors={errors} />
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create engagement'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
