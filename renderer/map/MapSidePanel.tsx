import { useState } from 'react';
import {
  DIRECTIONS,
  type EnvironmentMap,
  FORMAT_SUGGESTIONS,
  type IntegrationPatch,
  MAP_STATUS_LABELS,
  MAP_STATUSES,
  type MapIntegration,
  type MapSystem,
  PROTOCOL_SUGGESTIONS,
  SYSTEM_KIND_LABELS,
  SYSTEM_KINDS,
  type SystemPatch,
  ZONE_KIND_LABELS,
  ZONE_KINDS,
  type ZoneKind,
} from '../../shared/map/model';
import { type ApplyChange, SelectField, TextField } from '../engagements/fields';
import { SystemNotes } from './SystemNotes';

const statusOptions = MAP_STATUSES.map((value) => ({ value, label: MAP_STATUS_LABELS[value] }));

interface SystemPanelProps {
  system: MapSystem;
  map: EnvironmentMap;
  engagementId: string;
  apply: ApplyChange<SystemPatch>;
  onDelete: () => void;
  onTraceFrom: () => void;
  onConnect: (to: string) => void;
  onSelectIntegration: (id: string) => void;
}

export function SystemPanel({ system, map, engagementId, apply, onDelete, onTraceFrom, onConnect, onSelectIntegration }: SystemPanelProps) {
  const others = map.systems.filter((s) => s.id !== system.id);
  const [target, setTarget] = useState('');
  const own = map.integrations.filter((i) => i.from === system.id || i.to === system.id);
  const inbound = own.filter((i) => i.to === system.id).length;
  const outbound = own.filter((i) => i.from === system.id).length;
  const names = new Map(map.systems.map((s) => [s.id, s.name]));
  return (
    <section className="map-panel" aria-label="System properties">
      <h3>System</h3>
      <form onSubmit={(e) => e.preventDefault()} className="map-form">
        <TextField label="Name" value={system.name} maxLength={200} apply={(name) => apply({ name })} />
        <SelectField
          label="Kind"
          value={system.kind}
          options={SYSTEM_KINDS.map((value) => ({ value, label: SYSTEM_KIND_LABELS[value] }))}
          apply={(kind) => apply({ kind })}
        />
        <SelectField label="Status" value={system.status} options={statusOptions} apply={(status) => apply({ status })} />
        <TextField label="Vendor" value={system.vendor} maxLength={200} apply={(vendor) => apply({ vendor })} />
        <TextField label="Version" value={system.version} maxLength={200} apply={(version) => apply({ version })} />
        <TextField label="Owner" value={system.owner} maxLength={200} apply={(owner) => apply({ owner })} />
        <SelectField
          label="Network zone"
          value={system.zone}
          options={[{ value: '', label: '(none)' }, ...map.zones.map((z) => ({ value: z.id, label: z.name }))]}
          apply={(zone) => apply({ zone })}
        />
        <TextField
          label="Tags"
          value={system.tags.join(', ')}
          apply={(text) =>
            apply({
              tags: text
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
            })
          }
          hint="Separated by commas"
        />
        <TextField label="Notes" multiline maxLength={20_000} value={system.notes} apply={(notes) => apply({ notes })} />
      </form>
      <p className="muted">
        {inbound} inbound, {outbound} outbound integration{inbound + outbound === 1 ? '' : 's'}
      </p>
      {own.length > 0 && (
        // Every integration of the system, to open from the keyboard (on a large map the canvas
        // draws most of them as one picture, which a screen reader cannot go through).
        <nav aria-label="Integrations of this system">
          <ul className="map-integration-list">
            {own.map((i) => {
              const described = [i.label, i.protocol, i.format].filter(Boolean).join(' · ');
              const arrow = i.direction === 'two-way' ? '⇄' : '→';
              return (
                <li key={i.id}>
                  <button type="button" className="link" onClick={() => onSelectIntegration(i.id)}>
                    {names.get(i.from) ?? '?'} {arrow} {names.get(i.to) ?? '?'}
                  </button>
                  {described && <span className="muted"> {described}</span>}
                </li>
              );
            })}
          </ul>
        </nav>
      )}
      {others.length > 0 && (
        <form
          className="map-connect"
          onSubmit={(e) => {
            e.preventDefault();
            if (target) onConnect(target);
          }}
        >
          <label className="field">
            <span>Send data to</span>
            <select value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">(pick a system)</option>
              {others.slice(0, 5000).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!target}>
            Add integration
          </button>
        </form>
      )}
      <div className="map-panel-actions">
        <button type="button" onClick={onTraceFrom}>
          Trace from here…
        </button>
        <button type="button" className="danger" onClick={onDelete}>
          Delete system
        </button>
      </div>
      <SystemNotes engagementId={engagementId} system={system} />
    </section>
  );
}

interface IntegrationPanelProps {
  integration: MapIntegration;
  map: EnvironmentMap;
  apply: ApplyChange<IntegrationPatch>;
  onDelete: () => void;
}

export function IntegrationPanel({ integration, map, apply, onDelete }: IntegrationPanelProps) {
  const name = (id: string) => map.systems.find((s) => s.id === id)?.name ?? '?';
  return (
    <section className="map-panel" aria-label="Integration properties">
      <h3>Integration</h3>
      <p>
        {name(integration.from)} {integration.direction === 'two-way' ? '⇄' : '→'} {name(integration.to)}
      </p>
      <form onSubmit={(e) => e.preventDefault()} className="map-form">
        <TextField label="Label" value={integration.label} maxLength={200} apply={(label) => apply({ label })} />
        <SelectField
          label="Direction"
          value={integration.direction}
          options={DIRECTIONS.map((value) => ({ value, label: value === 'one-way' ? 'One way (from → to)' : 'Both ways' }))}
          apply={(direction) => apply({ direction })}
        />
        <SuggestField
          label="Protocol"
          value={integration.protocol}
          suggestions={PROTOCOL_SUGGESTIONS}
          apply={(protocol) => apply({ protocol })}
        />
        <SuggestField
          label="Data format"
          value={integration.format}
          suggestions={FORMAT_SUGGESTIONS}
          apply={(format) => apply({ format })}
        />
        <TextField
          label="Frequency / volume"
          value={integration.frequency}
          maxLength={200}
          apply={(frequency) => apply({ frequency })}
          hint="e.g. every 15 min, ~40k rows"
        />
        <TextField label="Authentication" value={integration.auth} maxLength={200} apply={(auth) => apply({ auth })} />
        <TextField label="Owner" value={integration.owner} maxLength={200} apply={(owner) => apply({ owner })} />
        <SelectField label="Status" value={integration.status} options={statusOptions} apply={(status) => apply({ status })} />
        <TextField label="Known issues" multiline maxLength={20_000} value={integration.issues} apply={(issues) => apply({ issues })} />
      </form>
      <div className="map-panel-actions">
        <button type="button" onClick={() => apply({ from: integration.to, to: integration.from })}>
          Reverse direction
        </button>
        <button type="button" className="danger" onClick={onDelete}>
          Delete integration
        </button>
      </div>
    </section>
  );
}

/** A text input with suggestions (a datalist): protocols and formats are open-ended on real sites. */
function SuggestField({
  label,
  value,
  suggestions,
  apply,
}: {
  label: string;
  value: string;
  suggestions: readonly string[];
  apply: ApplyChange<string>;
}) {
  const listId = `map-suggest-${label.replace(/\W+/g, '-').toLowerCase()}`;
  const [error, setError] = useState<string | null>(null);
  return (
    <label className="field">
      <span>{label}</span>
      <input
        aria-label={label}
        list={listId}
        value={value}
        maxLength={200}
        autoComplete="off"
        onChange={(e) => setError(apply(e.target.value))}
      />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {error && <small className="field-error">{error}</small>}
    </label>
  );
}

interface ZonesPanelProps {
  map: EnvironmentMap;
  onAdd: (name: string, kind: ZoneKind) => string | null;
  onRename: (id: string, name: string) => string | null;
  onKind: (id: string, kind: ZoneKind) => string | null;
  onRemove: (id: string) => void;
}

export function ZonesPanel({ map, onAdd, onRename, onKind, onRemove }: ZonesPanelProps) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ZoneKind>('corporate');
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="map-panel" aria-label="Network zones">
      <h3>Network zones</h3>
      <p className="muted">Put a system in a zone from its properties; the zone is drawn around its systems.</p>
      <ul className="map-zone-list">
        {map.zones.map((zone) => (
          <li key={zone.id}>
            <TextField label={`Zone name (${zone.name})`} value={zone.name} maxLength={200} apply={(v) => onRename(zone.id, v)} />
            <SelectField
              label={`Zone kind (${zone.name})`}
              value={zone.kind}
              options={ZONE_KINDS.map((value) => ({ value, label: ZONE_KIND_LABELS[value] }))}
              apply={(v) => onKind(zone.id, v)}
            />
            <button type="button" className="danger" onClick={() => onRemove(zone.id)}>
              Remove zone {zone.name}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="map-form"
        onSubmit={(e) => {
          e.preventDefault();
          const refused = onAdd(name, kind);
          setError(refused);
          if (!refused) setName('');
        }}
      >
        <label className="field">
          <span>New zone name</span>
          <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>New zone kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as ZoneKind)}>
            {ZONE_KINDS.map((value) => (
              <option key={value} value={value}>
                {ZONE_KIND_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Add zone</button>
        {error && <small className="field-error">{error}</small>}
      </form>
    </section>
  );
}
