import { useEffect, useState } from 'react';
import type { HubEditor } from '../../shared/sync/hub-calls';
import { useOutpost } from '../app/outpost-context';
import './also-editing.css';

/**
 * Who else has this note open now, on other devices syncing it through the team hub (names and
 * key fingerprints as the hub verified them). Opening the note here tells them too; closing it, or
 * this window going away, ends that. Shows nothing without a hub, or when nobody else is there.
 */
export function AlsoEditing({ docId }: { docId: string }) {
  const { api } = useOutpost();
  const [editors, setEditors] = useState<HubEditor[]>([]);

  useEffect(() => {
    let live = true;
    const announce = () =>
      api
        .call('hub.editing', { docId, editing: true })
        .then((answer) => live && setEditors(answer.editors))
        .catch(() => {});
    void announce();
    const offEditors = api.on('hub.editors', (event) => {
      if (event.docId === docId) setEditors(event.editors);
    });
    // A host that restarted forgot which notes this window has open: tell it again.
    const offStatus = api.onStatus((status) => status === 'online' && void announce());
    return () => {
      live = false;
      offEditors();
      offStatus();
      void api.call('hub.editing', { docId, editing: false }).catch(() => {});
    };
  }, [api, docId]);

  return (
    <p role="status" aria-label="Also editing this note" className="also-editing">
      {editors.length > 0 && (
        <>
          <span className="also-editing-dot" aria-hidden="true" />
          <span>
            Also editing now:{' '}
            {editors.map((editor, i) => (
              <span key={editor.deviceId} title={`Device key ${editor.fingerprint}`}>
                {i > 0 && ', '}
                <strong>{editor.name}</strong>
              </span>
            ))}
          </span>
        </>
      )}
    </p>
  );
}
