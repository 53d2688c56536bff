import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import type { ExportPreview, ExportSelection } from '../../shared/lessons/export-calls';
import type { ExportFormat } from '../../shared/lessons/export-format';
import { type DictionaryEntry, FINDING_KIND_LABELS, type RedactionOverride, termKey } from '../../shared/lessons/redaction';
import { startDownload } from '../app/download';
import { errorLines, FormErrors, useModalDialog } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { localDate } from '../stakeholders/common';
import './export-dialog.css';

const FORMATS: Array<{ id: ExportFormat; label: string }> = [
  { id: 'pdf', label: 'PDF' },
  { id: 'html', label: 'HTML (one file)' },
  { id: 'md', label: 'Markdown folder (.zip)' },
];

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

/** One override per term: the new one replaces any earlier one for the same term. */
function upsert(overrides: readonly RedactionOverride[], change: RedactionOverride): RedactionOverride[] {
  const key = termKey(change.term);
  const current = overrides.find((o) => termKey(o.term) === key);
  const merged = { ...current, ...change, term: current?.term ?? change.term };
  return [...overrides.filter((o) => termKey(o.term) !== key), merged];
}

/**
 * Export a playbook or chosen lessons (PDF, HTML, Markdown folder), sanitized with the redaction
 * dictionary: the dictionary is editable (change a pseudonym, turn an entry off, add a term; kept
 * notebook-wide), the preview lists every replacement and what the final check still finds, each
 * finding is replaced (a new dictionary entry) or allowed (this export only), and Download stays
 * disabled until nothing is left.
 */
export function ExportDialog({ selection, onClose }: { selection: ExportSelection; onClose: () => void }) {
  const { api, info } = useOutpost();
  const { ref, close } = useModalDialog();
  const titleId = useId();
  const levels = info.classificationLevels;
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [sanitize, setSanitize] = useState(true);
  const [cap, setCap] = useState(levels[0] ?? 'UNCLASSIFIED');
  const [allow, setAllow] = useState<string[]>([]);
  const [entries, setEntries] = useState<DictionaryEntry[] | null>(null);
  const [overrides, setOverrides] = useState<RedactionOverride[]>([]);
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [version, setVersion] = useState(0);
  const [showAll, setShowAll] = useState(false);
  const [pending, setPending] = useState<Record<string, string>>({});
  const [newTerm, setNewTerm] = useState('');
  const [newReplacement, setNewReplacement] = useState('');
  const date = localDate();

  const request = useCallback(
    () => ({ selection, format, sanitize, maxClassification: cap, allow, date }),
    [selection, format, sanitize, cap, allow, date],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the "load again" signal after the dictionary changes
  useEffect(() => {
    let stale = false;
    setLoading(true);
    void (async () => {
      try {
        const [dictionary, next] = await Promise.all([
          api.call('lessons.redactionDictionary', { selection }),
          api.call('lessons.exportPreview', request()),
        ]);
        if (stale) return;
        setEntries(dictionary.entries);
        setOverrides(dictionary.overrides);
        setPreview(next);
        setErrors([]);
      } catch (error) {
        if (!stale) {
          setPreview(null);
          setErrors(errorLines(error));
        }
      } finally {
        if (!stale) setLoading(false);
      }
    })();
    return () => {
      stale = true;
    };
  }, [api, selection, request, version]);

  const saveOverrides = async (next: RedactionOverride[]) => {
    setErrors([]);
    try {
      const saved = await api.call('lessons.setRedactionOverrides', { overrides: next });
      setOverrides(saved.overrides);
      setVersion((v) => v + 1);
    } catch (error) {
      setErrors(errorLines(error));
    }
  };

  const changeEntry = (entry: DictionaryEntry, change: Omit<RedactionOverride, 'term'>) =>
    void saveOverrides(upsert(overrides, { term: entry.term, ...change }));

  const addTerm = (event: FormEvent) => {
    event.preventDefault();
    if (!newTerm.trim()) return;
    void saveOverrides(
      upsert(overrides, { term: newTerm.trim(), ...(newReplacement.trim() && { replacement: newReplacement.trim() }) }),
    ).then(() => {
      setNewTerm('');
      setNewReplacement('');
    });
  };

  const replaceFinding = (text: string) => {
    const replacement = (pending[text] ?? '').trim();
    void saveOverrides(upsert(overrides, { term: text, replacement: replacement || '[redacted]', enabled: true }));
  };

  const download = async () => {
    setBusy(true);
    setErrors([]);
    setStatus(format === 'pdf' ? 'Printing the PDF…' : 'Preparing the file…');
    try {
      const result = await api.call('lessons.exportDownload', request());
      startDownload(result.token, result.fileName);
      setStatus(
        `Downloaded ${result.fileName} (${result.lessons} lesson${result.lessons === 1 ? '' : 's'}${result.leftOut ? `, ${result.leftOut} left out above ${cap}` : ''}). Check your downloads folder.`,
      );
    } catch (error) {
      setStatus(null);
      setErrors(errorLines(error));
      setVersion((v) => v + 1);
    } finally {
      setBusy(false);
    }
  };

  const findings = preview?.findings ?? [];
  const ready = !!preview && !loading && !busy && findings.length === 0 && preview.lessons > 0;
  const shown = entries ? (showAll ? entries : entries.slice(0, 12)) : [];
  const what = 'playbookId' in selection ? 'playbook' : `${selection.refs.length} chosen lesson${selection.refs.length === 1 ? '' : 's'}`;

  return (
    <dialog ref={ref} className="dialog export-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Export {preview?.title ? `“${preview.title}”` : what}</h2>
      <div className="export-layout">
        <section className="export-options" aria-label="Export options">
          <label>
            <span>Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
              {FORMATS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Highest classification included</span>
            <select value={cap} onChange={(e) => setCap(e.target.value)}>
              {levels.map((level) => (
                <option key={level} value={level}>
                  {level}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={sanitize} onChange={(e) => setSanitize(e.target.checked)} />
            <span>Sanitize: replace client names, people, systems and identifiers with pseudonyms</span>
          </label>
          {!sanitize && <p className="warning small">Not sanitized: the file holds the real names. Share it only inside the team.</p>}

          {sanitize && (
            <fieldset className="dictionary">
              <legend>Redaction dictionary</legend>
              <p className="muted small">
                Built from the engagements involved (client, site, codename, team, stakeholders, map, client glossary). Longest match first;
                whole words, any case, across line breaks. Your changes are kept for this notebook.
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
                            onChange={(e) => changeEntry(entry, { enabled: e.target.checked })}
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
                              if (value && value !== entry.replacement) changeEntry(entry, { replacement: value });
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
              {entries && entries.length > 12 && (
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
                  <input
                    value={newReplacement}
                    onChange={(e) => setNewReplacement(e.target.value)}
                    maxLength={120}
                    placeholder="[redacted]"
                  />
                </label>
                <button type="submit" disabled={newTerm.trim().length < 2}>
                  Add
                </button>
              </form>
            </fieldset>
          )}
        </section>

        <section className="export-preview" aria-label="Preview" aria-busy={loading}>
          {loading && !preview && <p className="muted">Preparing the preview…</p>}
          {preview && (
            <>
              <p className="export-summary" aria-live="polite">
                <strong>
                  {preview.lessons} lesson{preview.lessons === 1 ? '' : 's'}
                </strong>
                {preview.chapters > 1 ? ` in ${preview.chapters} chapters` : ''}, up to {preview.cap}
                {preview.leftOut.length > 0 && (
                  <>
                    {' '}
                    · {preview.leftOut.length} left out (above {preview.cap})
                  </>
                )}
                {preview.withheldEvidence > 0 && (
                  <>
                    {' '}
                    · {preview.withheldEvidence} evidence link{preview.withheldEvidence === 1 ? '' : 's'} withheld
                  </>
                )}
                {preview.missing > 0 && <> · {preview.missing} no longer in the notebook</>}
              </p>
              {preview.leftOut.length > 0 && (
                <details>
                  <summary>Left out by the classification level</summary>
                  <ul className="small">
                    {preview.leftOut.map((l) => (
                      <li key={l.ref}>
                        {l.title} <span className="muted">({l.classification})</span>
                      </li>
                    ))}
                  </ul>
                </details>
              )}

              {sanitize && (
                <>
                  <h3>Final check</h3>
                  {findings.length === 0 ? (
                    <p className="ok">Nothing left: no dictionary name, IP address, e-mail address, host name or long number remains.</p>
                  ) : (
                    <>
                      <p className="warning">
                        {findings.length} identifier{findings.length === 1 ? '' : 's'} still in the export. Replace each or allow it to
                        download.
                      </p>
                      <ul className="findings" aria-label="Identifiers still in the export">
                        {findings.map((f) => (
                          <li key={`${f.kind}:${f.text}`}>
                            <div>
                              <strong>{f.text}</strong> <span className="muted small">{FINDING_KIND_LABELS[f.kind]}</span>{' '}
                              <span className="muted small">×{f.count}</span>
                              <div className="context small">{f.context}</div>
                            </div>
                            <div className="finding-actions">
                              <input
                                aria-label={`Replacement for ${f.text}`}
                                placeholder="[redacted]"
                                value={pending[f.text] ?? ''}
                                maxLength={120}
                                onChange={(e) => setPending({ ...pending, [f.text]: e.target.value })}
                              />
                              <button type="button" onClick={() => replaceFinding(f.text)}>
                                Replace
                              </button>
                              <button type="button" onClick={() => setAllow([...allow, f.text])}>
                                Allow
                              </button>
                            </div>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                  {allow.length > 0 && (
                    <p className="small muted">
                      Allowed for this export: {allow.join(', ')}{' '}
                      <button type="button" className="link" onClick={() => setAllow([])}>
                        Undo
                      </button>
                    </p>
                  )}
                  <h3>Replacements ({preview.replacements.reduce((n, r) => n + r.count, 0)})</h3>
                  {preview.replacements.length === 0 ? (
                    <p className="muted">No name from the dictionary appears in these lessons.</p>
                  ) : (
                    <table className="replacements" aria-label="Replacements">
                      <thead>
                        <tr>
                          <th scope="col">Real name</th>
                          <th scope="col">Becomes</th>
                          <th scope="col">Times</th>
                        </tr>
                      </thead>
                      <tbody>
                        {preview.replacements.map((r) => (
                          <tr key={r.term}>
                            <td>{r.term}</td>
                            <td>{r.replacement}</td>
                            <td>{r.count}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </>
              )}
              <details>
                <summary>
                  {preview.files.length} file{preview.files.length === 1 ? '' : 's'}: {preview.fileName}
                </summary>
                <ul className="small">
                  {preview.files.map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              </details>
            </>
          )}
        </section>
      </div>
      <FormErrors title="The export could not be made" errors={errors} />
      {status && (
        <p className="muted" role="status">
          {status}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={close}>
          Close
        </button>
        <button type="button" className="primary" disabled={!ready} onClick={() => void download()}>
          {busy
            ? format === 'pdf'
              ? 'Printing…'
              : 'Preparing…'
            : `Download ${format === 'md' ? 'Markdown (.zip)' : format.toUpperCase()}`}
        </button>
      </div>
    </dialog>
  );
}
