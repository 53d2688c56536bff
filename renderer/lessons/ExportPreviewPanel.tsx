import { useState } from 'react';
import type { ExportPreview } from '../../shared/lessons/export-calls';
import { FINDING_KIND_LABELS, type RedactionOverride } from '../../shared/lessons/redaction';
import { plural } from '../../shared/plural';

interface Props {
  preview: ExportPreview | null;
  loading: boolean;
  sanitize: boolean;
  allow: string[];
  setAllow(allow: string[]): void;
  saveOverride(change: RedactionOverride): Promise<void>;
}

/** What the export would hold: counts, what is left out, the final check's findings, every replacement, the files. */
export function ExportPreviewPanel({ preview, loading, sanitize, allow, setAllow, saveOverride }: Props) {
  return (
    <section className="export-preview" aria-label="Preview" aria-busy={loading}>
      {loading && !preview && <p className="muted">Preparing the preview…</p>}
      {preview && (
        <>
          <p className="export-summary" aria-live="polite">
            <strong>{plural(preview.lessons, 'lesson')}</strong>
            {preview.chapters > 1 ? ` in ${preview.chapters} chapters` : ''}, up to {preview.cap}
            {preview.leftOut.length > 0 && (
              <>
                {' '}
                · {preview.leftOut.length} left out (above {preview.cap})
              </>
            )}
            {preview.withheldEvidence > 0 && <> · {plural(preview.withheldEvidence, 'evidence link')} withheld</>}
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
          {sanitize && <FinalCheck preview={preview} allow={allow} setAllow={setAllow} saveOverride={saveOverride} />}
          {sanitize && <Replacements preview={preview} />}
          <details>
            <summary>
              {plural(preview.files.length, 'file')}: {preview.fileName}
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
  );
}

/** What the final scan still finds, each to replace (a new dictionary entry) or allow (this export only). */
function FinalCheck({ preview, allow, setAllow, saveOverride }: Omit<Props, 'loading' | 'sanitize'> & { preview: ExportPreview }) {
  const [pending, setPending] = useState<Record<string, string>>({});
  const findings = preview.findings;
  const replaceFinding = (text: string) => {
    const replacement = (pending[text] ?? '').trim();
    void saveOverride({ term: text, replacement: replacement || '[redacted]', enabled: true });
  };
  return (
    <>
      <h3>Final check</h3>
      {findings.length === 0 ? (
        <p className="ok">Nothing left: no dictionary name, IP address, e-mail address, host name or long number remains.</p>
      ) : (
        <>
          <p className="warning">{plural(findings.length, 'identifier')} still in the export. Replace each or allow it to download.</p>
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
    </>
  );
}

/** Every name the dictionary replaced, with its pseudonym and how often. */
function Replacements({ preview }: { preview: ExportPreview }) {
  return (
    <>
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
  );
}
