import { useMemo, useState } from 'react';
import type { EnvironmentMap } from '../../shared/map/model';
import { MAP_STATUS_LABELS } from '../../shared/map/model';
import { tracePaths } from '../../shared/map/trace';
import { useModalDialog } from '../app/modal';

interface Props {
  map: EnvironmentMap;
  initialFrom: string | null;
  onClose: () => void;
  onShow: (systemId: string) => void;
}

/** Pick two systems and see every path between them, hop by hop, with protocol and format ("which hop turns dates into strings?"). */
export function TraceDialog({ map, initialFrom, onClose, onShow }: Props) {
  const { ref } = useModalDialog();
  const [from, setFrom] = useState(initialFrom ?? map.systems[0]?.id ?? '');
  const [to, setTo] = useState(map.systems.find((s) => s.id !== (initialFrom ?? map.systems[0]?.id))?.id ?? '');
  const [anyDirection, setAnyDirection] = useState(false);
  const names = useMemo(() => new Map(map.systems.map((s) => [s.id, s.name])), [map.systems]);
  const result = useMemo(
    () => (from && to ? tracePaths(map, from, to, { ignoreDirection: anyDirection }) : null),
    [map, from, to, anyDirection],
  );
  const options = map.systems.map((s) => (
    <option key={s.id} value={s.id}>
      {s.name}
    </option>
  ));
  return (
    <dialog ref={ref} className="dialog map-dialog" aria-labelledby="map-trace-title" onClose={onClose}>
      <h2 id="map-trace-title">Trace between two systems</h2>
      <div className="map-form">
        <label className="field">
          <span>From system</span>
          <select value={from} onChange={(e) => setFrom(e.target.value)}>
            {options}
          </select>
        </label>
        <label className="field">
          <span>To system</span>
          <select value={to} onChange={(e) => setTo(e.target.value)}>
            {options}
          </select>
        </label>
        <div className="map-check">
          <input id="map-trace-any" type="checkbox" checked={anyDirection} onChange={(e) => setAnyDirection(e.target.checked)} />
          <label htmlFor="map-trace-any">Ignore the direction of data flow</label>
        </div>
      </div>
      <section aria-label="Paths" aria-live="polite">
        {result && !result.paths.length && (
          <p className="muted">{from === to ? 'Pick two different systems.' : 'No path between these systems along the integrations.'}</p>
        )}
        {result?.paths.map((hops, index) => (
          <div className="map-trace-path" key={hops.map((h) => h.integrationId).join('/')}>
            <h3>
              Path {index + 1} · {hops.length} hop{hops.length === 1 ? '' : 's'}
            </h3>
            <ol>
              {hops.map((hop) => (
                <li key={hop.integrationId + hop.from}>
                  <button type="button" className="link" onClick={() => onShow(hop.from)}>
                    {names.get(hop.from)}
                  </button>{' '}
                  {hop.reversed ? '←' : '→'}{' '}
                  <button type="button" className="link" onClick={() => onShow(hop.to)}>
                    {names.get(hop.to)}
                  </button>
                  : <strong>{hop.protocol || 'protocol not recorded'}</strong>
                  {hop.format ? ` / ${hop.format}` : ''}
                  {hop.label ? ` (${hop.label})` : ''}
                  {hop.status !== 'healthy' ? ` — ${MAP_STATUS_LABELS[hop.status]}` : ''}
                  {hop.issues ? <span className="muted"> — issues: {hop.issues}</span> : null}
                </li>
              ))}
            </ol>
          </div>
        ))}
        {result?.truncated && <p className="muted">More paths exist; the shortest are shown.</p>}
      </section>
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
