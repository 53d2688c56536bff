import { type FormEvent, useState } from 'react';
import type * as Y from 'yjs';
import { addGlossaryEntry, removeGlossaryEntry, updateGlossaryEntry } from '../../shared/stakeholders/doc';
import { GLOSSARY_KINDS, type GlossaryEntry, type GlossaryKind, STAKEHOLDER_LIMITS } from '../../shared/stakeholders/model';
import { errorLines } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { SelectField, TextField } from '../engagements/fields';
import { attempt, ListField } from './common';

const KIND_NAMES: Record<GlossaryKind, string> = { client: 'Client term', technical: 'Technical term' };

/** The client glossary (in the engagement doc) and the notebook-wide jargon list (a notebook setting). */
export function GlossaryPanel({
  doc,
  glossary,
  jargon,
  onJargonSaved,
}: {
  doc: Y.Doc;
  glossary: GlossaryEntry[];
  jargon: string[] | null;
  onJargonSaved: (terms: string[]) => void;
}) {
  const [term, setTerm] = useState('');
  const [meaning, setMeaning] = useState('');
  const [kind, setKind] = useState<GlossaryKind>('client');
  const [error, setError] = useState<string | null>(null);
  const add = (event: FormEvent) => {
    event.preventDefault();
    const refused = attempt(() => addGlossaryEntry(doc, { term, meaning, kind }));
    setError(refused);
    if (!refused) {
      setTerm('');
      setMeaning('');
    }
  };
  return (
    <div className="glossary">
      <p className="muted">
        The client’s words and what they mean technically (“the green screen” = the AS/400 order entry terminal), and technical terms with a
        plain meaning. Terms show their definition on hover in cards; write <code>[[term]]</code> to point at one. Technical terms are
        flagged as jargon in renderings unless the text explains them.
      </p>
      <form className="inline-form" aria-label="Add a glossary term" onSubmit={add}>
        <label>
          <span>Term</span>
          <input value={term} maxLength={STAKEHOLDER_LIMITS.term} onChange={(e) => setTerm(e.target.value)} autoComplete="off" />
        </label>
        <label className="grow">
          <span>Meaning</span>
          <input value={meaning} maxLength={STAKEHOLDER_LIMITS.meaning} onChange={(e) => setMeaning(e.target.value)} autoComplete="off" />
        </label>
        <label>
          <span>Kind of term</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as GlossaryKind)}>
            {GLOSSARY_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_NAMES[k]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={!term.trim()}>
          Add term
        </button>
        {error && (
          <p role="alert" className="field-error wide">
            {error}
          </p>
        )}
      </form>
      {glossary.length === 0 ? (
        <p className="muted">The glossary is empty.</p>
      ) : (
        <ul className="glossary-list" aria-label="Glossary">
          {glossary.map((entry) => (
            <li key={entry.id} aria-label={entry.term}>
              <div className="fields">
                <TextField
                  label="Term"
                  value={entry.term}
                  maxLength={STAKEHOLDER_LIMITS.term}
                  apply={(t) => attempt(() => updateGlossaryEntry(doc, entry.id, { term: t }))}
                />
                <TextField
                  label="Meaning"
                  value={entry.meaning}
                  maxLength={STAKEHOLDER_LIMITS.meaning}
                  apply={(m) => attempt(() => updateGlossaryEntry(doc, entry.id, { meaning: m }))}
                />
                <SelectField
                  label="Kind of term"
                  value={entry.kind}
                  options={GLOSSARY_KINDS.map((k) => ({ value: k, label: KIND_NAMES[k] }))}
                  apply={(k) => attempt(() => updateGlossaryEntry(doc, entry.id, { kind: k }))}
                />
                <ListField
                  label="Other spellings"
                  value={entry.aliases}
                  apply={(aliases) => attempt(() => updateGlossaryEntry(doc, entry.id, { aliases }))}
                />
              </div>
              <button
                type="button"
                className="small-button"
                aria-label={`Remove ${entry.term}`}
                onClick={() => attempt(() => removeGlossaryEntry(doc, entry.id))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <JargonEditor jargon={jargon} onSaved={onJargonSaved} />
    </div>
  );
}

function JargonEditor({ jargon, onSaved }: { jargon: string[] | null; onSaved: (terms: string[]) => void }) {
  const { api } = useOutpost();
  const [draft, setDraft] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  // A list saved elsewhere (or just now) replaces the draft.
  const [shown, setShown] = useState(jargon);
  if (shown !== jargon) {
    setShown(jargon);
    setDraft(null);
  }
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setErrors([]);
    try {
      const terms = (draft ?? '')
        .split('\n')
        .map((t) => t.trim())
        .filter(Boolean);
      const saved = await api.call('stakeholders.setJargon', { terms });
      onSaved(saved.terms);
      setStatus(`Saved ${saved.terms.length} jargon terms.`);
    } catch (error) {
      setErrors(errorLines(error));
    }
  };
  return (
    <form className="jargon-editor" aria-label="Jargon list" onSubmit={save}>
      <h3>Jargon list (all engagements)</h3>
      <label className="field">
        <span>Words a business reader may not know, one per line</span>
        <textarea rows={6} value={draft ?? (jargon ?? []).join('\n')} onChange={(e) => setDraft(e.target.value)} disabled={!jargon} />
      </label>
      <div className="actions">
        <button type="submit" disabled={draft === null}>
          Save jargon list
        </button>
        {status && <span role="status">{status}</span>}
      </div>
      {errors.length > 0 && (
        <p role="alert" className="field-error">
          {errors.join('; ')}
        </p>
      )}
    </form>
  );
}
