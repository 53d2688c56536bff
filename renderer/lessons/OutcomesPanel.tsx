import { useId, useState } from 'react';
import type * as Y from 'yjs';
import { addOutcome, removeOutcome, updateOutcome } from '../../shared/lessons/doc';
import { LESSON_LIMITS, type Outcome, type OutcomePatch, outcomeImprovement } from '../../shared/lessons/model';
import { QuickAddForm } from '../app/QuickAddForm';
import { SelectField, TextField } from '../engagements/fields';
import { attempt } from '../stakeholders/common';
import { describeImprovement, parseMeasure } from './vocabulary';

/** The engagement's outcome metrics: baseline → achieved, with which way is better and the improvement. */
export function OutcomesPanel({ doc, outcomes }: { doc: Y.Doc; outcomes: Outcome[] }) {
  return (
    <div className="outcomes">
      <QuickAddForm
        label="New outcome metric"
        field="Metric name"
        button="Add metric"
        maxLength={LESSON_LIMITS.metricName}
        placeholder="e.g. Late picks per day, model accuracy in production"
        onAdd={(name) => attempt(() => addOutcome(doc, { name }))}
      />
      {outcomes.length === 0 ? (
        <p className="muted">No outcome metrics yet. Record what the engagement changed: where it started (baseline) and where it ended.</p>
      ) : (
        <ul className="outcome-list" aria-label="Outcome metrics">
          {outcomes.map((o) => (
            <li key={o.id}>
              <OutcomeEditor doc={doc} outcome={o} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function OutcomeEditor({ doc, outcome }: { doc: Y.Doc; outcome: Outcome }) {
  const apply = (patch: OutcomePatch) => attempt(() => updateOutcome(doc, outcome.id, patch));
  const change = outcomeImprovement(outcome);
  const summary = describeImprovement(outcome);
  return (
    <fieldset className="outcome" aria-label={`Metric ${outcome.name}`}>
      <legend>{outcome.name}</legend>
      <div className="outcome-fields">
        <TextField label="Name" value={outcome.name} maxLength={LESSON_LIMITS.metricName} apply={(name) => apply({ name })} />
        <TextField label="Unit" value={outcome.unit} maxLength={LESSON_LIMITS.unit} apply={(unit) => apply({ unit })} />
      </div>
      <div className="outcome-measures">
        <MeasureField label="Baseline" value={outcome.baseline} apply={(baseline) => apply({ baseline })} />
        <span className="arrow" aria-hidden="true">
          →
        </span>
        <MeasureField label="Achieved" value={outcome.achieved} apply={(achieved) => apply({ achieved })} />
        <SelectField
          label="Better when"
          value={outcome.better}
          options={[
            { value: 'higher', label: 'Higher' },
            { value: 'lower', label: 'Lower' },
          ]}
          apply={(better) => apply({ better })}
        />
      </div>
      <p
        className={`improvement ${change ? (change.delta > 0 ? 'better' : change.delta < 0 ? 'worse' : '') : 'muted'}`}
        role="status"
        aria-label={`Improvement of ${outcome.name}`}
      >
        {summary ?? 'Enter the baseline and the achieved value to see the improvement.'}
      </p>
      <TextField label="Note" multiline value={outcome.note} maxLength={LESSON_LIMITS.outcomeNote} apply={(note) => apply({ note })} />
      <button type="button" className="small-button" onClick={() => attempt(() => removeOutcome(doc, outcome.id))}>
        Remove metric
      </button>
    </fieldset>
  );
}

/** A number (or nothing, "not measured"): kept as typed while it is not a number, with the reason. */
function MeasureField({ label, value, apply }: { label: string; value: number | null; apply: (value: number | null) => string | null }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const onChange = (text: string) => {
    const parsed = parseMeasure(text);
    if (parsed === undefined) {
      setDraft(text);
      setError('Enter a number, or leave it empty');
      return;
    }
    const refused = apply(parsed);
    setDraft(refused || text.trim() !== String(parsed ?? '') ? text : null);
    setError(refused);
  };
  return (
    <div className="field measure">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="decimal"
        value={draft ?? (value === null ? '' : String(value))}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => !error && setDraft(null)}
      />
      {error && <small className="field-error">{error}</small>}
    </div>
  );
}
