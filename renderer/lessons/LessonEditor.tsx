import { type KeyboardEvent, useCallback, useEffect, useId, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { addEvidence, removeEvidence, removeLesson, updateLesson } from '../../shared/lessons/doc';
import {
  type Evidence,
  evidenceKey,
  LESSON_FIELD_LABELS,
  LESSON_LIMITS,
  LESSON_STATUSES,
  LESSON_TEXT_FIELDS,
  type Lesson,
  type LessonPatch,
} from '../../shared/lessons/model';
import { SNIPPET_START, SNIPPET_STOP } from '../../shared/notes/model';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { engagementHref, LIBRARY_HREF, lessonHref, noteHref, systemHref } from '../app/use-hash-route';
import { SelectField, TextField } from '../engagements/fields';
import { levelsUpTo } from '../notes/classification-options';
import { attempt, ListField } from '../stakeholders/common';
import type { LessonsView } from './LessonsPane';
import { appliesToLabel, appliesToVocabulary, parseAppliesTo, skillAreaOptions } from './vocabulary';

const HINTS: Partial<Record<(typeof LESSON_TEXT_FIELDS)[number], string>> = {
  context: 'The setting: the client’s systems, constraints, the phase of the deployment.',
  rootCause: 'Why it really happened, with the evidence.',
  recommendation: 'What the next team should do: the part a new hire reads first.',
};

/** Skill areas and industries used anywhere in the library, to offer them (empty until the library answers). */
function useLibraryVocabulary() {
  const { api } = useOutpost();
  const load = useCallback(async () => {
    const result = await api.call('lessons.library', { query: '', limit: 1 });
    return { skillAreas: result.facets.skillArea.map((f) => f.value), industries: result.facets.industry.map((f) => f.value) };
  }, [api]);
  return useApiQuery(load, []).data ?? { skillAreas: [], industries: [] };
}

/** Every field of one lesson, edited in the engagement's replica. */
export function LessonEditor({ doc, lesson, data }: { doc: Y.Doc; lesson: Lesson; data: LessonsView }) {
  const { info } = useOutpost();
  const library = useLibraryVocabulary();
  const apply = (patch: LessonPatch) => attempt(() => updateLesson(doc, lesson.id, patch));
  const skillAreas = skillAreaOptions([...data.lessons.map((l) => l.skillArea), ...library.skillAreas]);
  const industries = [...new Set([...data.lessons.map((l) => l.industry), ...library.industries].filter(Boolean))].sort();
  const levels = levelsUpTo(info.classificationLevels, data.engagement.ceiling);
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="lesson-editor" aria-label={`Lesson ${lesson.title}`}>
      {lesson.mergedInto && <MergedInto survivorRef={lesson.mergedInto} data={data} />}
      {lesson.mergedFrom.length > 0 && (
        <div className="merged-from" role="note" aria-label="Merged from">
          <strong>Merged from:</strong> {lesson.mergedFrom.map((m) => m.title).join('; ')}
        </div>
      )}
      <div className="fields">
        <div className="field wide">
          <TextField label="Title" value={lesson.title} maxLength={LESSON_LIMITS.title} apply={(title) => apply({ title })} />
        </div>
        <ComboField label="Skill area" value={lesson.skillArea} options={skillAreas} apply={(skillArea) => apply({ skillArea })} />
        <ComboField label="Industry" value={lesson.industry} options={industries} apply={(industry) => apply({ industry })} />
        <SelectField
          label="Status"
          value={lesson.status}
          options={LESSON_STATUSES.map((s) => ({ value: s, label: s === 'reviewed' ? 'Reviewed' : 'Draft' }))}
          apply={(status) => apply({ status })}
        />
        <SelectField
          label="Classification"
          value={lesson.classification}
          options={[
            { value: '', label: `Engagement ceiling (${data.engagement.ceiling})` },
            ...(lesson.classification && !levels.includes(lesson.classification)
              ? [{ value: lesson.classification, label: `${lesson.classification} (above the ceiling)` }]
              : []),
            ...levels.map((level) => ({ value: level, label: level })),
          ]}
          apply={(classification) => apply({ classification })}
        />
        {LESSON_TEXT_FIELDS.map((field) => (
          <TextField
            key={field}
            label={LESSON_FIELD_LABELS[field]}
            multiline
            maxLength={LESSON_LIMITS.text}
            value={lesson[field]}
            apply={(value) => apply({ [field]: value })}
            {...(HINTS[field] ? { hint: HINTS[field] } : {})}
          />
        ))}
        <ListField label="Tags" value={lesson.tags} apply={(tags) => apply({ tags })} hint="Comma-separated" />
        <AppliesToField lesson={lesson} data={data} apply={(appliesTo) => apply({ appliesTo })} />
      </div>
      <EvidenceEditor doc={doc} lesson={lesson} data={data} />
      <p className="muted small">
        Created {lesson.createdAt ? new Date(lesson.createdAt).toLocaleString() : '—'}
        {lesson.source.kind !== 'manual' && ` · from a ${lesson.source.kind === 'retrospective' ? 'retrospective' : lesson.source.kind}`}
        {lesson.author && ` · by ${lesson.author}`}
      </p>
      <div className="danger-row">
        {confirming ? (
          <>
            <span>Delete this lesson? Its evidence links go with it.</span>
            <button type="button" className="danger" onClick={() => attempt(() => removeLesson(doc, lesson.id))}>
              Delete lesson
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete lesson…
          </button>
        )}
      </div>
    </section>
  );
}

/** "Merged into …": the lesson that absorbed this one, by its title (from this engagement, else from the library). */
function MergedInto({ survivorRef, data }: { survivorRef: string; data: LessonsView }) {
  const { api } = useOutpost();
  const [engagementId = '', id = ''] = survivorRef.split(':');
  const local = engagementId === data.engagement.id ? data.lessons.find((l) => l.id === id)?.title : undefined;
  const load = useCallback(
    async () => (local ? null : ((await api.call('lessons.get', { refs: [survivorRef] })).lessons[0] ?? null)),
    [api, survivorRef, local],
  );
  const remote = useApiQuery(load, []).data;
  const title = local ?? remote?.title;
  const where = remote && remote.engagementId !== data.engagement.id ? ` of ${remote.engagementCodename}` : '';
  return (
    <p className="banner" role="note">
      Merged into{' '}
      {title ? (
        <a href={lessonHref(engagementId, id)}>
          “{title}”{where}
        </a>
      ) : (
        'another lesson'
      )}
      . It stays here with its evidence, but the library shows the lesson it was merged into. <a href={LIBRARY_HREF}>Open the library</a>
    </p>
  );
}

/** A text input offering choices (a combobox): any value may be typed, new ones included. Applied as typed. */
export function ComboField({
  label,
  value,
  options,
  apply,
}: {
  label: string;
  value: string;
  options: readonly string[];
  apply: (value: string) => string | null;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const listId = useId();
  const onChange = (next: string) => {
    const refused = apply(next);
    setDraft(refused ? next : null);
    setError(refused);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        list={listId}
        value={draft ?? value}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      {error && <small className="field-error">{error}</small>}
    </div>
  );
}

/** "Applies to": items of the map's vocabulary, each removable; new ones typed or picked. */
function AppliesToField({ lesson, data, apply }: { lesson: Lesson; data: LessonsView; apply: (items: string[]) => string | null }) {
  const vocabulary = useMemo(() => appliesToVocabulary(data.map), [data.map]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const listId = useId();
  const add = () => {
    const value = parseAppliesTo(draft, vocabulary);
    if (!value) return;
    const refused = apply([...lesson.appliesTo, value]);
    setError(refused);
    if (!refused) setDraft('');
  };
  return (
    <div className="field wide applies-to">
      <span className="field-label" id={`${id}-label`}>
        Applies to
      </span>
      {lesson.appliesTo.length === 0 ? (
        <span className="muted small">Nothing yet: the kinds of systems, protocols and formats this lesson is about.</span>
      ) : (
        <ul className="chip-list" aria-labelledby={`${id}-label`}>
          {lesson.appliesTo.map((item) => (
            <li key={item} className="chip">
              {appliesToLabel(item)}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${appliesToLabel(item)}`}
                onClick={() => setError(apply(lesson.appliesTo.filter((x) => x !== item)))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="link-picker">
        <label htmlFor={id} className="visually-hidden">
          Add what it applies to
        </label>
        <input
          id={id}
          list={listId}
          value={draft}
          placeholder="e.g. Database (system), SOAP (protocol)"
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e: KeyboardEvent) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <datalist id={listId}>
          {vocabulary
            .filter((v) => !lesson.appliesTo.includes(v.value))
            .map((v) => (
              <option key={v.value} value={v.label}>
                {v.inMap ? 'in this map' : ''}
              </option>
            ))}
        </datalist>
        <button type="button" className="small-button" onClick={add} disabled={!draft.trim()}>
          Add
        </button>
      </div>
      {error && <small className="field-error">{error}</small>}
    </div>
  );
}

const KIND_LABELS: Record<Evidence['kind'], string> = { note: 'Note', system: 'System', integration: 'Integration', card: 'Card' };

function evidenceHref(item: Evidence): string {
  if (item.kind === 'note') return noteHref(item.engagementId, item.id);
  if (item.kind === 'system') return systemHref(item.engagementId, item.id);
  if (item.kind === 'card') return engagementHref(item.engagementId, 'stakeholders');
  return engagementHref(item.engagementId, 'map');
}

/** The lesson's evidence links: listed with remove, and added from notes (by search), map systems and translation cards. */
function EvidenceEditor({ doc, lesson, data }: { doc: Y.Doc; lesson: Lesson; data: LessonsView }) {
  const [error, setError] = useState<string | null>(null);
  const engagementId = data.engagement.id;
  const link = (item: Evidence) => setError(attempt(() => addEvidence(doc, lesson.id, [item])));
  const linked = new Set(lesson.evidence.map(evidenceKey));
  const systems = data.map.systems.filter((s) => !linked.has(evidenceKey({ kind: 'system', engagementId, id: s.id })));
  const cards = data.cards.filter((c) => !linked.has(evidenceKey({ kind: 'card', engagementId, id: c.id })));
  return (
    <section className="evidence" aria-labelledby="evidence-title">
      <h4 id="evidence-title">Evidence</h4>
      {lesson.evidence.length === 0 ? (
        <p className="muted small">No evidence linked. Link the incident notes, systems and cards this lesson rests on.</p>
      ) : (
        <ul className="evidence-list" aria-label="Evidence">
          {lesson.evidence.map((item) => (
            <li key={evidenceKey(item)}>
              <span className="badge">{KIND_LABELS[item.kind]}</span>
              <a href={evidenceHref(item)}>{item.label}</a>
              {item.engagementId !== engagementId && <span className="muted small">(another engagement)</span>}
              <button
                type="button"
                className="small-button"
                aria-label={`Remove evidence ${item.label}`}
                onClick={() => setError(attempt(() => removeEvidence(doc, lesson.id, evidenceKey(item))))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="evidence-add">
        <NoteSearch engagementId={engagementId} linked={linked} onLink={link} />
        <PickAndLink
          label="System of the map"
          empty="No (other) systems on the map."
          options={systems.map((s) => ({ id: s.id, label: s.name }))}
          onLink={(o) => link({ kind: 'system', engagementId, id: o.id, label: o.label.slice(0, LESSON_LIMITS.evidenceLabel) })}
        />
        <PickAndLink
          label="Translation card"
          empty="No (other) translation cards."
          options={cards.map((c) => ({ id: c.id, label: c.title }))}
          onLink={(o) => link({ kind: 'card', engagementId, id: o.id, label: o.label.slice(0, LESSON_LIMITS.evidenceLabel) })}
        />
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}

function PickAndLink({
  label,
  empty,
  options,
  onLink,
}: {
  label: string;
  empty: string;
  options: Array<{ id: string; label: string }>;
  onLink: (option: { id: string; label: string }) => void;
}) {
  const [choice, setChoice] = useState('');
  const id = useId();
  const picked = options.find((o) => o.id === choice) ?? options[0];
  return (
    <div className="field">
      {picked ? <label htmlFor={id}>{label}</label> : <span>{label}</span>}
      {picked ? (
        <div className="link-picker">
          <select id={id} value={picked.id} onChange={(e) => setChoice(e.target.value)}>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
          <button type="button" className="small-button" aria-label={`Link ${label.toLowerCase()}`} onClick={() => onLink(picked)}>
            Link
          </button>
        </div>
      ) : (
        <p className="muted small empty-note">{empty}</p>
      )}
    </div>
  );
}

/** Finds notes of the engagement by full-text search and links one. */
function NoteSearch({ engagementId, linked, onLink }: { engagementId: string; linked: Set<string>; onLink: (item: Evidence) => void }) {
  const { api } = useOutpost();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Array<{ id: string; title: string; snippet: string }>>([]);
  const id = useId();
  useEffect(() => {
    if (!query.trim()) {
      setHits([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.call('notes.search', { query, filter: { engagementId }, limit: 8 }).then(
        (result) => {
          if (current) setHits(result.hits.map((h) => ({ id: h.note.id, title: h.note.title || 'Untitled', snippet: h.snippet })));
        },
        () => current && setHits([]),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, query, engagementId]);
  const clean = (s: string) => s.replaceAll(SNIPPET_START, '').replaceAll(SNIPPET_STOP, '');
  return (
    <div className="field note-search">
      <label htmlFor={id}>Find a note to link</label>
      <input
        id={id}
        type="search"
        value={query}
        autoComplete="off"
        placeholder="Words of its title or text"
        onChange={(e) => setQuery(e.target.value)}
      />
      {hits.length > 0 && (
        <ul className="note-hits" aria-label="Notes found">
          {hits.map((hit) => {
            const done = linked.has(evidenceKey({ kind: 'note', engagementId, id: hit.id }));
            return (
              <li key={hit.id}>
                <span className="hit-title">{hit.title}</span>
                <span className="muted small">{clean(hit.snippet)}</span>
                <button
                  type="button"
                  className="small-button"
                  disabled={done}
                  aria-label={`Link note ${hit.title}`}
                  onClick={() => onLink({ kind: 'note', engagementId, id: hit.id, label: hit.title.slice(0, LESSON_LIMITS.evidenceLabel) })}
                >
                  {done ? 'Linked' : 'Link'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
