import { type FormEvent, useId, useState } from 'react';
import { OutpostError } from '../../shared/errors';
import { useOutpost } from '../app/outpost-context';

/**
 * Points the notebook at a team hub. The first time, the hub's key fingerprint is shown to be
 * compared with what `outpost hub serve` printed; only then is it trusted (trust on first use).
 */
export function HubConnectForm({ onDone }: { onDone(): void }) {
  const { api } = useOutpost();
  const id = useId();
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [untrusted, setUntrusted] = useState<string | null>(null);

  const connect = async (trust: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await api.call('hub.connect', { url: url.trim(), trust });
      setUntrusted(null);
      onDone();
    } catch (e) {
      if (e instanceof OutpostError && e.code === 'hub_untrusted') setUntrusted(e.message);
      else setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void connect(false);
  };

  return (
    <form className="hub-connect" onSubmit={submit}>
      <label htmlFor={`${id}-url`}>Hub address</label>
      <div className="hub-connect-row">
        <input
          id={`${id}-url`}
          type="text"
          value={url}
          placeholder="ws://HOST:PORT"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setUrl(e.target.value);
            setUntrusted(null);
          }}
        />
        <button type="submit" disabled={busy || !url.trim()}>
          Connect
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {untrusted && (
        <div className="hub-trust">
          <p role="alert">{untrusted}</p>
          <button type="button" disabled={busy} onClick={() => void connect(true)}>
            Trust this hub and connect
          </button>
        </div>
      )}
    </form>
  );
}
