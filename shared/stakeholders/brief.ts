import { OutpostError } from '../errors';
import { escapeHtml, escapeMarkdown } from '../escape';
import { renderingFor } from './doc';
import { glossaryMatcher } from './glossary';
import {
  type Audience,
  type Card,
  type GlossaryEntry,
  KIND_AUDIENCE_LABELS,
  KIND_LABELS,
  type Rendering,
  SEVERITIES,
  SEVERITY_LABELS,
  type Stakeholder,
} from './model';

/** Everything a brief shows, already chosen: the document is a pure function of this. */
export interface Brief {
  title: string;
  /** Whom it is for: a name, or an audience kind ("Executives"). */
  audienceLabel: string;
  /** Their role and organisation, or the audience kind. */
  audienceLine: string;
  engagement: { codename: string; client: string; site: string; ceiling: string };
  date: string;
  preparedBy: string;
  items: Array<{ card: Card; rendering: Rendering }>;
  /** Glossary terms used in the items, with their meaning. */
  terms: GlossaryEntry[];
}

export interface BriefSelection {
  audience: Audience;
  /** Card ids in the order wanted; all cards with a rendering for the audience when omitted. */
  cardIds?: readonly string[] | undefined;
  date: string;
  preparedBy?: string | undefined;
}

export interface BriefSources {
  engagement: Brief['engagement'];
  stakeholders: readonly Stakeholder[];
  cards: readonly Card[];
  glossary: readonly GlossaryEntry[];
}

/**
 * Chooses what goes into a brief: for each card, the audience's own rendering (for a stakeholder,
 * else the one for their kind). Cards without one are returned as `omitted`. Most severe first.
 */
export function composeBrief(sources: BriefSources, selection: BriefSelection): { brief: Brief; omitted: Card[] } {
  const { audience } = selection;
  let audienceLabel: string;
  let audienceLine: string;
  if (audience.type === 'stakeholder') {
    const person = sources.stakeholders.find((s) => s.id === audience.id);
    if (!person) throw new OutpostError('not_found', 'This stakeholder is not in the engagement’s registry');
    audienceLabel = person.name;
    audienceLine = [person.role, person.organisation].filter(Boolean).join(', ') || KIND_LABELS[person.kind];
  } else {
    audienceLabel = KIND_AUDIENCE_LABELS[audience.kind];
    audienceLine = `${KIND_AUDIENCE_LABELS[audience.kind]} at ${sources.engagement.client}`;
  }
  let chosen: Card[];
  if (selection.cardIds) {
    chosen = selection.cardIds.map((id) => {
      const card = sources.cards.find((c) => c.id === id);
      if (!card) throw new OutpostError('not_found', `No translation card with id ${id} in this engagement`);
      return card;
    });
  } else chosen = [...sources.cards];
  const items: Brief['items'] = [];
  const omitted: Card[] = [];
  for (const card of chosen) {
    const rendering = renderingFor(card, audience, sources.stakeholders);
    if (rendering && (rendering.explanation.trim() || rendering.impact.trim() || rendering.ask.trim())) items.push({ card, rendering });
    else omitted.push(card);
  }
  if (!items.length) {
    throw new OutpostError(
      'invalid_request',
      `Nothing to brief: none of the ${selection.cardIds ? 'chosen ' : ''}cards has a rendering for ${audienceLabel}. Write one on the card first.`,
    );
  }
  const rank = (c: Card) => SEVERITIES.length - SEVERITIES.indexOf(c.severity);
  if (!selection.cardIds) items.sort((a, b) => rank(a.card) - rank(b.card));
  const matcher = glossaryMatcher(sources.glossary);
  const used = new Map<string, GlossaryEntry>();
  for (const { rendering } of items) {
    for (const m of matcher.find(`${rendering.explanation}\n${rendering.impact}\n${rendering.ask}`)) {
      if (m.item.meaning.trim()) used.set(m.item.id, m.item);
    }
  }
  return {
    brief: {
      title: `Briefing for ${audienceLabel}`,
      audienceLabel,
      audienceLine,
      engagement: sources.engagement,
      date: selection.date,
      preparedBy: selection.preparedBy ?? '',
      items,
      terms: [...used.values()].sort((a, b) => a.term.localeCompare(b.term)),
    },
    omitted,
  };
}

// ---- HTML -----------------------------------------------------------------------------------

/** Paragraphs at blank lines, line breaks kept; every character escaped. */
export function paragraphs(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function formatDate(iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The house style of printable pages (briefs, lesson exports): A4, the marking line, the header rule. */
export const PRINT_PAGE_CSS = `
@page { size: A4; margin: 16mm 18mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 180mm; padding: 8mm 0; font: 10.5pt/1.45 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: #1d232b; background: #fff; }
.marking { text-align: center; font-weight: 700; font-size: 9pt; letter-spacing: .08em; text-transform: uppercase; color: #7a1f1f; margin: 0 0 4mm; }
header { border-bottom: 2px solid #1f4e79; padding-bottom: 3mm; margin-bottom: 5mm; }
`;

const BRIEF_CSS = `${PRINT_PAGE_CSS}.eyebrow { margin: 0; font-size: 9pt; color: #55606e; text-transform: uppercase; letter-spacing: .06em; }
h1 { margin: 1mm 0 1mm; font-size: 19pt; line-height: 1.2; color: #1f4e79; }
.meta { margin: 0; color: #3b4552; }
h2 { font-size: 12.5pt; margin: 0 0 2mm; color: #1f4e79; }
h3 { font-size: 9pt; text-transform: uppercase; letter-spacing: .05em; color: #55606e; margin: 2.5mm 0 .5mm; }
p { margin: 0 0 1.5mm; overflow-wrap: anywhere; }
.glance { background: #f3f6fa; border-left: 4px solid #1f4e79; padding: 3mm 4mm; margin-bottom: 5mm; break-inside: avoid; }
.glance ul { margin: 0; padding-left: 5mm; }
.glance li { margin: .5mm 0; overflow-wrap: anywhere; }
.item { margin: 0 0 5mm; padding-bottom: 3mm; border-bottom: 1px solid #d9dee5; break-inside: avoid; }
.item h2 { display: flex; gap: 3mm; align-items: baseline; justify-content: space-between; overflow-wrap: anywhere; }
.badge { flex: none; font-size: 8pt; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; padding: .4mm 2mm; border-radius: 2mm; border: 1px solid currentColor; }
.sev-critical .badge { color: #8b1111; } .sev-high .badge { color: #a4400b; } .sev-medium .badge { color: #7a5b00; } .sev-low .badge { color: #2f6b2f; }
.asks { break-inside: avoid; margin-bottom: 5mm; }
.asks ol { margin: 0; padding-left: 6mm; }
.asks li { margin: 1mm 0; overflow-wrap: anywhere; }
.terms dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 1mm 4mm; }
.terms dt { font-weight: 600; } .terms dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 6mm; padding-top: 2mm; border-top: 1px solid #d9dee5; font-size: 8.5pt; color: #55606e; display: flex; justify-content: space-between; }
@media screen { body { padding: 10mm 6mm; } }
`;

/** A self-contained, print-ready HTML document (no script, no remote resource; CSP forbids both). */
export function briefToHtml(brief: Brief): string {
  const e = escapeHtml;
  const { engagement } = brief;
  const marking = engagement.ceiling ? `<div class="marking">${e(engagement.ceiling)}</div>` : '';
  const where = [engagement.client, engagement.site].filter(Boolean).join(' · ');
  const meta = [brief.audienceLine, formatDate(brief.date), brief.preparedBy ? `Prepared by ${brief.preparedBy}` : '']
    .filter(Boolean)
    .map(e)
    .join(' · ');
  const glance = brief.items.map(({ card }) => `<li><strong>${e(SEVERITY_LABELS[card.severity])}:</strong> ${e(card.title)}</li>`).join('');
  const items = brief.items
    .map(({ card, rendering }) => {
      const parts = [
        rendering.explanation.trim() && `<h3>What is happening</h3>${paragraphs(rendering.explanation)}`,
        rendering.impact.trim() && `<h3>What it means for you</h3>${paragraphs(rendering.impact)}`,
        rendering.ask.trim() && `<h3>What we need from you</h3>${paragraphs(rendering.ask)}`,
      ].filter(Boolean);
      return `<article class="item sev-${e(card.severity)}"><h2><span>${e(card.title)}</span><span class="badge">${e(SEVERITY_LABELS[card.severity])}</span></h2>${parts.join('')}</article>`;
    })
    .join('\n');
  const asks = brief.items.filter(({ rendering }) => rendering.ask.trim());
  const asksHtml = asks.length
    ? `<section class="asks" aria-label="Decisions and actions requested"><h2>Decisions and actions requested</h2><ol>${asks
        .map(({ card, rendering }) => `<li><strong>${e(card.title)}:</strong> ${e(rendering.ask.trim()).replace(/\n/g, '<br>')}</li>`)
        .join('')}</ol></section>`
    : '';
  const terms = brief.terms.length
    ? `<section class="terms" aria-label="Terms used"><h2>Terms used</h2><dl>${brief.terms
        .map((t) => `<dt>${e(t.term)}</dt><dd>${e(t.meaning)}</dd>`)
        .join('')}</dl></section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(brief.title)} · ${e(engagement.codename)}</title>
<style>${BRIEF_CSS}</style>
</head>
<body>
${marking}
<header>
<p class="eyebrow">${e(where)}${where ? ' · ' : ''}${e(engagement.codename)}</p>
<h1>${e(brief.title)}</h1>
<p class="meta">${meta}</p>
</header>
<section class="glance" aria-label="At a glance"><h2>At a glance</h2><ul>${glance}</ul></section>
${items}
${asksHtml}
${terms}
<footer><span>${e(engagement.codename)} · ${e(formatDate(brief.date))}</span><span>${e(engagement.ceiling)}</span></footer>
</body>
</html>
`;
}

// ---- Markdown -------------------------------------------------------------------------------

function mdParagraphs(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => escapeMarkdown(p.trim()).replace(/\n/g, '  \n'))
    .join('\n\n');
}

export function briefToMarkdown(brief: Brief): string {
  const m = escapeMarkdown;
  const { engagement } = brief;
  const lines: string[] = [];
  if (engagement.ceiling) lines.push(`**${m(engagement.ceiling)}**`, '');
  lines.push(`# ${m(brief.title)}`, '');
  const where = [engagement.client, engagement.site, engagement.codename].filter(Boolean).map(m).join(' · ');
  lines.push(
    [m(brief.audienceLine), m(formatDate(brief.date)), brief.preparedBy ? `Prepared by ${m(brief.preparedBy)}` : '', where]
      .filter(Boolean)
      .join(' · '),
    '',
  );
  lines.push('## At a glance', '');
  for (const { card } of brief.items) lines.push(`- **${m(SEVERITY_LABELS[card.severity])}:** ${m(card.title)}`);
  lines.push('');
  for (const { card, rendering } of brief.items) {
    lines.push(`## ${m(card.title)} (${m(SEVERITY_LABELS[card.severity])})`, '');
    if (rendering.explanation.trim()) lines.push('**What is happening**', '', mdParagraphs(rendering.explanation), '');
    if (rendering.impact.trim()) lines.push('**What it means for you**', '', mdParagraphs(rendering.impact), '');
    if (rendering.ask.trim()) lines.push('**What we need from you**', '', mdParagraphs(rendering.ask), '');
  }
  const asks = brief.items.filter(({ rendering }) => rendering.ask.trim());
  if (asks.length) {
    lines.push('## Decisions and actions requested', '');
    asks.forEach(({ card, rendering }, i) => {
      lines.push(`${i + 1}. **${m(card.title)}:** ${m(rendering.ask.trim().replace(/\s*\n\s*/g, ' '))}`);
    });
    lines.push('');
  }
  if (brief.terms.length) {
    lines.push('## Terms used', '');
    for (const t of brief.terms) lines.push(`- **${m(t.term)}:** ${m(t.meaning.replace(/\s*\n\s*/g, ' '))}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A file name for a brief: "HERON-brief-Maria-Lopez-2026-11-29.pdf". */
export function briefFileName(brief: Brief, format: 'html' | 'md' | 'pdf'): string {
  const safe = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'brief';
  return `${safe(brief.engagement.codename)}-brief-${safe(brief.audienceLabel)}-${brief.date.slice(0, 10)}.${format}`;
}
