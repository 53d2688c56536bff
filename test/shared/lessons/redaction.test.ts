import { describe, expect, it } from 'vitest';
import {
  documentToHtml,
  documentToMarkdownFiles,
  type ExportDocument,
  type ExportLesson,
  htmlText,
  lessonFileNames,
  markdownText,
  prepareExport,
  slugify,
} from '../../../shared/lessons/export-format';
import {
  applyOverrides,
  buildDictionary,
  compileDictionary,
  type DictionaryEntry,
  type RedactionSource,
  redact,
  scanForIdentifiers,
  termKey,
} from '../../../shared/lessons/redaction';

const E1 = '00000000-0000-4000-8000-000000000001';
const E2 = '00000000-0000-4000-8000-000000000002';

/** Two engagements with every kind of name the dictionary is built from, non-ASCII ones included. */
const SOURCES: RedactionSource[] = [
  {
    id: E2,
    client: 'Müller Pharma GmbH',
    site: 'Łódź Plant',
    codename: 'OSPREY',
    team: [{ id: 't2', name: 'Zoë Kowalczyk' }],
    stakeholders: [{ id: 's3', name: 'Jürgen Müller', organisation: 'Müller Pharma GmbH' }],
    systems: [{ id: 'y1', name: 'LIMS Prime', kind: 'database' }],
    zones: [{ id: 'z2', name: 'Clean Room Net' }],
    glossary: [{ id: 'g3', term: 'batch ticket', kind: 'client', aliases: [] }],
  },
  {
    id: E1,
    client: 'Acme Logistics',
    site: 'Reno DC',
    codename: 'HERON',
    team: [
      { id: 't1', name: 'Dana Whitfield' },
      { id: 't0', name: 'Ravi Iyer' },
    ],
    stakeholders: [
      { id: 's2', name: 'Maria Lopez', organisation: 'Acme Logistics' },
      { id: 's1', name: 'Dev Patel', organisation: 'Northwind Carriers' },
    ],
    systems: [
      { id: 'x2', name: 'Acme', kind: 'application' },
      { id: 'x1', name: 'SAP ECC Reno', kind: 'application', vendor: 'SAP' },
      { id: 'x3', name: 'PickDB', kind: 'database' },
    ],
    zones: [{ id: 'z1', name: 'Floor OT' }],
    glossary: [
      { id: 'g1', term: 'green screen', kind: 'client', aliases: ['the AS400 screen'] },
      { id: 'g2', term: 'ODBC', kind: 'technical', aliases: [] },
    ],
  },
];

/** Every real name planted in the corpus; none may survive a sanitized export. */
const PLANTED = [
  'Acme Logistics',
  'Acme',
  'Reno DC',
  'HERON',
  'Dana Whitfield',
  'Ravi Iyer',
  'Maria Lopez',
  'Dev Patel',
  'Northwind Carriers',
  'SAP ECC Reno',
  'PickDB',
  'Floor OT',
  'green screen',
  'AS400 screen',
  'Müller Pharma GmbH',
  'Łódź Plant',
  'OSPREY',
  'Zoë Kowalczyk',
  'Jürgen Müller',
  'LIMS Prime',
  'Clean Room Net',
  'batch ticket',
];

const dictionary = () => buildDictionary(SOURCES);

function lesson(ref: string, overrides: Partial<ExportLesson> = {}): ExportLesson {
  return {
    ref,
    title: 'A lesson',
    skillArea: 'Production debugging',
    tags: [],
    appliesTo: [],
    industry: '',
    classification: 'UNCLASSIFIED',
    status: 'reviewed',
    texts: { context: '', whatHappened: '', rootCause: '', whatWorked: '', whatDidNot: '', recommendation: '' },
    evidence: [],
    ...overrides,
  };
}

/** Planted identifiers in EVERY field: titles, each text, tags, industry, applies-to, evidence labels, chapter titles and intros. */
function corpus(): ExportDocument {
  return {
    title: 'HERON and OSPREY playbook',
    intro: 'What Acme\nLogistics and Müller Pharma GmbH taught us.',
    cap: 'CUI',
    marking: 'CUI',
    date: '2026-11-29',
    sanitized: false,
    chapters: [
      {
        title: 'Integrating with SAP ECC Reno',
        intro: 'At Reno DC, the **green** screen was everything.',
        lessons: [
          lesson(`${E1}:00000000-0000-4000-8000-00000000000a`, {
            title: 'Acme Logistics: PickDB locks at shift change',
            tags: ['heron', 'PickDB'],
            industry: 'Acme Logistics retail',
            appliesTo: ['system:database'],
            texts: {
              context: 'Dana Whitfield and Ravi Iyer were on site at Reno\nDC.',
              whatHappened: 'Maria Lopez called: the *green screen* froze; Dev Patel (Northwind Carriers) saw it too.',
              rootCause: 'SAP ECC\nReno held a lock on PickDB; Acme **Logistics** ops did not know.',
              whatWorked: 'Talking to Maria\n  Lopez before touching Floor OT.',
              whatDidNot: 'Rebooting Acme (the app) from the AS400\nscreen.',
              recommendation: 'Ask HERON leads early.',
            },
            evidence: [
              { kind: 'system', label: 'SAP ECC Reno' },
              { kind: 'note', label: null },
            ],
          }),
        ],
      },
      {
        title: 'Łódź Plant lessons',
        intro: '',
        lessons: [
          lesson(`${E2}:00000000-0000-4000-8000-00000000000b`, {
            title: 'ŁÓDŹ PLANT: LIMS Prime batch ticket drift',
            tags: ['osprey'],
            industry: 'Pharma (Müller Pharma GmbH)',
            texts: {
              context: 'Zoë Kowalczyk met Jürgen Müller in the Clean Room Net.',
              whatHappened: 'JÜRGEN MÜLLER said the batch\tticket drifted.',
              rootCause: 'Jürgen Mu\u0308ller (decomposed) at Łódź Plant.',
              whatWorked: '',
              whatDidNot: '',
              recommendation: 'Lims prime needs a clock source.',
            },
            evidence: [{ kind: 'card', label: 'Jürgen Müller explains batch ticket' }],
          }),
        ],
      },
    ],
  };
}

const flat = (text: string) => termKey(text);

function leaks(text: string): string[] {
  const haystack = flat(text);
  return PLANTED.filter((term) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${flat(term).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(haystack),
  );
}

describe('buildDictionary', () => {
  it('gives stable pseudonyms, deterministic for the same input whatever its order', () => {
    const a = dictionary();
    const b = buildDictionary(
      [...SOURCES].reverse().map((s) => ({ ...s, team: [...s.team].reverse(), systems: [...s.systems].reverse() })),
    );
    expect(b).toEqual(a);
    const by = (term: string) => a.find((e) => e.term === term)?.replacement;
    // Engagements in id order: E1 (Acme) before E2 (Müller).
    expect(by('Acme Logistics')).toBe('Client A');
    expect(by('Müller Pharma GmbH')).toBe('Client B');
    expect(by('Reno DC')).toBe('Site 1');
    expect(by('Łódź Plant')).toBe('Site 2');
    expect(by('HERON')).toBe('Codename 1');
    expect(by('Northwind Carriers')).toBe('Organisation 1');
    // Team members by id: t0 before t1.
    expect(by('Ravi Iyer')).toBe('Person 1');
    expect(by('Dana Whitfield')).toBe('Person 2');
    expect(by('Dev Patel')).toBe('Stakeholder 1');
    expect(by('Maria Lopez')).toBe('Stakeholder 2');
    // Systems by kind (an ERP recognised by name or vendor).
    expect(by('SAP ECC Reno')).toBe('ERP-1');
    expect(by('Acme')).toBe('Application-1');
    expect(by('PickDB')).toBe('Database-1');
    expect(by('LIMS Prime')).toBe('Database-2');
    expect(by('Floor OT')).toBe('Zone 1');
    expect(by('green screen')).toBe('Term 1');
    expect(by('the AS400 screen')).toBe('Term 1');
    // Technical glossary terms are not client names.
    expect(by('ODBC')).toBeUndefined();
  });

  it('gives one real name one pseudonym across the export (an organisation that is the client stays the client)', () => {
    const d = dictionary();
    expect(d.filter((e) => termKey(e.term) === termKey('Acme Logistics'))).toHaveLength(1);
    expect(d.filter((e) => termKey(e.term) === termKey('Müller Pharma GmbH'))).toHaveLength(1);
  });

  it('applies overrides: change a pseudonym, disable an entry, add a term', () => {
    const d = applyOverrides(dictionary(), [
      { term: 'acme logistics', replacement: 'The Retailer' },
      { term: 'Reno DC', enabled: false },
      { term: 'Project Bluebird', replacement: 'Project X' },
      { term: 'wave 7' },
    ]);
    expect(d.find((e) => e.term === 'Acme Logistics')?.replacement).toBe('The Retailer');
    expect(d.find((e) => e.term === 'Reno DC')?.enabled).toBe(false);
    expect(d.find((e) => e.term === 'Project Bluebird')).toMatchObject({
      replacement: 'Project X',
      category: 'custom',
      source: 'added by you',
    });
    expect(d.find((e) => e.term === 'wave 7')?.replacement).toBe('[redacted]');
    const out = redact('Acme Logistics at Reno DC on Project Bluebird, wave 7', d);
    expect(out.text).toBe('The Retailer at Reno DC on Project X, [redacted]');
  });
});

describe('redact', () => {
  it('matches the longest term first (overlapping terms)', () => {
    const d: DictionaryEntry[] = [
      { term: 'Acme', replacement: 'App-1', category: 'system', source: '', enabled: true },
      { term: 'Acme Logistics', replacement: 'Client A', category: 'client', source: '', enabled: true },
      { term: 'Acme Logistics Reno', replacement: 'Site 1', category: 'site', source: '', enabled: true },
    ];
    const out = redact('Acme Logistics Reno, Acme Logistics, Acme.', d);
    expect(out.text).toBe('Site 1, Client A, App-1.');
    expect(out.replacements).toEqual(
      expect.arrayContaining([
        { term: 'Acme Logistics Reno', replacement: 'Site 1', category: 'site', count: 1 },
        { term: 'Acme Logistics', replacement: 'Client A', category: 'client', count: 1 },
        { term: 'Acme', replacement: 'App-1', category: 'system', count: 1 },
      ]),
    );
  });

  it('is case-insensitive, whole-word and Unicode-safe (NFC)', () => {
    const d = dictionary();
    expect(redact('ŁÓDŹ PLANT and łódź plant, not Łódź Plantation', d).text).toBe('Site 2 and Site 2, not Łódź Plantation');
    expect(redact('Jürgen Mu\u0308ller and JÜRGEN MÜLLER', d).text).toBe('Stakeholder 3 and Stakeholder 3');
    expect(redact('Acmeville and Acme-Tools are not Acme', d).text).toBe('Acmeville and Application-1-Tools are not Application-1');
    expect(redact('Zoë Kowalczyk', d).text).toBe('Person 3');
  });

  it('matches across line breaks, tabs and Markdown emphasis between words, keeping the emphasis balanced', () => {
    const d = dictionary();
    expect(redact('Acme\nLogistics', d).text).toBe('Client A');
    expect(redact('Acme \r\n\t Logistics', d).text).toBe('Client A');
    expect(redact('Acme **Logistics** rocks', d).text).toBe('**Client A** rocks');
    expect(redact('**Acme** Logistics', d).text).toBe('**Client A**');
    expect(redact('_Maria_ _Lopez_', d).text).toBe('__Stakeholder 2__');
    expect(redact('Maria <em>Lopez</em>', d).text).toBe('<em>Stakeholder 2</em>');
    expect(redact('the *green screen*', d).text).toBe('the *Term 1*');
  });

  it('never replaces inside a pseudonym it wrote and counts every replacement', () => {
    const d: DictionaryEntry[] = [
      { term: 'Client', replacement: 'X', category: 'custom', source: '', enabled: true },
      { term: 'Acme', replacement: 'Client A', category: 'client', source: '', enabled: true },
    ];
    const out = redact('Acme, acme, ACME', d);
    expect(out.text).toBe('Client A, Client A, Client A');
    expect(out.replacements).toEqual([{ term: 'Acme', replacement: 'Client A', category: 'client', count: 3 }]);
  });

  it('leaves disabled entries alone', () => {
    const d = applyOverrides(dictionary(), [{ term: 'PickDB', enabled: false }]);
    expect(redact('PickDB', d).text).toBe('PickDB');
    expect(scanForIdentifiers('PickDB', d)).toEqual([]);
  });
});

describe('scanForIdentifiers', () => {
  const text = [
    'Reach erp01.acme.local or 10.20.30.40 (also 10.20.30.40) and fe80::1ff:fe23:4567:890a, or ::1.',
    'Mail ops.lead@northwind.example.com; share \\\\fileserver\\drops\\in; see https://wms01:8443/ui.',
    'PO 4500012345 and account 00123456.',
    'Not identifiers: 2026-11-29, 20261129, 1999, v1.2.3, 3.14159, 12:30:45, report.pdf, node.js, 12,345, e.g. this.',
    'Dana Whitfield still here.',
  ].join('\n');

  it('finds remaining dictionary terms, IPs, e-mails, host names and long numbers, not dates, years or versions', () => {
    const findings = scanForIdentifiers(text, dictionary());
    const got = findings.map((f) => [f.kind, f.text, f.count]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['dictionary', 'Dana Whitfield', 1],
        ['ipv4', '10.20.30.40', 2],
        ['ipv6', 'fe80::1ff:fe23:4567:890a', 1],
        ['ipv6', '::1', 1],
        ['email', 'ops.lead@northwind.example.com', 1],
        ['hostname', 'erp01.acme.local', 1],
        ['hostname', '\\\\fileserver\\drops\\in', 1],
        ['hostname', 'wms01', 1],
        ['number', '4500012345', 1],
        ['number', '00123456', 1],
      ]),
    );
    const texts = findings.map((f) => f.text);
    for (const harmless of ['20261129', '1999', '2026', '3.14159', '12:30:45', 'report.pdf', 'node.js', '12,345', '1.2.3']) {
      expect(texts).not.toContain(harmless);
    }
    expect(findings.find((f) => f.text === '4500012345')?.context).toContain('PO 4500012345');
  });

  it('leaves out what is explicitly allowed', () => {
    const findings = scanForIdentifiers(text, dictionary(), { allow: ['10.20.30.40', 'DANA WHITFIELD'] });
    expect(findings.map((f) => f.text)).not.toContain('10.20.30.40');
    expect(findings.map((f) => f.text)).not.toContain('Dana Whitfield');
  });
});

describe('sanitized export formats', () => {
  it('leaves none of the planted identifiers in the Markdown folder or the HTML', () => {
    const d = dictionary();
    for (const format of ['md', 'html'] as const) {
      const out = prepareExport(corpus(), { format, sanitize: true, dictionary: d });
      const text = out.files.map((f) => `${f.path}\n${format === 'md' ? markdownText(f.content) : htmlText(f.content)}`).join('\n');
      const raw = out.files.map((f) => `${f.path}\n${f.content}`).join('\n');
      expect(leaks(text), format).toEqual([]);
      expect(leaks(raw), format).toEqual([]);
      expect(out.findings).toEqual([]);
      expect(text).toContain('Client A');
      expect(text).toContain('Stakeholder 3');
      expect(text).toContain('ERP-1');
    }
  });

  it('the unsanitized corpus does hold them (the check can fail)', () => {
    const out = prepareExport(corpus(), { format: 'html', sanitize: false, dictionary: [] });
    expect(leaks(htmlText(out.files[0]?.content ?? '')).length).toBeGreaterThan(15);
  });

  it('reports every replacement with its count', () => {
    const out = prepareExport(corpus(), { format: 'md', sanitize: true, dictionary: dictionary() });
    const count = (term: string) => out.replacements.find((r) => r.term === term)?.count;
    expect(count('Acme Logistics')).toBe(4);
    expect(count('Jürgen Müller')).toBe(4);
    expect(count('Łódź Plant')).toBe(3);
  });

  it('refuses (findings) while identifiers remain, until each is replaced or allowed', () => {
    const doc = corpus();
    const first = doc.chapters[0]?.lessons[0] as ExportLesson;
    first.texts.whatWorked += '\nssh to 10.1.2.3 or erp01.acme.local, ask ops@acme-logistics.com, PO 4500012345.';
    const d = dictionary();
    const before = prepareExport(doc, { format: 'html', sanitize: true, dictionary: d });
    expect(before.findings.map((f) => f.kind).sort()).toEqual(['email', 'hostname', 'ipv4', 'number']);
    const replaced = applyOverrides(d, [
      { term: '10.1.2.3', replacement: 'Host-1' },
      { term: 'ops@acme-logistics.com', replacement: 'ops@client-a.example' },
    ]);
    const partly = prepareExport(doc, { format: 'html', sanitize: true, dictionary: replaced, allow: ['4500012345'] });
    // "acme" inside the host name became a pseudonym, but the host name is still one.
    expect(partly.findings.map((f) => f.kind)).toEqual(['hostname']);
    const host = partly.findings[0]?.text as string;
    const done = prepareExport(doc, { format: 'html', sanitize: true, dictionary: replaced, allow: ['4500012345', host] });
    expect(done.findings).toEqual([]);
    expect(htmlText(done.files[0]?.content ?? '')).toContain('Host-1');
  });

  it('shows withheld evidence without its label', () => {
    const html = documentToHtml(corpus());
    expect(html).toContain('Note: <span class="withheld">withheld');
    const md = documentToMarkdownFiles(corpus())
      .map((f) => f.content)
      .join('\n');
    expect(md).toContain('- Note: *withheld');
  });
});

describe('Markdown folder and HTML', () => {
  it('writes index.md with chapters and links, one file per lesson with YAML front matter, unique slugged names', () => {
    const doc = corpus();
    (doc.chapters[1] as { lessons: ExportLesson[] }).lessons.push(
      lesson(`${E2}:00000000-0000-4000-8000-00000000000c`, { title: 'ŁÓDŹ PLANT: LIMS Prime batch ticket drift' }),
    );
    const files = documentToMarkdownFiles(doc);
    expect(files.map((f) => f.path)).toEqual([
      'index.md',
      'acme-logistics-pickdb-locks-at-shift-change.md',
      'lodz-plant-lims-prime-batch-ticket-drift.md',
      'lodz-plant-lims-prime-batch-ticket-drift-2.md',
    ]);
    const index = files[0]?.content ?? '';
    expect(index).toMatch(/^# HERON and OSPREY playbook\n/);
    expect(index).toContain('## Integrating with SAP ECC Reno');
    expect(index).toContain('](acme-logistics-pickdb-locks-at-shift-change.md)');
    const lessonMd = files[1]?.content ?? '';
    expect(lessonMd.split('\n').slice(0, 9)).toEqual([
      '---',
      'title: "Acme Logistics: PickDB locks at shift change"',
      'skill_area: "Production debugging"',
      'tags: ["heron", "PickDB"]',
      'applies_to: ["system:database"]',
      'industry: "Acme Logistics retail"',
      'classification: "UNCLASSIFIED"',
      'status: "reviewed"',
      '---',
    ]);
    expect(lessonFileNames(doc).size).toBe(3);
    expect(slugify('Łódź Plant — Müller')).toBe('lodz-plant-muller');
  });

  it('escapes every field in HTML and in Markdown and has a CSP without scripts', () => {
    const doc = corpus();
    const first = doc.chapters[0]?.lessons[0] as ExportLesson;
    first.title = '<script>alert(1)</script> "quoted" & \'single\'';
    first.tags = ['<img src=x onerror=alert(1)>'];
    first.texts.context = '---\ntitle: injected\n# heading';
    const html = documentToHtml(doc);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    const md = documentToMarkdownFiles(doc)[1]?.content ?? '';
    expect(md).toContain('title: "<script>alert(1)</script> \\"quoted\\" & \'single\'"');
    expect(md).not.toContain('\n# heading');
    expect(md).not.toContain('\ntitle: injected\n---');
  });

  it('compiles a large dictionary once and redacts quickly', () => {
    const big = buildDictionary(
      Array.from({ length: 50 }, (_, i) => ({
        ...(SOURCES[1] as RedactionSource),
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        client: `Client Co ${i}`,
        codename: `CODE${i}`,
        systems: Array.from({ length: 10 }, (_, j) => ({ id: `s${j}`, name: `System ${i}-${j}`, kind: 'api' })),
      })),
    );
    const redactor = compileDictionary(big);
    const text = 'Client Co 7 called System 7-3 about CODE12. '.repeat(2000);
    const started = performance.now();
    const out = redact(text, redactor);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(out.text).not.toContain('Client Co 7');
  });
});
