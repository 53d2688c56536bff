import { type FormEvent, useState } from 'react';
import { errorLines, FormErrors, useModalDialog } from './modal';
import { useOutpost } from './outpost-context';

/** Notebook settings: this device's name, the ordered classification levels, the attachment limit, offline mode. */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  const { api, info, setInfo } = useOutpost();
  const { ref: dialogRef, close } = useModalDialog();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('deviceName') ?? '').trim();
    const limitMb = Number(form.get('attachmentLimit'));
    if (!Number.isFinite(limitMb) || limitMb < 1 || limitMb > 2048) {
      setErrors(['The attachment size limit is a number of megabytes from 1 to 2048']);
      return;
    }
    const limitBytes = Math.round(limitMb * 1024 * 1024);
    const linkMode = form.get('externalLinks') === 'on' ? 'ask' : 'never';
    const levels = String(form.get('levels') ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    setBusy(true);
    try {
      let next = info;
      if (name !== info.device.name) next = await api.call('notebook.setDeviceName', { name });
      if (levels.join('\n') !== info.classificationLevels.join('\n')) next = await api.call('notebook.setClassificationLevels', { levels });
      if (limitBytes !== info.attachmentMaxBytes) next = await api.call('notebook.setAttachmentLimit', { bytes: limitBytes });
      if (linkMode !== info.externalLinks) next = await api.call('notebook.setExternalLinks', { mode: linkMode });
      setInfo(next);
      close();
    } catch (error) {
      setErrors(errorLines(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialogRef} className="dialog" aria-labelledby="settings-title" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id="settings-title">Notebook settings</h2>
        <p className="muted">Notebook folder: {info.path}</p>
        <label>
          <span>Device name</span>
          <input name="deviceName" defaultValue={info.device.name} maxLength={80} autoComplete="off" />
          <small className="muted">Shown to teammates whose notebooks merge with this one.</small>
        </label>
        <label>
          <span>Classification levels, lowest first (one per line)</span>
          <textarea name="levels" rows={6} defaultValue={info.classificationLevels.join('\n')} />
          <small className="muted">A level that an engagement uses as its ceiling cannot be removed.</small>
        </label>
        <label>
          <span>Attachment size limit (MB)</span>
          <input
            name="attachmentLimit"
            type="number"
            min={1}
            max={2048}
            step={1}
            defaultValue={Math.round(info.attachmentMaxBytes / 1024 / 1024)}
          />
        </label>
        <label className="checkbox">
          <input name="externalLinks" type="checkbox" defaultChecked={info.externalLinks === 'ask'} />
          <span>Open a note’s links in my browser when I Ctrl+click (⌘-click) them, after asking</span>
        </label>
        <small className="muted">
          Off is offline mode: Outpost opens nothing outside the app, whatever a note synced from elsewhere links to.
        </small>
        <FormErrors title="Settings were not saved:" errors={errors} />
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save settings
          </button>
        </div>
      </form>
    </dialog>
  );
}
