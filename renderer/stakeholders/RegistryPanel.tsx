import { type FormEvent, useState } from 'react';
import type * as Y from 'yjs';
import type { NoteType } from '../../shared/notes/model';
import { addStakeholder, notYetTold, removeStakeholder, updateStakeholder } from '../../shared/stakeholders/doc';
import {
  KIND_LABELS,
  LEVELS,
  REGISTER_LABELS,
  REGISTERS,
  STAKEHOLDER_KINDS,
  STAKEHOLDER_LIMITS,
  type Stakeholder,
  type StakeholderKind,
  type StakeholderPatch,
} from '../../shared/stakeholders/model';
import { SelectField, TextField } from '../engagements/fields';
import { attempt, ListField, NoteLinks, type Translations } from './common';

const MEETING_TYPES: NoteType[] = ['meeting'];

const FLUENCY_LABELS = ['1 · none', '2 · basic', '3 · some', '4 · good', '5 · engineer'];
const LEVEL_OPTIONS = LEVELS.map((l) => ({ value: l, label: l[0]?.toUpperCase() + l.slice(1) }));

/** The registry: who they are, what they care about, how to reach them; add, edit, remove. */
export function RegistryPanel({ doc, data }: { doc: Y.Doc; data: Translations }) {
  const [selected, setSelected] = useState<string | null>(null);
  const untold = new Map<string, string[]>();
  for (const card of data.cards)
    for (const s of notYetTold(card, data.stakeholders)) untold.set(s.id, [...(untold.get(s.id) ?? []), card.title]);
  const current = data.stakeholders.find((s) => s.id === selected) ?? null;

  return (
    <div className="registry">
      <AddStakeholderForm doc={doc} onAdded={setSelected} />
      {data.stakeholders.length === 0 ? (
        <p className="muted">
          No stakeholders yet. Add the people who need to hear about the deployment: who decides, who runs it, who owns the systems.
        </p>
      ) : (
        <table className="registry-table" aria-label="Stakeholders">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Kind</th>
              <th scope="col">Fluency</th>
              <th scope="col">Not yet told</th>
            </tr>
          </thead>
          <tbody>
            {data.stakeholders.map((s) => {
              const cards = untold.get(s.id) ?? [];
              return (
                <tr key={s.id} className={s.id === selected ? 'selected' : undefined}>
                  <th scope="row">
                    <button
                      type="button"
                      className="link"
                      aria-pressed={s.id === selected}
                      onClick={() => setSelected(s.id === selected ? null : s.id)}
                    >
                      {s.name}
                    </button>
                    {data.duplicates.has(s.id) && (
                      <span
                        className="warn-chip"
                        title="Another stakeholder has the same name (two devices added them). Rename or remove one."
                      >
                        same name
                      </span>
                    )}
                  </th>
                  <td>{[s.role, s.organisation].filter(Boolean).join(', ')}</td>
                  <td>{KIND_LABELS[s.kind]}</td>
                  <td>{s.fluency}</td>
                  <td>
                    {cards.length ? (
                      <span className="untold" title={cards.join('\n')}>
                        {cards.length} {cards.length === 1 ? 'card' : 'cards'}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {current && (
        <StakeholderEditor
          key={current.id}
          doc={doc}
          engagementId={data.engagement.id}
          stakeholder={current}
          onRemoved={() => setSelected(null)}
        />
      )}
    </div>
  );
}

function AddStakeholderForm({ doc, onAdded }: { doc: Y.Doc; onAdded: (id: string) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [kind, setKind] = useState<StakeholderKind>('operations');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    let id = '';
    const refused = attempt(() => {
      id = addStakeholder(doc, { name, role, kind });
    });
    setError(refused);
    if (!refused) {
      setName('');
      setRole('');
      onAdded(id);
    }
  };
  return (
    <form className="inline-form" aria-label="Add a stakeholder" onSubmit={submit}>
      <label>
        <span>Name</span>
        <input value={name} maxLength={STAKEHOLDER_LIMITS.name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </label>
      <label>
        <span>Role</span>
        <input value={role} maxLength={STAKEHOLDER_LIMITS.role} onChange={(e) => setRole(e.target.value)} autoComplete="off" />
      </label>
      <label>
        <span>Kind</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as StakeholderKind)}>
          {STAKEHOLDER_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={!name.trim()}>
        Add stakeholder
      </button>
      {error && (
        <p role="alert" className="field-error wide">
          {error}
        </p>
      )}
    </form>
  );
}

function StakeholderEditor({
  doc,
  engagementId,
  stakeholder: s,
  onRemoved,
}: {
  doc: Y.Doc;
  engagementId: string;
  stakeholder: Stakeholder;
  onRemoved: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const apply = (patch: StakeholderPatch) => attempt(() => updateStakeholder(doc, s.id, patch));
  const L = STAKEHOLDER_LIMITS;
  return (
    <section className="stakeholder-editor" aria-label={`Details of ${s.name}`}>
      <h3>{s.name}</h3>
      <form className="fields" onSubmit={(e) => e.preventDefault()}>
        <TextField label="Name" value={s.name} maxLength={L.name} apply={(name) => apply({ name })} />
        <TextField label="Role" value={s.role} maxLength={L.role} apply={(role) => apply({ role })} />
        <TextField
          label="Organisation or team"
          value={s.organisation}
          maxLength={L.organisation}
          apply={(organisation) => apply({ organisation })}
        />
        <SelectField
          label="Kind"
          value={s.kind}
          options={STAKEHOLDER_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
          apply={(kind) => apply({ kind })}
        />
        <SelectField
          label="Technical fluency"
          value={String(s.fluency)}
          options={FLUENCY_LABELS.map((label, i) => ({ value: String(i + 1), label }))}
          apply={(v) => apply({ fluency: Number(v) })}
        />
        <SelectField
          label="Preferred register"
          value={s.register}
          options={REGISTERS.map((r) => ({ value: r, label: REGISTER_LABELS[r] }))}
          apply={(register) => apply({ register })}
        />
        <TextField
          label="Preferred channel"
          value={s.channel}
          maxLength={L.channel}
          apply={(channel) => apply({ channel })}
          hint="e.g. weekly steering call, email, stand-up"
        />
        <SelectField label="Influence" value={s.influence} options={LEVEL_OPTIONS} apply={(influence) => apply({ influence })} />
        <SelectField label="Interest" value={s.interest} options={LEVEL_OPTIONS} apply={(interest) => apply({ interest })} />
        <ListField label="Systems they own" value={s.systems} apply={(systems) => apply({ systems })} hint="Comma-separated names" />
        <NoteLinks
          label="Meetings attended"
          engagementId={engagementId}
          ids={s.meetings}
          types={MEETING_TYPES}
          apply={(meetings) => apply({ meetings })}
        />
        <TextField
          label="What they care about"
          multiline
          maxLength={L.caresAbout}
          value={s.caresAbout}
          apply={(caresAbout) => apply({ caresAbout })}
        />
        <TextField label="Notes" multiline maxLength={L.notes} value={s.notes} apply={(notes) => apply({ notes })} />
      </form>
      <div className="danger-row">
        {confirming ? (
          <>
            <span>Remove {s.name}? Cards keep what was written for them, labelled with this name.</span>
            <button
              type="button"
              className="danger"
              onClick={() => {
                if (!attempt(() => removeStakeholder(doc, s.id))) onRemoved();
              }}
            >
              Remove {s.name}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Remove stakeholder…
          </button>
        )}
      </div>
    </section>
  );
}
