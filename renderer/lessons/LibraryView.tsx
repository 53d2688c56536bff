import { type FormEvent, useCallback, useId, useMemo, useState } from 'react';
import { docIdFor } from '../../shared/ids';
import type { LessonSummary, LibraryFilter, LibraryResult, ResolvedEvidence, SimilarPair } from '../../shared/lessons/calls';
import { readLessons } from '../../shared/lessons/doc';
import type { ExportSelection } from '../../shared/lessons/export-calls';
import { LESSON_FIELD_LABELS, LESSON_STATUSES, LESSON_TEXT_FIELDS } from '../../shared/lessons/model';
import { errorLines, FormErrors, useModalDialog } from '../app/modal';
import { useDocValue, useOutpost, useReplica } from '../app/outpost-context';
import { QuickAddForm } from '../app/QuickAddForm';
import { useApiQuery } from '../app/use-api-query';
import { type LibrarySection, lessonHref, libraryHref, navigate } from '../app/use-hash-route';
import { ExportDialog } from './ExportDialog';
import { PlaybookEditor } from './PlaybookEditor';
import { appliesToLabel, snippetParts, toggleValue } from './vocabulary';
import './lessons.css';

const SECTIONS: Array<{ id: LibrarySection; label: string }> = [
  { id: 'lessons', label: 'Lessons' },
  { id: 'similar', label: 'Similar lessons' },
  { id: 'playbooks', label: 'Playbooks' },
];

/** The lead's library: every lesson of the notebook, similar lessons to merge, and playbooks. */
export function LibraryView({ section, playbookId }: { section: LibrarySection; playbookId: string | null }) {
  const [exporting, setExporting] = useState<ExportSelection | null>(null);
  return (
    <article className="library" aria-labelledby="library-title">
      <header className="page-head">
        <h2 id="library-title">Library</h2>
        <nav className="tabs" aria-label="Library sections">
          {SECTIONS.map((s) => (
            <a key={s.id} href={libraryHref(s.id)} aria-current={section === s.id ? 'page' : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
      </header>
      {section === 'lessons' && <LessonsLibrary onExport={setExporting} />}
      {section === 'similar' && <SimilarLessons />}
      {section === 'playbooks' &&
        (playbookId ? (
          <PlaybookEditor key={playbookId} playbookId={playbookId} onExport={() => setExporting({ playbookId })} />
        ) : (
          <PlaybookList />
        ))}
      {exporting && <ExportDialog selection={exporting} onClose={() => setExporting(null)} />}
    </article>
  );
}

type Filter = Omit<LibraryFilter, 'includeMerged'>;
const FACETS: Array<{ facet: keyof LibraryResult['facets']; key: keyof Filter; legend: string }> = [
  { facet: 'skillArea', key: 'skillAreas', legend: 'Skill area' },
  { facet: 'appliesTo', key: 'appliesTo', legend: 'Applies to' },
  { facet: 'industry', key: 'industries', legend: 'Industry' },
  { facet: 'tag', key: 'tags', legend: 'Tag' },
  { facet: 'engagement', key: 'engagementIds', legend: 'Engagement' },
];

/** The selected years as the filter's date range (from the first selected year to the last). */
function yearsToRange(years: string[]): Pick<Filter, 'from' | 'to'> {
  if (!years.length) return {};
  const sorted = [...years].sort();
  return { from: `${sorted[0]}-01-01`, to: `${sorted.at(-1)}-12-31` };
}

function LessonsLibrary({ onExport }: { onExport: (selection: ExportSelection) => void }) {
  const { api } = useOutpost();
  const [filter, setFilter] = useState<Filter>({ query: '' });
  const [years, setYears] = useState<string[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const request = useMemo(() => ({ ...filter, ...(years.length ? yearsToRange(years) : {}) }), [filter, years]);
  const load = useCallback(() => api.call('lessons.library', { ...request, limit: 200 }), [api, request]);
  const result = useApiQuery(load, ['engagements.changed', 'notes.changed']);
  const data = result.data;
  const set = (patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch }));
  const searchId = useId();
  const shownRefs = data?.lessons.map((l) => l.ref) ?? [];
  return (
    <div className="library-layout">
      <aside className="library-filters" aria-label="Filters">
        <div className="field">
          <label htmlFor={searchId}>Search lessons</label>
          <input
            id={searchId}
            type="search"
            value={filter.query ?? ''}
            placeholder='words, "a phrase", -exclude'
            autoComplete="off"
            onChange={(e) => set({ query: e.target.value })}
          />
        </div>
        <label className="field">
          <span>Status</span>
          <select value={filter.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as Filter['status'] })}>
            <option value="">Any</option>
            {LESSON_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'reviewed' ? 'Reviewed' : 'Draft'}
              </option>
            ))}
          </select>
        </label>
        <div className="date-range">
          <label className="field">
            <span>From</span>
            <input type="date" value={filter.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={filter.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
          </label>
        </div>
        {data &&
          FACETS.map(({ facet, key, legend }) => (
            <FacetGroup
              key={facet}
              legend={legend}
              values={data.facets[facet]}
              selected={(filter[key] as string[] | undefined) ?? []}
              onToggle={(value, on) => set({ [key]: toggleValue(filter[key] as string[] | undefined, value, on) })}
            />
          ))}
        {data && (
          <FacetGroup
            legend="Year"
            values={data.facets.year}
            selected={years}
            onToggle={(value, on) => setYears((y) => toggleValue(y, value, on))}
          />
        )}
      </aside>
      <section className="library-results" aria-label="Results">
        <div className="results-head">
          <p role="status" className="muted">
            {result.error ? '' : data ? `${data.total.toLocaleString()} ${data.total === 1 ? 'lesson' : 'lessons'}` : 'Searching…'}
          </p>
          <div className="head-actions">
            <button type="button" disabled={!selected.length} onClick={() => onExport({ refs: selected })}>
              Export selected ({selected.length})…
            </button>
            <button type="button" disabled={!shownRefs.length} onClick={() => onExport({ refs: shownRefs })}>
              Export all shown…
            </button>
          </div>
        </div>
        {result.error && (
          <p role="alert" className="error">
            {result.error}
          </p>
        )}
        {data && data.lessons.length === 0 && <p className="muted">No lesson matches. Remove a filter or change the search.</p>}
        {data && data.lessons.length > 0 && (
          <ul className="library-list" aria-label="Lessons found">
            {data.lessons.map((lesson) => (
              <li key={lesson.ref} className={lesson.ref === open ? 'selected' : undefined}>
                <input
                  type="checkbox"
                  aria-label={`Select ${lesson.title}`}
                  checked={selected.includes(lesson.ref)}
                  onChange={(e) => setSelected((s) => toggleValue(s, lesson.ref, e.target.checked))}
                />
                <div className="library-item">
                  <button
                    type="button"
                    className="link-button"
                    aria-expanded={lesson.ref === open}
                    onClick={() => setOpen(lesson.ref === open ? null : lesson.ref)}
                  >
                    {lesson.title}
                  </button>
                  <SummaryMeta lesson={lesson} />
                  {lesson.snippet && <Snippet text={lesson.snippet} />}
                </div>
              </li>
            ))}
          </ul>
        )}
        {data && data.total > data.lessons.length && (
          <p className="muted small">The first {data.lessons.length} are shown: narrow the search to see the others.</p>
        )}
      </section>
      {open && (
        <LessonDetail
          key={open}
          lessonRef={open}
          onClose={() => setOpen(null)}
          onMerged={(survivor) => setOpen(survivor)}
          reload={result.reload}
        />
      )}
    </div>
  );
}

function FacetGroup({
  legend,
  values,
  selected,
  onToggle,
}: {
  legend: string;
  values: Array<{ value: string; label: string; count: number }>;
  selected: string[];
  onToggle: (value: string, on: boolean) => void;
}) {
  const [all, setAll] = useState(false);
  // A selected value stays listed even when its count drops to 0 under other filters.
  const listed = [...values, ...selected.filter((s) => !values.some((v) => v.value === s)).map((s) => ({ value: s, label: s, count: 0 }))];
  if (!listed.length) return null;
  const shown = all ? listed : listed.slice(0, 8);
  return (
    <fieldset className="facet">
      <legend>{legend}</legend>
      <ul>
        {shown.map((v) => (
          <li key={v.value}>
            <label>
              <input type="checkbox" checked={selected.includes(v.value)} onChange={(e) => onToggle(v.value, e.target.checked)} />
              <span>{legend === 'Applies to' ? appliesToLabel(v.value) : v.label}</span>
              <span className="count">({v.count})</span>
            </label>
          </li>
        ))}
      </ul>
      {listed.length > 8 && (
        <button type="button" className="link-button small" onClick={() => setAll(!all)}>
          {all ? 'Fewer' : `All ${listed.length}`}
        </button>
      )}
    </fieldset>
  );
}

function SummaryMeta({ lesson }: { lesson: LessonSummary }) {
  return (
    <span className="muted small summary-meta">
      {lesson.engagementCodename} · {lesson.skillArea} · {lesson.status === 'reviewed' ? 'Reviewed' : 'Draft'} · {lesson.classification} ·{' '}
      {lesson.createdAt.slice(0, 10)} · {lesson.evidenceCount} evidence
      {lesson.mergedFromCount > 0 && ` · ${lesson.mergedFromCount} merged in`}
    </span>
  );
}

function Snippet({ text }: { text: string }) {
  return (
    <p className="snippet">
      {snippetParts(text).map((part, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: parts of one snippet, in order
        part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </p>
  );
}

/** A lesson as the library shows it: its fields (from its engagement's replica), evidence resolved, similar lessons. */
function LessonDetail({
  lessonRef,
  onClose,
  onMerged,
  reload,
}: {
  lessonRef: string;
  onClose: () => void;
  onMerged: (survivorRef: string) => void;
  reload: () => void;
}) {
  const { api } = useOutpost();
  const load = useCallback(() => api.call('lessons.get', { refs: [lessonRef] }), [api, lessonRef]);
  const got = useApiQuery(load, ['engagements.changed', 'notes.changed']);
  const summary = got.data?.lessons[0];
  const [engagementId = '', lessonId = ''] = lessonRef.split(':');
  const replica = useReplica(docIdFor('engagement', engagementId));
  const read = useCallback(
    (doc: import('yjs').Doc) => readLessons(doc, engagementId).lessons.find((l) => l.id === lessonId) ?? null,
    [engagementId, lessonId],
  );
  const full = useDocValue(replica?.doc ?? null, read);
  const [similar, setSimilar] = useState<SimilarPair[] | null>(null);
  const [similarError, setSimilarError] = useState<string | null>(null);
  const [merging, setMerging] = useState<[LessonSummary, LessonSummary] | null>(null);
  const findSimilar = () => {
    setSimilarError(null);
    api.call('lessons.similar', { ref: lessonRef }).then(
      (r) => setSimilar(r.pairs),
      (e: unknown) => setSimilarError((e as Error).message),
    );
  };
  const headingId = useId();
  return (
    <section className="lesson-detail" aria-labelledby={headingId}>
      <div className="detail-head">
        <h3 id={headingId}>{summary?.title ?? full?.title ?? 'Lesson'}</h3>
        <button type="button" className="small-button" onClick={onClose} aria-label="Close the lesson">
          Close
        </button>
      </div>
      {got.error && (
        <p role="alert" className="error">
          {got.error}
        </p>
      )}
      {got.data?.missing.length ? <p className="muted">This lesson is no longer in the library.</p> : null}
      {summary && <SummaryMeta lesson={summary} />}
      {summary?.mergedInto && <p className="banner">Merged into another lesson; the library shows that one.</p>}
      <p>
        <a href={lessonHref(engagementId, lessonId)}>Edit in its engagement</a>
      </p>
      {summary && (
        <dl className="lesson-fields">
          {summary.appliesTo.length > 0 && (
            <>
              <dt>Applies to</dt>
              <dd>{summary.appliesTo.map(appliesToLabel).join(', ')}</dd>
            </>
          )}
          {summary.industry && (
            <>
              <dt>Industry</dt>
              <dd>{summary.industry}</dd>
            </>
          )}
          {summary.tags.length > 0 && (
            <>
              <dt>Tags</dt>
              <dd>{summary.tags.join(', ')}</dd>
            </>
          )}
          {full &&
            LESSON_TEXT_FIELDS.filter((f) => full[f].trim()).map((f) => (
              <div key={f} className="text-field">
                <dt>{LESSON_FIELD_LABELS[f]}</dt>
                <dd>{full[f]}</dd>
              </div>
            ))}
        </dl>
      )}
      {summary && <EvidenceList evidence={summary.evidence} />}
      <div className="similar-to">
        <button type="button" onClick={findSimilar}>
          Similar to this
        </button>
        {similarError && (
          <p role="alert" className="error">
            {similarError}
          </p>
        )}
        {similar && similar.length === 0 && <p className="muted small">No similar lesson in the library.</p>}
        {similar && similar.length > 0 && summary && (
          <ul aria-label="Similar to this lesson">
            {similar.map((pair) => {
              const other = pair.a.ref === lessonRef ? pair.b : pair.a;
              return (
                <li key={other.ref}>
                  <span>{other.title}</span>{' '}
                  <span className="muted small">
                    {other.engagementCodename} · {Math.round(pair.score * 100)} % similar
                  </span>{' '}
                  <button type="button" className="small-button" onClick={() => setMerging([summary, other])}>
                    Merge…
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {merging && (
        <MergeDialog
          lessons={merging}
          onClose={() => setMerging(null)}
          onMerged={(survivor) => {
            setMerging(null);
            setSimilar(null);
            reload();
            onMerged(survivor.ref);
          }}
        />
      )}
    </section>
  );
}

const EVIDENCE_KIND_LABELS = { note: 'Note', system: 'System', integration: 'Integration', card: 'Card' } as const;

/** Evidence as the library resolves it: links when they can be shown; withheld and missing ones say so, with the stored label. */
export function EvidenceList({ evidence }: { evidence: ResolvedEvidence[] }) {
  if (!evidence.length) return <p className="muted small">No evidence linked.</p>;
  return (
    <ul className="evidence-list" aria-label="Evidence">
      {evidence.map((item) => (
        <li key={`${item.kind}:${item.engagementId}:${item.id}`} className={`evidence-${item.state}`}>
          <span className="badge">{EVIDENCE_KIND_LABELS[item.kind]}</span>
          {item.state === 'ok' && item.href ? <a href={item.href}>{item.label}</a> : <span>{item.label}</span>}
          {item.state === 'withheld' && <span className="warn-chip">withheld (above your classification, or not shared with you)</span>}
          {item.state === 'missing' && <span className="warn-chip">missing (deleted, or not in this notebook)</span>}
        </li>
      ))}
    </ul>
  );
}

/** The whole library's likely duplicates, most similar first, each with Merge…. */
function SimilarLessons() {
  const { api } = useOutpost();
  const load = useCallback(async () => (await api.call('lessons.similar', {})).pairs, [api]);
  const query = useApiQuery(load, ['engagements.changed']);
  const [merging, setMerging] = useState<[LessonSummary, LessonSummary] | null>(null);
  const [merged, setMerged] = useState<LessonSummary | null>(null);
  return (
    <section className="similar" aria-label="Similar lessons">
      <p className="muted">
        Lessons that read alike (trigram similarity of title and recommendation), likely the same lesson written by two engineers. Merging
        keeps one and every evidence link of both.
      </p>
      {merged && (
        <p role="status" className="banner">
          Merged into “{merged.title}”: it now has {merged.evidenceCount} evidence {merged.evidenceCount === 1 ? 'link' : 'links'}.
        </p>
      )}
      {query.error && (
        <p role="alert" className="error">
          {query.error}
        </p>
      )}
      {!query.data && !query.error && <p className="muted">Comparing lessons…</p>}
      {query.data?.length === 0 && <p className="muted">No similar lessons: nothing to merge.</p>}
      {query.data && query.data.length > 0 && (
        <ul className="pair-list" aria-label="Similar pairs">
          {query.data.map((pair) => (
            <li key={`${pair.a.ref}|${pair.b.ref}`} aria-label={`${pair.a.title} and ${pair.b.title}`}>
              <span className="score">{Math.round(pair.score * 100)} %</span>
              <div className="pair-side">
                <strong>{pair.a.title}</strong>
                <SummaryMeta lesson={pair.a} />
              </div>
              <div className="pair-side">
                <strong>{pair.b.title}</strong>
                <SummaryMeta lesson={pair.b} />
              </div>
              <button type="button" onClick={() => setMerging([pair.a, pair.b])}>
                Merge…
              </button>
            </li>
          ))}
        </ul>
      )}
      {merging && (
        <MergeDialog
          lessons={merging}
          onClose={() => setMerging(null)}
          onMerged={(survivor) => {
            setMerging(null);
            setMerged(survivor);
            query.reload();
          }}
        />
      )}
    </section>
  );
}

/** Choose which lesson survives a merge; shows what is kept before anything changes. */
function MergeDialog({
  lessons,
  onClose,
  onMerged,
}: {
  lessons: [LessonSummary, LessonSummary];
  onClose: () => void;
  onMerged: (survivor: LessonSummary) => void;
}) {
  const { api } = useOutpost();
  const { ref } = useModalDialog();
  const [survivorRef, setSurvivorRef] = useState(lessons[0].ref);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const survivor = lessons.find((l) => l.ref === survivorRef) ?? lessons[0];
  const absorbed = lessons.filter((l) => l.ref !== survivor.ref);
  const tags = [...new Set(lessons.flatMap((l) => l.tags))];
  const appliesTo = [...new Set(lessons.flatMap((l) => l.appliesTo))];
  const merge = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    api.call('lessons.merge', { survivor: survivor.ref, absorbed: absorbed.map((l) => l.ref) }).then(
      (result) => onMerged(result),
      (e: unknown) => {
        setBusy(false);
        setErrors(errorLines(e));
      },
    );
  };
  return (
    <dialog ref={ref} className="dialog merge-dialog" aria-label="Merge lessons" onClose={onClose}>
      <form onSubmit={merge}>
        <h2>Merge lessons</h2>
        <fieldset>
          <legend>Keep which lesson?</legend>
          {lessons.map((l) => (
            <label key={l.ref} className="radio-option">
              <input type="radio" name="survivor" value={l.ref} checked={l.ref === survivor.ref} onChange={() => setSurvivorRef(l.ref)} />
              <span>
                <strong>{l.title}</strong>
                <br />
                <SummaryMeta lesson={l} />
              </span>
            </label>
          ))}
        </fieldset>
        <section aria-label="What is kept" className="merge-summary">
          <h3>What is kept</h3>
          <ul>
            <li>
              The title and texts of “{survivor.title}” ({survivor.engagementCodename}); edit them afterwards to fold in what the other
              says.
            </li>
            <li>
              Every evidence link of both: up to {lessons.reduce((n, l) => n + l.evidenceCount, 0)} (a link both have is kept once), plus
              the note or card the other was turned from.
            </li>
            {tags.length > 0 && <li>Tags: {tags.join(', ')}</li>}
            {appliesTo.length > 0 && <li>Applies to: {appliesTo.map(appliesToLabel).join(', ')}</li>}
            <li>
              {absorbed.map((l) => `“${l.title}”`).join(', ')} stays in its engagement, marked “Merged into”, and leaves the library;
              playbooks that hold it show the kept lesson instead.
            </li>
          </ul>
        </section>
        <FormErrors title="The lessons were not merged:" errors={errors} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Merging…' : 'Merge'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function PlaybookList() {
  const { api } = useOutpost();
  const load = useCallback(async () => (await api.call('playbooks.list', {})).playbooks, [api]);
  const query = useApiQuery(load, ['playbooks.changed']);
  const create = (title: string) =>
    api.call('playbooks.create', { title }).then(
      (playbook) => {
        navigate(libraryHref('playbooks', playbook.id));
        return null;
      },
      (e: unknown) => `The playbook was not created: ${errorLines(e).join('; ')}`,
    );
  return (
    <section className="playbooks" aria-label="Playbooks">
      <QuickAddForm
        label="New playbook"
        field="Playbook title"
        button="Create playbook"
        maxLength={200}
        placeholder="e.g. Warehouse deployments: what we learned"
        onAdd={create}
      />
      {query.error && (
        <p role="alert" className="error">
          {query.error}
        </p>
      )}
      {query.data?.length === 0 && (
        <p className="muted">No playbook yet. A playbook groups curated lessons into chapters: the thing to hand a new hire.</p>
      )}
      {query.data && query.data.length > 0 && (
        <ul className="playbook-list" aria-label="Playbooks">
          {query.data.map((p) => (
            <li key={p.id}>
              <a href={libraryHref('playbooks', p.id)}>{p.title}</a>
              <span className="muted small">
                {p.chapters} {p.chapters === 1 ? 'chapter' : 'chapters'}, {p.lessons} {p.lessons === 1 ? 'lesson' : 'lessons'} · updated{' '}
                {new Date(p.updatedAt).toLocaleDateString()}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
