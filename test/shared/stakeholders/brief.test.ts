import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OutpostError } from '../../../shared/errors';
import { escapeMarkdown } from '../../../shared/escape';
import { briefFileName, briefToHtml, briefToMarkdown, composeBrief } from '../../../shared/stakeholders/brief';
import {
  addCard,
  addGlossaryEntry,
  addStakeholder,
  readCards,
  readGlossary,
  readStakeholders,
  setRendering,
} from '../../../shared/stakeholders/doc';

const ENGAGEMENT = { codename: 'HERON', client: 'Acme <Logistics>', site: 'Reno DC', ceiling: 'CUI' };
const EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>';

function setup() {
  const doc = new Y.Doc();
  const maria = addStakeholder(doc, { name: 'Maria Lopez', role: 'Operations director', organisation: 'Reno DC', kind: 'operations' });
  const evil = addStakeholder(doc, { name: `Eve ${EVIL}`, role: '"quoted" & <b>bold</b>', kind: 'executive' });
  const late = addCard(doc, { title: 'Pick suggestions arrive late', severity: 'medium' }, { now: '2026-03-01T00:00:00Z' });
  const outage = addCard(doc, { title: `Nightly sync fails ${EVIL}`, severity: 'critical' }, { now: '2026-03-02T00:00:00Z' });
  const none = addCard(doc, { title: 'Not for Maria', severity: 'low' }, { now: '2026-03-03T00:00:00Z' });
  setRendering(
    doc,
    late,
    { type: 'stakeholder', id: maria },
    {
      explanation: 'During the morning wave, pick suggestions arrive late.\n\nIt started on Monday.',
      impact: 'About 40 late picks a day.',
      ask: 'Approve a change window on Sunday.',
    },
  );
  setRendering(
    doc,
    outage,
    { type: 'kind', kind: 'operations' },
    { explanation: `The nightly sync stops. ${EVIL}`, ask: '# Not a heading\n- not a list' },
  );
  setRendering(doc, outage, { type: 'stakeholder', id: evil }, { explanation: `Also for Eve ${EVIL}` });
  addGlossaryEntry(doc, { term: 'wave', meaning: 'a batch of picks released <together>' });
  addGlossaryEntry(doc, { term: 'unused', meaning: 'never appears' });
  const sources = {
    engagement: ENGAGEMENT,
    stakeholders: readStakeholders(doc).stakeholders,
    cards: readCards(doc).cards,
    glossary: readGlossary(doc).entries,
  };
  return { doc, maria, evil, late, outage, none, sources };
}

describe('brief composition', () => {
  it('takes each card’s rendering for the person, else for their kind; most severe first; lists omitted cards', () => {
    const { maria, sources } = setup();
    const { brief, omitted } = composeBrief(sources, { audience: { type: 'stakeholder', id: maria }, date: '2026-03-04' });
    expect(brief.items.map((i) => [i.card.title, i.rendering.key])).toEqual([
      [expect.stringContaining('Nightly sync fails'), 'kind:operations'],
      ['Pick suggestions arrive late', `stakeholder:${maria}`],
    ]);
    expect(omitted.map((c) => c.title)).toEqual(['Not for Maria']);
    expect(brief.terms.map((t) => t.term)).toEqual(['wave']);
    expect(brief.audienceLine).toBe('Operations director, Reno DC');
  });

  it('keeps the chosen order, refuses unknown cards and an audience with nothing to read', () => {
    const { maria, late, outage, none, sources } = setup();
    const { brief } = composeBrief(sources, { audience: { type: 'stakeholder', id: maria }, cardIds: [late, outage], date: '2026-03-04' });
    expect(brief.items.map((i) => i.card.id)).toEqual([late, outage]);
    expect(() => composeBrief(sources, { audience: { type: 'stakeholder', id: maria }, cardIds: ['nope'], date: '2026-03-04' })).toThrow(
      OutpostError,
    );
    expect(() => composeBrief(sources, { audience: { type: 'stakeholder', id: maria }, cardIds: [none], date: '2026-03-04' })).toThrow(
      /Nothing to brief/,
    );
    expect(() => composeBrief(sources, { audience: { type: 'kind', kind: 'vendor' }, date: '2026-03-04' })).toThrow(/Nothing to brief/);
  });
});

describe('brief HTML', () => {
  it('is a self-contained, print-ready document with the sections a reader expects', () => {
    const { maria, sources } = setup();
    const { brief } = composeBrief(sources, { audience: { type: 'stakeholder', id: maria }, date: '2026-03-04', preparedBy: 'Ana' });
    const html = briefToHtml(brief);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<h1>Briefing for Maria Lopez</h1>');
    expect(html).toContain('4 March 2026');
    expect(html).toContain('Prepared by Ana');
    expect(html).toContain('<h2>At a glance</h2>');
    expect(html).toContain(
      '<h3>What is happening</h3><p>During the morning wave, pick suggestions arrive late.</p><p>It started on Monday.</p>',
    );
    expect(html).toContain('<h3>What it means for you</h3><p>About 40 late picks a day.</p>');
    expect(html).toContain('<h2>Decisions and actions requested</h2>');
    expect(html).toContain('<dt>wave</dt><dd>a batch of picks released &lt;together&gt;</dd>');
    expect(html).toContain('@page { size: A4');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    // Nothing remote, nothing executable.
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed|a)\b|@import|url\(/i);
  });

  it('escapes every field: markup in names, titles and texts is text', () => {
    const { evil, sources } = setup();
    const { brief } = composeBrief(sources, { audience: { type: 'stakeholder', id: evil }, date: '2026-03-04' });
    const html = briefToHtml(brief);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('Acme &lt;Logistics&gt;');
    // The only tags are the template's own.
    const allowed = [
      'article',
      'body',
      'dd',
      'div',
      'dl',
      'dt',
      'footer',
      'h1',
      'h2',
      'h3',
      'head',
      'header',
      'html',
      'li',
      'meta',
      'ol',
      'p',
      'section',
      'span',
      'strong',
      'style',
      'title',
      'ul',
      'br',
    ];
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => (m[1] as string).toLowerCase()));
    expect([...tags].filter((t) => !allowed.includes(t))).toEqual([]);
  });

  it('stays well-formed with very long texts', () => {
    const { maria, sources } = setup();
    const card = sources.cards.find((c) => c.title === 'Pick suggestions arrive late');
    if (!card?.renderings[0]) throw new Error('setup');
    card.renderings[0].explanation = 'word '.repeat(2000);
    const html = briefToHtml(composeBrief(sources, { audience: { type: 'stakeholder', id: maria }, date: '2026-03-04' }).brief);
    expect(html.match(/<article/g)).toHaveLength(2);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });
});

describe('brief Markdown', () => {
  it('has the same sections, with fields escaped', () => {
    const { maria, sources } = setup();
    const md = briefToMarkdown(composeBrief(sources, { audience: { type: 'stakeholder', id: maria }, date: '2026-03-04' }).brief);
    expect(md).toContain('# Briefing for Maria Lopez\n');
    expect(md).toContain('**CUI**');
    expect(md).toContain('## At a glance\n\n- **Critical:** Nightly sync fails &lt;script&gt;');
    expect(md).toContain('**What it means for you**\n\nAbout 40 late picks a day.');
    expect(md).toContain('\\# Not a heading');
    expect(md).toContain('\\- not a list');
    expect(md).toContain('## Terms used\n\n- **wave:** a batch of picks released &lt;together&gt;');
    expect(md).not.toMatch(/<script|<img/);
  });

  it('escapes inline markup and line starts', () => {
    expect(escapeMarkdown('*bold* _it_ [link](x) `code` <b> & 1. item')).toBe(
      '\\*bold\\* \\_it\\_ \\[link\\](x) \\`code\\` &lt;b&gt; &amp; 1. item',
    );
    expect(escapeMarkdown('1. first\n+ plus\n> quote\n=')).toBe('1\\. first\n\\+ plus\n&gt; quote\n\\=');
  });

  it('names files after the engagement, audience and date', () => {
    const { maria, sources } = setup();
    const { brief } = composeBrief(sources, { audience: { type: 'stakeholder', id: maria }, date: '2026-03-04' });
    expect(briefFileName(brief, 'pdf')).toBe('HERON-brief-Maria-Lopez-2026-03-04.pdf');
  });
});
