import { useState } from 'react';
import type * as Y from 'yjs';
import { addCard, notYetTold, removeCard, removeRendering, setRendering, updateCard } from '../../shared/stakeholders/doc';
import { findJargon, glossaryMatcher, glossaryReferences } from '../../shared/stakeholders/glossary';
import {
  type Audience,
  audienceKey,
  type Card,
  type CardPatch,
  CONFIDENCES,
  type GlossaryEntry,
  KIND_AUDIENCE_LABELS,
  RENDERING_STATUSES,
  type Rendering,
  type RenderingPatch,
  SEVERITIES,
  SEVERITY_LABELS,
  STAKEHOLDER_KINDS,
  STAKEHOLDER_LIMITS,
  STATUS_LABELS,
  type Stakeholder,
} from '../../shared/stakeholders/model';
import { readability, readabilityHint } from '../../shared/stakeholders/readability';
import { QuickAddForm } from '../app/QuickAddForm';
import { SelectField, TextField } from '../engagements/fields';
import { TurnIntoLessonButton } from '../lessons/TurnIntoLessonButton';
import { attempt, GlossaryText, ListField, localDate, NoteLinks, type Translations } from './common';

const CONFIDENCE_LABELS = { suspected: 'Suspected', likely: 'Likely', confirmed: 'Confirmed' } as const;

/** Translation cards: the technical finding and, per audience, the words that explain it. */
export function CardsPanel({ doc, data, jargon }: { doc: Y.Doc; data: Translations; jargon: readonly string[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const add = (title: string) => {
    let id = '';
    const refused = attempt(() => {
      id = addCard(doc, { title });
    });
    if (!refused) setOpen(id);
    return refused;
  };
  return (
    <div className="cards">
      <QuickAddForm
        label="New translation card"
        field="Card title"
        button="Add card"
        maxLength={STAKEHOLDER_LIMITS.title}
        placeholder="e.g. Pick suggestions arrive late at the morning peak"
        onAdd={add}
      />
      {data.cards.length === 0 && (
        <p className="muted">
          No translation cards yet. A card holds one technical finding and the words that explain it to each audience.
        </p>
      )}
      {data.cards.map((card) => (
        <CardView
          key={card.id}
          doc={doc}
          card={card}
          data={data}
          jargon={jargon}
          open={open === card.id}
          onToggle={(o) => setOpen(o ? card.id : null)}
        />
      ))}
    </div>
  );
}

function CardView({
  doc,
  card,
  data,
  jargon,
  open,
  onToggle,
}: {
  doc: Y.Doc;
  card: Card;
  data: Translations;
  jargon: readonly string[];
  open: boolean;
  onToggle: (open: boolean) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const untold = notYetTold(card, data.stakeholders);
  const apply = (patch: CardPatch) => attempt(() => updateCard(doc, card.id, patch));
  const delivered = card.renderings.filter((r) => r.status === 'delivered').length;
  return (
    <details className={`card sev-${card.severity}`} open={open} onToggle={(e) => onToggle((e.target as HTMLDetailsElement).open)}>
      <summary>
        <span className="card-title">{card.title}</span>
        <span className={`badge sev-${card.severity}`}>{SEVERITY_LABELS[card.severity]}</span>
        <span className="muted small">
          {card.renderings.length} {card.renderings.length === 1 ? 'rendering' : 'renderings'}, {delivered} delivered
        </span>
        {untold.length > 0 && data.stakeholders.length > 0 && (
          <span className="untold" role="note" aria-label={`Not yet told: ${untold.map((s) => s.name).join(', ')}`}>
            Not yet told: {untold.length}
          </span>
        )}
      </summary>
      {open && (
        <section className="card-body" aria-label={`Card ${card.title}`}>
          <section className="finding" aria-label="Technical finding">
            <h4>Technical finding</h4>
            <div className="fields">
              <TextField label="Title" value={card.title} maxLength={STAKEHOLDER_LIMITS.title} apply={(title) => apply({ title })} />
              <SelectField
                label="Severity"
                value={card.severity}
                options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
                apply={(severity) => apply({ severity })}
              />
              <SelectField
                label="Confidence"
                value={card.confidence}
                options={CONFIDENCES.map((c) => ({ value: c, label: CONFIDENCE_LABELS[c] }))}
                apply={(confidence) => apply({ confidence })}
              />
              <ListField label="Affected systems" value={card.systems} apply={(systems) => apply({ systems })} hint="Comma-separated" />
              <NoteLinks label="Evidence" engagementId={data.engagement.id} ids={card.evidence} apply={(evidence) => apply({ evidence })} />
              <TextField
                label="The precise statement"
                multiline
                maxLength={STAKEHOLDER_LIMITS.finding}
                value={card.finding}
                apply={(finding) => apply({ finding })}
                hint="The technical truth, with numbers: what fails, when, why, and the evidence."
              />
            </div>
          </section>
          <p className="told-line">
            {data.stakeholders.length === 0
              ? 'Add stakeholders to see who still needs to hear about this.'
              : untold.length
                ? `Not yet told: ${untold.map((s) => s.name).join(', ')}`
                : 'Everyone in the registry has been told.'}
          </p>
          <h4>Renderings</h4>
          {card.renderings.length === 0 && <p className="muted">No rendering yet: add one for a stakeholder or an audience.</p>}
          {card.renderings.map((r) => (
            <RenderingEditor key={r.key} doc={doc} card={card} rendering={r} data={data} jargon={jargon} />
          ))}
          <AddRendering doc={doc} card={card} stakeholders={data.stakeholders} />
          <div className="danger-row">
            <TurnIntoLessonButton source={{ kind: 'card', engagementId: data.engagement.id, id: card.id }} />
            {confirming ? (
              <>
                <span>Delete this card and all its renderings?</span>
                <button type="button" className="danger" onClick={() => attempt(() => removeCard(doc, card.id))}>
                  Delete card
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" onClick={() => setConfirming(true)}>
                Delete card…
              </button>
            )}
          </div>
        </section>
      )}
    </details>
  );
}

function AddRendering({ doc, card, stakeholders }: { doc: Y.Doc; card: Card; stakeholders: readonly Stakeholder[] }) {
  const taken = new Set(card.renderings.map((r) => r.key));
  const options: Array<{ value: string; label: string; audience: Audience }> = [
    ...stakeholders.map((s) => ({ value: `stakeholder:${s.id}`, label: s.name, audience: { type: 'stakeholder', id: s.id } as Audience })),
    ...STAKEHOLDER_KINDS.map((k) => ({
      value: `kind:${k}`,
      label: `All ${KIND_AUDIENCE_LABELS[k].toLowerCase()}`,
      audience: { type: 'kind', kind: k } as Audience,
    })),
  ].filter((o) => !taken.has(o.value));
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const picked = options.find((o) => o.value === choice) ?? options[0];
  if (!picked) return null;
  return (
    <div className="inline-form add-rendering">
      <label>
        <span>Write a rendering for</span>
        <select value={picked.value} onChange={(e) => setChoice(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => setError(attempt(() => setRendering(doc, card.id, picked.audience, { status: 'draft' })))}>
        Add rendering
      </button>
      {error && (
        <p role="alert" className="field-error wide">
          {error}
        </p>
      )}
    </div>
  );
}

function RenderingEditor({
  doc,
  card,
  rendering: r,
  data,
  jargon,
}: {
  doc: Y.Doc;
  card: Card;
  rendering: Rendering;
  data: Translations;
  jargon: readonly string[];
}) {
  const audience = r.audience as Audience;
  const apply = (patch: RenderingPatch) => attempt(() => setRendering(doc, card.id, audience, patch));
  const person = audience.type === 'stakeholder' ? data.stakeholders.find((s) => s.id === audience.id) : undefined;
  const label = `For ${r.audienceLabel}`;
  return (
    <fieldset className={`rendering status-${r.status}`} aria-label={label}>
      <legend>
        {label}
        {r.audienceGone && <span className="warn-chip">removed from the registry</span>}
        {person && (
          <span className="muted small">
            {' '}
            · {person.role || 'no role'} · fluency {person.fluency}
          </span>
        )}
      </legend>
      <div className="fields">
        <RenderingText
          label="Plain-language explanation"
          value={r.explanation}
          max={STAKEHOLDER_LIMITS.explanation}
          apply={(explanation) => apply({ explanation })}
          glossary={data.glossary}
          jargon={jargon}
          fluency={person?.fluency}
        />
        <RenderingText
          label="Business impact"
          value={r.impact}
          max={STAKEHOLDER_LIMITS.impact}
          apply={(impact) => apply({ impact })}
          glossary={data.glossary}
          jargon={jargon}
          fluency={person?.fluency}
          hint="Quantified where you can: late picks a day, hours, money."
        />
        <RenderingText
          label="What we need from them"
          value={r.ask}
          max={STAKEHOLDER_LIMITS.ask}
          apply={(ask) => apply({ ask })}
          glossary={data.glossary}
          jargon={jargon}
          fluency={person?.fluency}
          hint="A decision or an action, with a date."
        />
        <SelectField
          label="Status"
          value={r.status}
          options={RENDERING_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          apply={(status) => apply(status === 'delivered' && !r.deliveredAt ? { status, deliveredAt: localDate() } : { status })}
        />
        {r.status === 'delivered' && (
          <>
            <TextField
              label="Delivered on"
              type="date"
              value={r.deliveredAt?.slice(0, 10) ?? ''}
              apply={(v) => apply({ deliveredAt: v || null })}
            />
            <TextField
              label="Delivered how"
              value={r.deliveredVia}
              maxLength={STAKEHOLDER_LIMITS.deliveredVia}
              apply={(deliveredVia) => apply({ deliveredVia })}
              hint="e.g. steering committee, email, 1:1"
            />
          </>
        )}
      </div>
      <button type="button" className="small-button" onClick={() => attempt(() => removeRendering(doc, card.id, audienceKey(audience)))}>
        Remove this rendering
      </button>
    </fieldset>
  );
}

/** A rendering's text field with its readability score, jargon hints and a glossary-aware preview. Hints never block. */
function RenderingText({
  label,
  value,
  max,
  apply,
  glossary,
  jargon,
  fluency,
  hint,
}: {
  label: string;
  value: string;
  max: number;
  apply: (value: string) => string | null;
  glossary: readonly GlossaryEntry[];
  jargon: readonly string[];
  fluency: number | undefined;
  hint?: string;
}) {
  const score = readability(value);
  const flags = value.trim() ? findJargon(value, jargon, glossary) : [];
  const advice = score ? readabilityHint(score, fluency) : null;
  // The preview (with hover definitions) shows only when the text uses a glossary term.
  const hasTerms =
    !!value.trim() && (glossaryReferences(value).length > 0 || (glossary.length > 0 && glossaryMatcher(glossary).find(value).length > 0));
  return (
    <div className="field wide rendering-text">
      <TextField label={label} multiline maxLength={max} value={value} apply={apply} {...(hint ? { hint } : {})} />
      {(score || flags.length > 0) && (
        <div className="readability" role="note" aria-label={`Readability of ${label.toLowerCase()}`}>
          {score && (
            <span className={`score band-${score.band.replace(' ', '-')}`}>
              Readability {Math.round(score.score)} ({score.band}) · grade {score.grade}
            </span>
          )}
          {advice && <span className="hint">{advice}</span>}
          {flags.length > 0 && (
            <span className="hint">
              Jargon to explain or replace:{' '}
              {flags.map((f, i) => (
                <span key={f.term} className="jargon" title={f.meaning ? `Glossary: ${f.meaning}` : 'From the notebook’s jargon list'}>
                  {i > 0 ? ', ' : ''}
                  {f.term}
                </span>
              ))}
            </span>
          )}
        </div>
      )}
      {hasTerms && (
        <div className="glossary-preview" role="note" aria-label={`${label} with glossary terms`}>
          <GlossaryText text={value} glossary={glossary} />
        </div>
      )}
    </div>
  );
}
