import { type FormEvent, useState } from 'react';
import type { DictionaryEntry, RedactionOverride } from '../../shared/lessons/redaction';

const CATEGORY_LABELS: Record<DictionaryEntry['category'], string> = {
  client: 'Client',
  site: 'Site',
  codename: 'Codename',
  person: 'Team member',
  stakeholder: 'Stakeholder',
  organisation: 'Organisation',
  system: 'System',
  zone: 'Network zone',
  term: 'Client term',
  custom: 'Added by you',
};

/** Entries shown before "Show all". */
const FIRST_ENTRIES = 12;

/**
 * The redaction dictionary, editable: turn an entry off, change its pseudonym, add a term. Each
 * change is kept notebook-wide (`saveOverride`).
 */
export function RedactionDictionary({
  entries,
  saveOverride,
}: {
  entries: DictionaryEntry[] | null;
  saveOverride(change: RedactionOverride): Promise<void>;
}) {
  const [showAll, setShowAll] = useState(false);
  const [newTerm, setNewTerm] = useState('');
  const [newReplacement, setNewReplacement] = useState('');
  const shown = entries ? (showAll ? entries : entries.slice(0, FIRST_ENTRIES)) : [];

  const addTerm = (event: FormEvent) => {
    event.preventDefault();
    if (!newTerm.trim()) return;
    void saveOverride({ term: newTerm.trim(), ...(newReplacement.trim() && { replacement: newReplacement.trim() }) }).then(() => {
      setNewTerm('');
      setNewReplacement('');
    });
  };

  return (
    <fieldset className="dictionary">
      <legend>Redaction dictionary</legend>
      <p className="muted small">
        Built from the engagements involved (client, site, codename, team, stakeholders, map, client glossary). Longest match first; whole
        words, any case, across line breaks. Your changes are kept for this notebook.
      </p>
      {entries === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="dictionary-table">
          <thead>
            <tr>
              <th scope="col">Use</th>
              <th scope="col">Real name</th>
              <th scope="col">Replaced by</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <tr key={entry.term} className={entry.enabled ? undefined : 'disabled'}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Redact ${entry.term}`}
                    checked={entry.enabled}
                    onChange={(e) => void saveOverride({ term: entry.term, enabled: e.target.checked })}
                  />
                </td>
                <td>{entry.term}</td>
                <td>
                  <input
                    aria-label={`Pseudonym for ${entry.term}`}
                    defaultValue={entry.replacement}
                    key={entry.replacement}
                    maxLength={120}
                    onBlur={(e) => {
                      const value = e.target.value.trim();
                      if (value && value !== entry.replacement) void saveOverride({ term: entry.term, replacement: value });
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        (e.target as HTMLInputElement).blur();
                      }
                    }}
                  />
                </td>
                <td className="muted small" title={entry.source}>
                  {CATEGORY_LABELS[entry.category]}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries && entries.length > FIRST_ENTRIES && (
        <button type="button" className="link" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer' : `Show all ${entries.length} entries`}
        </button>
      )}
      <form className="add-term" onSubmit={addTerm}>
        <label>
          <span>Add a term</span>
          <input value={newTerm} onChange={(e) => setNewTerm(e.target.value)} maxLength={200} placeholder="e.g. Project Bluebird" />
        </label>
        <label>
          <span>Replace with</span>
          <input value={newReplacement} onChange={(e) => setNewReplacement(e.target.value)} maxLength={120} placeholder="[redacted]" />
        </label>
        <button type="submit" disabled={newTerm.trim().length < 2}>
          Add
        </button>
      </form>
    </fieldset>
  );
}
