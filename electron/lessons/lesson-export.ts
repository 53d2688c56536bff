import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type * as Y from 'yjs';
import { isAtOrBelow, levelRank } from '../../shared/classification';
import { readEngagement } from '../../shared/engagements/doc';
import { OutpostError } from '../../shared/errors';
import { docIdFor } from '../../shared/ids';
import { readLessons } from '../../shared/lessons/doc';
import { type ExportPreview, type ExportRequest, type ExportSelection, exportRequestSchema } from '../../shared/lessons/export-calls';
import {
  type ExportChapter,
  type ExportDocument,
  type ExportFormat,
  type ExportLesson,
  exportBaseName,
  exportFileName,
  type PreparedExport,
  prepareExport,
} from '../../shared/lessons/export-format';
import { type Lesson, lessonRef, parseLessonRef } from '../../shared/lessons/model';
import { readPlaybook } from '../../shared/lessons/playbook';
import {
  applyOverrides,
  buildDictionary,
  type DictionaryEntry,
  exportRefusal,
  type RedactionOverride,
  type RedactionSource,
  redactionOverridesSchema,
  termKey,
} from '../../shared/lessons/redaction';
import { readMap } from '../../shared/map/doc';
import { readCards, readGlossary, readStakeholders } from '../../shared/stakeholders/doc';
import { parseOrThrow } from '../../shared/validation';
import type { DocStore } from '../docs/doc-store';
import type { Database } from '../notebook/database';
import type { PdfPrinter, PrintJob } from '../stakeholders/pdf-printer';

const OVERRIDES_KEY = 'lesson_redaction_overrides';
const MAX_MERGE_HOPS = 50;

interface EngagementData {
  id: string;
  ceiling: string;
  codename: string;
  lessons: Map<string, Lesson>;
  doc: Y.Doc;
  /** `kind:id` of the cards, systems and integrations in the doc (read once, when evidence needs it). */
  targets?: Set<string>;
}

interface Collected {
  title: string;
  intro: string;
  chapters: Array<{ title: string; intro: string; lessons: Lesson[] }>;
  missing: number;
  engagements: Map<string, EngagementData>;
}

export interface ExportOutcome {
  preview: ExportPreview;
  prepared: PreparedExport;
}

function refuseEmpty(preview: ExportPreview): void {
  if (preview.lessons > 0) return;
  throw new OutpostError(
    'invalid_request',
    preview.leftOut.length
      ? `Nothing to export: every chosen lesson is marked above ${preview.cap}`
      : 'Nothing to export: no lesson is left in this selection',
  );
}

/** The refusal while the final scan still finds identifiers (shared with the CLI, which prints it itself). */
export const refusal = exportRefusal;

/**
 * Sanitized sharing of lessons: reads the lessons from the engagement docs (through the DocStore,
 * not the library projection), applies the classification cap, builds the redaction dictionary of
 * every engagement involved plus the notebook's overrides, and renders Markdown / HTML / PDF.
 */
export class LessonExportService {
  constructor(
    private readonly db: Database,
    private readonly docs: DocStore,
    private readonly levels: () => readonly string[],
    private readonly printer: () => PdfPrinter,
  ) {}

  // ---- Overrides (notebook-wide, local to this notebook) -------------------------------------

  async overrides(): Promise<RedactionOverride[]> {
    const result = await this.db.query<{ value: unknown }>('SELECT value FROM notebook_meta WHERE key = $1', [OVERRIDES_KEY]);
    const parsed = redactionOverridesSchema.safeParse(result.rows[0]?.value ?? []);
    return parsed.success ? parsed.data : [];
  }

  /** Replaces the overrides; one entry per term (the last given wins). */
  async setOverrides(overrides: RedactionOverride[]): Promise<RedactionOverride[]> {
    const parsed = parseOrThrow(redactionOverridesSchema, overrides, 'redaction overrides');
    const unique = [...new Map(parsed.map((o) => [termKey(o.term), o])).values()];
    await this.db.query(`INSERT INTO notebook_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [
      OVERRIDES_KEY,
      JSON.stringify(unique),
    ]);
    return unique;
  }

  /** Adds (or changes) overrides, keeping the others. */
  async addOverrides(added: RedactionOverride[]): Promise<RedactionOverride[]> {
    const current = await this.overrides();
    return this.setOverrides([...current, ...added]);
  }

  // ---- Dictionary ------------------------------------------------------------------------------

  async dictionary(selection: ExportSelection): Promise<{ entries: DictionaryEntry[]; overrides: RedactionOverride[] }> {
    const collected = await this.collect(selection);
    const overrides = await this.overrides();
    return { entries: applyOverrides(await this.autoDictionary(collected), overrides), overrides };
  }

  // ---- Export ------------------------------------------------------------------------------------

  /** Everything the export would hold, and the final scan over it (nothing is written). */
  async prepare(input: ExportRequest): Promise<ExportOutcome> {
    const request = parseOrThrow(exportRequestSchema, input, 'export request');
    const levels = this.levels();
    const cap = request.maxClassification ?? levels[0] ?? 'UNCLASSIFIED';
    if (levelRank(levels, cap) < 0) {
      throw new OutpostError('invalid_request', `"${cap}" is not one of this notebook's classification levels (${levels.join(', ')})`);
    }
    const collected = await this.collect(request.selection);
    const leftOut: ExportPreview['leftOut'] = [];
    const chapters: ExportChapter[] = [];
    let withheldEvidence = 0;
    let marking = levels[0] ?? cap;
    const noteLevels = await this.noteLevels(collected);
    for (const chapter of collected.chapters) {
      const lessons: ExportLesson[] = [];
      for (const lesson of chapter.lessons) {
        const engagement = collected.engagements.get(lesson.engagementId) as EngagementData;
        const effective = lesson.classification || engagement.ceiling;
        const ref = lessonRef(lesson.engagementId, lesson.id);
        if (!isAtOrBelow(levels, effective, cap)) {
          leftOut.push({ ref, title: lesson.title, classification: effective });
          continue;
        }
        if (levelRank(levels, effective) > levelRank(levels, marking)) marking = effective;
        const evidence = await Promise.all(
          lesson.evidence.map(async (e) => {
            const visible = await this.evidenceVisible(e, cap, collected, noteLevels);
            if (!visible) withheldEvidence += 1;
            return { kind: e.kind, label: visible ? e.label : null };
          }),
        );
        lessons.push({
          ref,
          title: lesson.title,
          skillArea: lesson.skillArea,
          tags: lesson.tags,
          appliesTo: lesson.appliesTo,
          industry: lesson.industry,
          classification: effective,
          status: lesson.status,
          texts: {
            context: lesson.context,
            whatHappened: lesson.whatHappened,
            rootCause: lesson.rootCause,
            whatWorked: lesson.whatWorked,
            whatDidNot: lesson.whatDidNot,
            recommendation: lesson.recommendation,
          },
          evidence,
        });
      }
      chapters.push({ title: chapter.title, intro: chapter.intro, lessons });
    }
    const document: ExportDocument = {
      title: collected.title,
      intro: collected.intro,
      cap,
      marking,
      date: request.date ?? new Date().toISOString().slice(0, 10),
      sanitized: request.sanitize,
      chapters: chapters.filter((c) => c.lessons.length || c.intro.trim() || c.title),
    };
    const dictionary = request.sanitize ? applyOverrides(await this.autoDictionary(collected), await this.overrides()) : [];
    const prepared = prepareExport(document, { format: request.format, sanitize: request.sanitize, dictionary, allow: request.allow });
    const lessonCount = prepared.document.chapters.reduce((n, c) => n + c.lessons.length, 0);
    return {
      prepared,
      preview: {
        fileName: exportFileName(prepared.document, request.format),
        title: prepared.document.title,
        cap,
        sanitized: request.sanitize,
        chapters: prepared.document.chapters.length,
        lessons: lessonCount,
        leftOut,
        missing: collected.missing,
        withheldEvidence,
        replacements: prepared.replacements,
        findings: prepared.findings,
        files: prepared.files.map((f) => (request.format === 'md' ? `${exportBaseName(prepared.document)}/${f.path}` : f.path)),
      },
    };
  }

  /**
   * The export as one file's bytes (a .zip of the Markdown folder, HTML, or PDF); refuses while
   * findings remain. A PDF printer that can start ahead (the system Chromium) starts while the
   * export is collected, sanitized and scanned, and is stopped if the export is refused.
   */
  async produce(input: ExportRequest): Promise<{ fileName: string; bytes: Uint8Array; outcome: ExportOutcome }> {
    const format = parseOrThrow(exportRequestSchema, input, 'export request').format;
    const job = format === 'pdf' ? this.printer().start?.() : undefined;
    try {
      const outcome = await this.prepare(input);
      const { prepared, preview } = outcome;
      refuseEmpty(preview);
      if (prepared.findings.length) throw refusal(prepared.findings);
      const bytes = await this.render(prepared, format, job);
      return { fileName: preview.fileName, bytes, outcome };
    } finally {
      await job?.cancel();
    }
  }

  /**
   * Writes the export to `target` (the CLI): the Markdown folder itself (built in a temporary
   * folder beside it, then renamed into place; an existing non-empty folder is refused), or one
   * HTML / PDF file written atomically. Refuses, writing nothing, while findings remain.
   */
  async writeTo(target: string, input: ExportRequest, prepared?: ExportOutcome): Promise<ExportOutcome> {
    const request = parseOrThrow(exportRequestSchema, input, 'export request');
    const absolute = path.resolve(target);
    const existing = fs.statSync(absolute, { throwIfNoEntry: false });
    if (request.format === 'md') {
      if (existing && !existing.isDirectory()) throw new OutpostError('conflict', `${absolute} exists and is not a folder`);
      if (existing && fs.readdirSync(absolute).length) {
        throw new OutpostError('conflict', `${absolute} is not empty; give a new or empty folder for the Markdown export`);
      }
    } else if (existing?.isDirectory()) {
      throw new OutpostError('conflict', `${absolute} is a folder; give a file name for the ${request.format.toUpperCase()} export`);
    }
    const parent = path.dirname(absolute);
    if (!fs.existsSync(parent)) throw new OutpostError('not_found', `The folder ${parent} does not exist`);
    const outcome = prepared ?? (await this.prepare(request));
    refuseEmpty(outcome.preview);
    if (outcome.prepared.findings.length) throw refusal(outcome.prepared.findings);
    if (request.format === 'md') {
      const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(absolute)}.tmp-`));
      try {
        for (const file of outcome.prepared.files) {
          const fd = fs.openSync(path.join(tmp, file.path), 'w', 0o644);
          try {
            fs.writeFileSync(fd, file.content);
            fs.fsyncSync(fd);
          } finally {
            fs.closeSync(fd);
          }
        }
        fs.chmodSync(tmp, 0o755);
        if (existing) fs.rmdirSync(absolute);
        fs.renameSync(tmp, absolute);
      } catch (error) {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw error;
      }
    } else {
      const bytes = await this.render(outcome.prepared, request.format);
      const tmp = path.join(parent, `.${path.basename(absolute)}.${process.pid}.tmp`);
      const fd = fs.openSync(tmp, 'w', 0o644);
      try {
        fs.writeFileSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, absolute);
    }
    return outcome;
  }

  /** The file's bytes; a PDF is printed by `job` when one was started ahead, else by a new print. */
  private async render(prepared: PreparedExport, format: ExportFormat, job?: PrintJob): Promise<Uint8Array> {
    if (format === 'md') {
      const base = exportBaseName(prepared.document);
      const encoder = new TextEncoder();
      return zipSync(Object.fromEntries(prepared.files.map((f) => [`${base}/${f.path}`, encoder.encode(f.content)])), { level: 6 });
    }
    const html = prepared.files[0]?.content ?? '';
    return format === 'pdf' ? (job ?? this.printer()).print(html) : new TextEncoder().encode(html);
  }

  // ---- Reading ------------------------------------------------------------------------------------

  private async engagement(collected: Map<string, EngagementData>, id: string): Promise<EngagementData | null> {
    const known = collected.get(id);
    if (known) return known;
    const docId = docIdFor('engagement', id);
    if (!(await this.docs.exists(docId))) return null;
    const doc = await this.docs.open(docId);
    const { engagement } = readEngagement(doc);
    const data: EngagementData = {
      id,
      ceiling: engagement.ceiling,
      codename: engagement.codename,
      lessons: new Map(readLessons(doc, id).lessons.map((l) => [l.id, l])),
      doc,
    };
    collected.set(id, data);
    return data;
  }

  /** A ref's lesson, following merges to the surviving lesson; null when it is gone. */
  private async resolve(engagements: Map<string, EngagementData>, ref: string): Promise<Lesson | null> {
    let current = ref;
    const seen = new Set<string>();
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
      if (seen.has(current)) return null;
      seen.add(current);
      const { engagementId, lessonId } = parseLessonRef(current);
      const engagement = await this.engagement(engagements, engagementId);
      const lesson = engagement?.lessons.get(lessonId);
      if (!lesson) return null;
      if (!lesson.mergedInto) return lesson;
      current = lesson.mergedInto;
    }
    return null;
  }

  private async collect(selection: ExportSelection): Promise<Collected> {
    const engagements = new Map<string, EngagementData>();
    const seen = new Set<string>();
    let missing = 0;
    const lessonsOf = async (refs: readonly string[]) => {
      const out: Lesson[] = [];
      for (const ref of refs) {
        const lesson = await this.resolve(engagements, ref);
        if (!lesson) {
          missing += 1;
          continue;
        }
        const key = lessonRef(lesson.engagementId, lesson.id);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(lesson);
      }
      return out;
    };
    if ('playbookId' in selection) {
      const docId = docIdFor('playbook', selection.playbookId);
      if (!(await this.docs.exists(docId))) throw new OutpostError('not_found', 'No such playbook in this notebook');
      const playbook = readPlaybook(await this.docs.open(docId));
      const chapters: Collected['chapters'] = [];
      for (const chapter of playbook.chapters) {
        chapters.push({ title: chapter.title, intro: chapter.intro, lessons: await lessonsOf(chapter.lessons) });
      }
      return { title: playbook.title, intro: playbook.intro, chapters, missing, engagements };
    }
    const lessons = await lessonsOf(selection.refs);
    if (!lessons.length) throw new OutpostError('not_found', 'None of the chosen lessons is in this notebook');
    return { title: 'Lessons learned', intro: '', chapters: [{ title: '', intro: '', lessons }], missing, engagements };
  }

  /** Every engagement involved (the lessons', and their evidence's) as dictionary sources. */
  private async autoDictionary(collected: Collected): Promise<DictionaryEntry[]> {
    for (const chapter of collected.chapters)
      for (const lesson of chapter.lessons) for (const e of lesson.evidence) await this.engagement(collected.engagements, e.engagementId);
    const sources: RedactionSource[] = [];
    for (const data of collected.engagements.values()) {
      const { engagement } = readEngagement(data.doc);
      const { map } = readMap(data.doc);
      sources.push({
        id: data.id,
        client: engagement.client,
        site: engagement.site,
        codename: engagement.codename,
        team: engagement.team.map((m) => ({ id: m.id, name: m.name })),
        stakeholders: readStakeholders(data.doc).stakeholders.map((s) => ({ id: s.id, name: s.name, organisation: s.organisation })),
        systems: map.systems.map((s) => ({ id: s.id, name: s.name, kind: s.kind, vendor: s.vendor, tags: s.tags })),
        zones: map.zones.map((z) => ({ id: z.id, name: z.name })),
        glossary: readGlossary(data.doc).entries.map((g) => ({ id: g.id, term: g.term, kind: g.kind, aliases: g.aliases })),
      });
    }
    return buildDictionary(sources);
  }

  /** The markings of the notes evidence points at (from the notes projection); absent notes are not in the map. */
  private async noteLevels(collected: Collected): Promise<Map<string, string>> {
    const ids = new Set<string>();
    for (const chapter of collected.chapters)
      for (const lesson of chapter.lessons) for (const e of lesson.evidence) if (e.kind === 'note') ids.add(e.id);
    if (!ids.size) return new Map();
    const result = await this.db.query<{ id: string; classification: string }>(
      'SELECT id::text AS id, classification FROM notes WHERE id = ANY($1::uuid[])',
      [[...ids]],
    );
    return new Map(result.rows.map((row) => [row.id, row.classification]));
  }

  /** An evidence link is shown (with its label) only when what it points at is still there and within the cap. */
  private async evidenceVisible(
    evidence: Lesson['evidence'][number],
    cap: string,
    collected: Collected,
    noteLevels: Map<string, string>,
  ): Promise<boolean> {
    const levels = this.levels();
    if (evidence.kind === 'note') {
      const level = noteLevels.get(evidence.id);
      return level !== undefined && isAtOrBelow(levels, level, cap);
    }
    const engagement = await this.engagement(collected.engagements, evidence.engagementId);
    if (!engagement || !isAtOrBelow(levels, engagement.ceiling, cap)) return false;
    if (!engagement.targets) {
      const { map } = readMap(engagement.doc);
      engagement.targets = new Set([
        ...readCards(engagement.doc).cards.map((c) => `card:${c.id}`),
        ...map.systems.map((x) => `system:${x.id}`),
        ...map.integrations.map((x) => `integration:${x.id}`),
      ]);
    }
    return engagement.targets.has(`${evidence.kind}:${evidence.id}`);
  }
}
