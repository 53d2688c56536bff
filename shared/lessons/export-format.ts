import { escapeHtml, escapeMarkdown } from '../escape';
import { PRINT_PAGE_CSS, paragraphs } from '../stakeholders/brief';
import { type EvidenceKind, LESSON_FIELD_LABELS, LESSON_TEXT_FIELDS } from './model';
import {
  compileDictionary,
  type DictionaryEntry,
  type Finding,
  type Redactor,
  type Replacement,
  redact,
  scanForIdentifiers,
  tally,
} from './redaction';

/**
 * The sanitized export, as pure functions: an export document (what is shared, already chosen
 * and capped), sanitized field by field with the redaction dictionary, rendered as a Markdown
 * folder (index.md + one file per lesson with YAML front matter) or one self-contained HTML file
 * (printed to PDF on the main side), and the text the final scan reads.
 */

export const EXPORT_FORMATS = ['md', 'html', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportEvidence {
  kind: EvidenceKind;
  /** null: withheld (above the cap or no longer there): shown without its label, never dereferenced. */
  label: string | null;
}

export interface ExportLesson {
  ref: string;
  title: string;
  skillArea: string;
  tags: string[];
  appliesTo: string[];
  industry: string;
  /** The effective marking (own, else the engagement's ceiling). */
  classification: string;
  status: string;
  texts: Record<(typeof LESSON_TEXT_FIELDS)[number], string>;
  evidence: ExportEvidence[];
}

export interface ExportChapter {
  title: string;
  intro: string;
  lessons: ExportLesson[];
}

export interface ExportDocument {
  title: string;
  intro: string;
  /** The cap the export was made under (the highest marking it can hold). */
  cap: string;
  /** The highest marking actually in it (for the banner); the lowest level when empty. */
  marking: string;
  date: string;
  sanitized: boolean;
  chapters: ExportChapter[];
}

export interface ExportFile {
  /** Path inside the export (the Markdown folder's relative paths; the file name for HTML). */
  path: string;
  content: string;
}

// ---- Sanitizing -----------------------------------------------------------------------------

/** Every text of the document passed through `redact`: titles, texts, tags, industry, applies-to, evidence labels, chapters. */
export function sanitizeDocument(
  document: ExportDocument,
  dictionary: readonly DictionaryEntry[] | Redactor,
): { document: ExportDocument; replacements: Replacement[] } {
  const redactor = Array.isArray(dictionary) ? compileDictionary(dictionary) : (dictionary as Redactor);
  const counts = new Map<string, Replacement>();
  const r = (text: string) => {
    if (!text) return text;
    const result = redact(text, redactor);
    tally(counts, result.replacements);
    return result.text;
  };
  const lesson = (l: ExportLesson): ExportLesson => ({
    ...l,
    title: r(l.title),
    skillArea: r(l.skillArea),
    tags: l.tags.map(r),
    appliesTo: l.appliesTo.map(r),
    industry: r(l.industry),
    texts: Object.fromEntries(LESSON_TEXT_FIELDS.map((f) => [f, r(l.texts[f])])) as ExportLesson['texts'],
    evidence: l.evidence.map((e) => ({ kind: e.kind, label: e.label === null ? null : r(e.label) })),
  });
  const sanitized: ExportDocument = {
    ...document,
    title: r(document.title),
    intro: r(document.intro),
    sanitized: true,
    chapters: document.chapters.map((c) => ({ title: r(c.title), intro: r(c.intro), lessons: c.lessons.map(lesson) })),
  };
  return { document: sanitized, replacements: [...counts.values()].sort((a, b) => b.count - a.count || a.term.localeCompare(b.term)) };
}

// ---- Names ---------------------------------------------------------------------------------------

/** A file-name slug: ASCII letters and digits, diacritics dropped ("Łódź Plant" → "lodz-plant"). */
export function slugify(text: string, fallback = 'lesson'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[łŁ]/g, 'l')
    .replace(/[øØ]/g, 'o')
    .replace(/[ßẞ]/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** Unique file names for every lesson, in document order ("title.md", "title-2.md"). */
export function lessonFileNames(document: ExportDocument): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>(['index']);
  for (const chapter of document.chapters)
    for (const lesson of chapter.lessons) {
      const base = slugify(lesson.title);
      let name = base;
      for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
      used.add(name);
      names.set(lesson.ref, `${name}.md`);
    }
  return names;
}

export function exportBaseName(document: ExportDocument): string {
  return `${slugify(document.title, 'lessons')}-${document.date.slice(0, 10)}`;
}

export function exportFileName(document: ExportDocument, format: ExportFormat): string {
  return format === 'md' ? `${exportBaseName(document)}.zip` : `${exportBaseName(document)}.${format}`;
}

const EVIDENCE_LABELS: Record<EvidenceKind, string> = {
  note: 'Note',
  system: 'System',
  integration: 'Integration',
  card: 'Translation card',
};
const WITHHELD = 'withheld (above this export’s classification level, or no longer in the notebook)';

function formatDate(iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const lessonCount = (document: ExportDocument) => document.chapters.reduce((n, c) => n + c.lessons.length, 0);

// ---- Markdown folder -------------------------------------------------------------------------------

/** A YAML scalar: always double-quoted (JSON strings are valid YAML), so no value can break the front matter. */
const yamlString = (value: string) => JSON.stringify(value);
const yamlList = (values: string[]) => `[${values.map(yamlString).join(', ')}]`;

function mdParagraphs(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => escapeMarkdown(p.trim()).replace(/\n/g, '  \n'))
    .join('\n\n');
}

export function lessonToMarkdown(lesson: ExportLesson, chapterTitle: string): string {
  const m = escapeMarkdown;
  const lines = [
    '---',
    `title: ${yamlString(lesson.title)}`,
    `skill_area: ${yamlString(lesson.skillArea)}`,
    `tags: ${yamlList(lesson.tags)}`,
    `applies_to: ${yamlList(lesson.appliesTo)}`,
    `industry: ${yamlString(lesson.industry)}`,
    `classification: ${yamlString(lesson.classification)}`,
    `status: ${yamlString(lesson.status)}`,
    '---',
    '',
    `# ${m(lesson.title)}`,
    '',
    `*${m(lesson.skillArea)}*${lesson.industry ? ` · ${m(lesson.industry)}` : ''}${chapterTitle ? ` · ${m(chapterTitle)}` : ''} · [Back to the index](index.md)`,
    '',
  ];
  if (lesson.tags.length) lines.push(`Tags: ${lesson.tags.map(m).join(', ')}`, '');
  if (lesson.appliesTo.length) lines.push(`Applies to: ${lesson.appliesTo.map(m).join(', ')}`, '');
  for (const field of LESSON_TEXT_FIELDS) {
    const text = lesson.texts[field];
    if (text.trim()) lines.push(`## ${LESSON_FIELD_LABELS[field]}`, '', mdParagraphs(text), '');
  }
  if (lesson.evidence.length) {
    lines.push('## Evidence', '');
    for (const e of lesson.evidence) lines.push(`- ${EVIDENCE_LABELS[e.kind]}: ${e.label === null ? `*${WITHHELD}*` : m(e.label)}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The Markdown folder: index.md (the playbook's chapters, with links) and one file per lesson. */
export function documentToMarkdownFiles(document: ExportDocument): ExportFile[] {
  const m = escapeMarkdown;
  const names = lessonFileNames(document);
  const lines = [`# ${m(document.title)}`, ''];
  lines.push(
    `${lessonCount(document)} lesson${lessonCount(document) === 1 ? '' : 's'} · ${m(formatDate(document.date))} · up to ${m(document.cap)}${document.sanitized ? ' · sanitized (names replaced by pseudonyms)' : ''}`,
    '',
  );
  if (document.intro.trim()) lines.push(mdParagraphs(document.intro), '');
  const files: ExportFile[] = [];
  for (const chapter of document.chapters) {
    if (chapter.title) lines.push(`## ${m(chapter.title)}`, '');
    if (chapter.intro.trim()) lines.push(mdParagraphs(chapter.intro), '');
    for (const lesson of chapter.lessons) {
      const name = names.get(lesson.ref) as string;
      lines.push(`- [${m(lesson.title)}](${name}) — ${m(lesson.skillArea)}`);
      files.push({ path: name, content: lessonToMarkdown(lesson, chapter.title) });
    }
    lines.push('');
  }
  return [{ path: 'index.md', content: `${lines.join('\n').trimEnd()}\n` }, ...files];
}

// ---- HTML ------------------------------------------------------------------------------------------

const EXPORT_CSS = `${PRINT_PAGE_CSS}h1 { margin: 1mm 0 1mm; font-size: 20pt; line-height: 1.2; color: #1f4e79; overflow-wrap: anywhere; }
.meta { margin: 0; color: #3b4552; }
nav { background: #f3f6fa; border-left: 4px solid #1f4e79; padding: 3mm 4mm; margin-bottom: 6mm; }
nav h2 { margin-top: 0; }
nav ol { margin: 0; padding-left: 6mm; } nav li { margin: .5mm 0; overflow-wrap: anywhere; }
nav a { color: #1f4e79; text-decoration: none; }
h2 { font-size: 14pt; margin: 0 0 2mm; color: #1f4e79; overflow-wrap: anywhere; }
.chapter { break-before: page; } .chapter:first-of-type { break-before: auto; }
.lesson { margin: 0 0 6mm; padding-bottom: 3mm; border-bottom: 1px solid #d9dee5; }
.lesson h3 { font-size: 12pt; margin: 3mm 0 1mm; color: #1d232b; overflow-wrap: anywhere; }
.facts { margin: 0 0 2mm; color: #55606e; font-size: 9pt; }
h4 { font-size: 9pt; text-transform: uppercase; letter-spacing: .05em; color: #55606e; margin: 2.5mm 0 .5mm; }
p { margin: 0 0 1.5mm; overflow-wrap: anywhere; }
.evidence { margin: 0; padding-left: 5mm; } .evidence li { overflow-wrap: anywhere; }
.withheld { color: #7a1f1f; font-style: italic; }
footer { margin-top: 6mm; padding-top: 2mm; border-top: 1px solid #d9dee5; font-size: 8.5pt; color: #55606e; display: flex; justify-content: space-between; }
@media screen { body { padding: 10mm 6mm; } }
`;

/**
 * Added to the HTML that is only printed to PDF: on screen the document is not laid out at all.
 * Chromium lays a page out for the screen when it loads it and again, paginated, when it prints;
 * for a large export the screen layout (and the one after printing, back to the screen) costs as
 * much as the print layout and nobody sees it. The printed pages are the same.
 */
const PRINT_ONLY_CSS = '@media not print { body { display: none; } }\n';

/**
 * One self-contained, printable HTML file (no script, no remote resource; the CSP forbids both).
 * `forPrinter`: the copy handed to the PDF printer, which shows nothing on screen (see PRINT_ONLY_CSS).
 */
export function documentToHtml(document: ExportDocument, { forPrinter = false }: { forPrinter?: boolean } = {}): string {
  const e = escapeHtml;
  const names = lessonFileNames(document);
  const anchor = (ref: string) => `lesson-${(names.get(ref) ?? 'x.md').replace(/\.md$/, '')}`;
  const count = lessonCount(document);
  const toc = document.chapters
    .map(
      (c) =>
        `<li>${c.title ? e(c.title) : 'Lessons'}<ol>${c.lessons.map((l) => `<li><a href="#${e(anchor(l.ref))}">${e(l.title)}</a></li>`).join('')}</ol></li>`,
    )
    .join('');
  const chapters = document.chapters
    .map((c) => {
      const lessons = c.lessons
        .map((l) => {
          const facts = [l.skillArea, l.industry, l.status === 'reviewed' ? 'Reviewed' : 'Draft', l.classification].filter(Boolean).map(e);
          const meta = [
            l.tags.length ? `Tags: ${l.tags.map(e).join(', ')}` : '',
            l.appliesTo.length ? `Applies to: ${l.appliesTo.map(e).join(', ')}` : '',
          ].filter(Boolean);
          const texts = LESSON_TEXT_FIELDS.filter((f) => l.texts[f].trim())
            .map((f) => `<h4>${e(LESSON_FIELD_LABELS[f])}</h4>${paragraphs(l.texts[f])}`)
            .join('');
          const evidence = l.evidence.length
            ? `<h4>Evidence</h4><ul class="evidence">${l.evidence
                .map(
                  (x) =>
                    `<li>${e(EVIDENCE_LABELS[x.kind])}: ${x.label === null ? `<span class="withheld">${e(WITHHELD)}</span>` : e(x.label)}</li>`,
                )
                .join('')}</ul>`
            : '';
          return `<article class="lesson" id="${e(anchor(l.ref))}"><h3>${e(l.title)}</h3><p class="facts">${facts.join(' · ')}${meta.length ? `<br>${meta.join(' · ')}` : ''}</p>${texts}${evidence}</article>`;
        })
        .join('\n');
      return `<section class="chapter">${c.title ? `<h2>${e(c.title)}</h2>` : ''}${c.intro.trim() ? paragraphs(c.intro) : ''}\n${lessons}</section>`;
    })
    .join('\n');
  const meta = [
    `${count} lesson${count === 1 ? '' : 's'}`,
    formatDate(document.date),
    `up to ${document.cap}`,
    document.sanitized ? 'sanitized: names replaced by pseudonyms' : '',
  ]
    .filter(Boolean)
    .map(e)
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(document.title)}</title>
<style>${EXPORT_CSS}${forPrinter ? PRINT_ONLY_CSS : ''}</style>
</head>
<body>
<div class="marking">${e(document.marking)}</div>
<header>
<h1>${e(document.title)}</h1>
<p class="meta">${meta}</p>
</header>
${document.intro.trim() ? `<section class="intro">${paragraphs(document.intro)}</section>` : ''}
<nav aria-label="Contents"><h2>Contents</h2><ol>${toc}</ol></nav>
${chapters}
<footer><span>${e(document.title)} · ${e(formatDate(document.date))}</span><span>${e(document.marking)}</span></footer>
</body>
</html>
`;
}

// ---- What the final scan reads -------------------------------------------------------------------

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The visible text of an HTML export: style dropped, tags removed, entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<head[\s\S]*?<\/head>/gi, (head) => head.replace(/<(?!\/?title)[^>]*>/gi, ' '))
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);
}

/** The text of a Markdown file as a reader sees it: backslash escapes and entities undone. */
export function markdownText(markdown: string): string {
  return markdown.replace(/\\([\\`*_{}[\]#|~!.\-+=)])/g, '$1').replace(/&(?:amp|lt|gt);/g, (m) => ENTITIES[m] ?? m);
}

/** Everything the final scan reads: each file's path and visible text. */
export function outputText(files: readonly ExportFile[], format: ExportFormat): string {
  return files.map((f) => `${f.path}\n${format === 'md' ? markdownText(f.content) : htmlText(f.content)}`).join('\n\n');
}

export function renderDocument(document: ExportDocument, format: ExportFormat): ExportFile[] {
  if (format === 'md') return documentToMarkdownFiles(document);
  return [{ path: `${exportBaseName(document)}.html`, content: documentToHtml(document, { forPrinter: format === 'pdf' }) }];
}

export interface PreparedExport {
  document: ExportDocument;
  files: ExportFile[];
  replacements: Replacement[];
  findings: Finding[];
}

/**
 * Sanitizes (when asked), renders, and runs the final scan over the whole output. The caller
 * refuses to write while `findings` is not empty. An unsanitized export (for the team's own use)
 * is not scanned: it holds the real names on purpose.
 */
export function prepareExport(
  document: ExportDocument,
  options: { format: ExportFormat; sanitize: boolean; dictionary: readonly DictionaryEntry[]; allow?: readonly string[] },
): PreparedExport {
  const redactor = compileDictionary(options.dictionary);
  const sanitized = options.sanitize ? sanitizeDocument(document, redactor) : { document, replacements: [] };
  const files = renderDocument(sanitized.document, options.format);
  const findings = options.sanitize ? scanForIdentifiers(outputText(files, options.format), redactor, { allow: options.allow ?? [] }) : [];
  return { document: sanitized.document, files, replacements: sanitized.replacements, findings };
}
