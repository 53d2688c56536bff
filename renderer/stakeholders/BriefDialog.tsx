import { useId, useState } from 'react';
import { type Brief, composeBrief } from '../../shared/stakeholders/brief';
import { renderingFor } from '../../shared/stakeholders/doc';
import {
  type Audience,
  KIND_AUDIENCE_LABELS,
  SEVERITY_LABELS,
  STAKEHOLDER_KINDS,
  type StakeholderKind,
} from '../../shared/stakeholders/model';
import { startDownload } from '../app/download';
import { errorLines, FormErrors, useModalDialog } from '../app/modal';
import { useOutpost } from '../app/outpost-context';
import { localDate, type Translations } from './common';

function parseAudience(value: string): Audience | null {
  const [type, rest] = value.split(':', 2);
  if (type === 'stakeholder' && rest) return { type, id: rest };
  if (type === 'kind' && (STAKEHOLDER_KINDS as readonly string[]).includes(rest ?? '')) return { type, kind: rest as StakeholderKind };
  return null;
}

/** Pick an audience and cards, see the brief as the reader will, download it as PDF, HTML or Markdown. */
export function BriefDialog({ data, onClose }: { data: Translations; onClose: () => void }) {
  const { api, info } = useOutpost();
  const { ref, close } = useModalDialog();
  const titleId = useId();
  const [audienceValue, setAudienceValue] = useState(data.stakeholders[0] ? `stakeholder:${data.stakeholders[0].id}` : 'kind:executive');
  const [unchecked, setUnchecked] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const audience = parseAudience(audienceValue) ?? { type: 'kind', kind: 'executive' };
  const available = data.cards.filter((c) => renderingFor(c, audience, data.stakeholders));
  const chosen = available.filter((c) => !unchecked.has(c.id));
  const date = localDate();

  let preview: Brief | null = null;
  let problem: string | null = null;
  if (chosen.length) {
    try {
      preview = composeBrief(
        {
          engagement: {
            codename: data.engagement.codename,
            client: data.engagement.client,
            site: data.engagement.site,
            ceiling: data.engagement.ceiling,
          },
          stakeholders: data.stakeholders,
          cards: data.cards,
          glossary: data.glossary,
        },
        { audience, cardIds: chosen.map((c) => c.id), date, preparedBy: info.device.name },
      ).brief;
    } catch (error) {
      problem = (error as Error).message;
    }
  }

  const download = async (format: 'pdf' | 'html' | 'md') => {
    setBusy(format);
    setErrors([]);
    setStatus(format === 'pdf' ? 'Printing the PDF…' : null);
    try {
      const result = await api.call('stakeholders.briefDownload', {
        engagementId: data.engagement.id,
        audience,
        cardIds: chosen.map((c) => c.id),
        date,
        format,
      });
      startDownload(result.token, result.fileName);
      setStatus(`Downloaded ${result.fileName}. Check your downloads folder.`);
    } catch (error) {
      setStatus(null);
      setErrors(errorLines(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <dialog ref={ref} className="dialog brief-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Brief</h2>
      <div className="brief-layout">
        <form className="brief-options" onSubmit={(e) => e.preventDefault()}>
          <label>
            <span>Audience</span>
            <select
              value={audienceValue}
              onChange={(e) => {
                setAudienceValue(e.target.value);
                setUnchecked(new Set());
              }}
            >
              <optgroup label="Stakeholders">
                {data.stakeholders.map((s) => (
                  <option key={s.id} value={`stakeholder:${s.id}`}>
                    {s.name}
                    {s.role ? ` (${s.role})` : ''}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Audiences">
                {STAKEHOLDER_KINDS.map((k) => (
                  <option key={k} value={`kind:${k}`}>
                    {KIND_AUDIENCE_LABELS[k]}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <fieldset>
            <legend>Cards</legend>
            {data.cards.length === 0 && <p className="muted">No cards yet.</p>}
            {data.cards.map((card) => {
              const has = available.includes(card);
              return (
                <label key={card.id} className="check">
                  <input
                    type="checkbox"
                    disabled={!has}
                    checked={has && !unchecked.has(card.id)}
                    onChange={(e) => {
                      const next = new Set(unchecked);
                      if (e.target.checked) next.delete(card.id);
                      else next.add(card.id);
                      setUnchecked(next);
                    }}
                  />
                  <span>
                    {card.title}
                    {!has && <span className="muted small"> (no rendering for this audience)</span>}
                  </span>
                </label>
              );
            })}
          </fieldset>
          <div className="actions brief-actions">
            <button type="button" className="primary" disabled={!preview || busy !== null} onClick={() => void download('pdf')}>
              {busy === 'pdf' ? 'Printing…' : 'Download PDF'}
            </button>
            <button type="button" disabled={!preview || busy !== null} onClick={() => void download('html')}>
              Download HTML
            </button>
            <button type="button" disabled={!preview || busy !== null} onClick={() => void download('md')}>
              Download Markdown
            </button>
          </div>
          {status && (
            <p role="status" className="muted">
              {status}
            </p>
          )}
          <FormErrors title="The brief was not made:" errors={errors} />
        </form>
        <section className="brief-preview" aria-label="Brief preview">
          {preview ? (
            <BriefPreview brief={preview} />
          ) : (
            <p className="muted">{problem ?? 'Choose an audience with at least one card written for them (or for their kind).'}</p>
          )}
        </section>
      </div>
      <div className="actions">
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </dialog>
  );
}

/** The brief as the reader will see it: the same sections as the HTML and PDF, rendered as React text. */
function BriefPreview({ brief }: { brief: Brief }) {
  const asks = brief.items.filter((i) => i.rendering.ask.trim());
  const paragraphs = (text: string) =>
    text
      .trim()
      .split(/\n\s*\n/)
      // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one text, in order
      .map((p, i) => <p key={i}>{p}</p>);
  return (
    <div className="paper">
      {brief.engagement.ceiling && <div className="marking">{brief.engagement.ceiling}</div>}
      <p className="eyebrow">{[brief.engagement.client, brief.engagement.site, brief.engagement.codename].filter(Boolean).join(' · ')}</p>
      <h3 className="brief-title">{brief.title}</h3>
      <p className="meta">
        {[brief.audienceLine, brief.date, brief.preparedBy && `Prepared by ${brief.preparedBy}`].filter(Boolean).join(' · ')}
      </p>
      <div className="glance">
        <h4>At a glance</h4>
        <ul>
          {brief.items.map(({ card }) => (
            <li key={card.id}>
              <strong>{SEVERITY_LABELS[card.severity]}:</strong> {card.title}
            </li>
          ))}
        </ul>
      </div>
      {brief.items.map(({ card, rendering }) => (
        <article key={card.id} className="item">
          <h4>
            {card.title} <span className={`badge sev-${card.severity}`}>{SEVERITY_LABELS[card.severity]}</span>
          </h4>
          {rendering.explanation.trim() && (
            <>
              <h5>What is happening</h5>
              {paragraphs(rendering.explanation)}
            </>
          )}
          {rendering.impact.trim() && (
            <>
              <h5>What it means for you</h5>
              {paragraphs(rendering.impact)}
            </>
          )}
          {rendering.ask.trim() && (
            <>
              <h5>What we need from you</h5>
              {paragraphs(rendering.ask)}
            </>
          )}
        </article>
      ))}
      {asks.length > 0 && (
        <div>
          <h4>Decisions and actions requested</h4>
          <ol>
            {asks.map(({ card, rendering }) => (
              <li key={card.id}>
                <strong>{card.title}:</strong> {rendering.ask}
              </li>
            ))}
          </ol>
        </div>
      )}
      {brief.terms.length > 0 && (
        <div>
          <h4>Terms used</h4>
          <dl>
            {brief.terms.map((t) => (
              <div key={t.id}>
                <dt>{t.term}</dt>
                <dd>{t.meaning}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}
