import type { Notebook } from '../../electron/notebook/notebook';
import { docIdFor, newId } from '../../shared/ids';
import { addLesson, markMergedInto } from '../../shared/lessons/doc';
import { lessonRef } from '../../shared/lessons/model';
import { addChapter, initPlaybookDoc, placeLesson, updateChapter, updatePlaybook } from '../../shared/lessons/playbook';
import { applyMapChanges } from '../../shared/map/doc';
import { addGlossaryEntry, addStakeholder } from '../../shared/stakeholders/doc';

/**
 * A notebook with two engagements whose names are planted in every field of their lessons (titles,
 * each text, tags, industry, evidence labels, chapter titles and intros), split by line breaks and
 * Markdown, non-ASCII ones included; lessons at several markings; evidence notes within and above
 * the cap, and one that no longer exists; a lesson merged into another; a playbook.
 */
export const PLANTED = [
  'Acme Logistics',
  'HERON',
  'Reno DC',
  'Dana Whitfield',
  'Maria Lopez',
  'SAP ECC Reno',
  'Floor OT',
  'green screen',
  'Müller Pharma GmbH',
  'OSPREY',
  'Łódź Plant',
  'Zoë Kowalczyk',
  'Jürgen Müller',
];

/** Text compared the way a reader sees it: NFC, lower case, markup dropped, whitespace collapsed. */
export function flatten(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[*_~`\\]+/g, ' ')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** The planted identifiers still in `text` (whole words, across line breaks and markup). */
export function leaks(text: string): string[] {
  const flat = flatten(text);
  return PLANTED.filter((term) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${flatten(term).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(flat),
  );
}

export interface LessonsFixture {
  acme: string;
  muller: string;
  playbookId: string;
  refs: { l1: string; l2: string; l3: string; l4: string; l5: string };
  notes: { open: string; cui: string; gone: string };
}

export async function seedLessonsFixture(notebook: Notebook): Promise<LessonsFixture> {
  const acme = await notebook.engagements.create({
    client: 'Acme Logistics',
    codename: 'HERON',
    site: 'Reno DC',
    ceiling: 'CUI',
    team: [{ name: 'Dana Whitfield', role: 'FDE' }],
  });
  const muller = await notebook.engagements.create({
    client: 'Müller Pharma GmbH',
    codename: 'OSPREY',
    site: 'Łódź Plant',
    ceiling: 'SECRET',
    team: [{ name: 'Zoë Kowalczyk', role: 'FDE' }],
  });
  const open = await notebook.notes.create({
    engagementId: acme.id,
    type: 'incident',
    title: 'Reno DC outage with Maria Lopez',
    classification: 'UNCLASSIFIED',
    markdown: 'x',
  });
  const cui = await notebook.notes.create({
    engagementId: acme.id,
    type: 'incident',
    title: 'Quarantined incident sierra tango',
    classification: 'CUI',
    markdown: 'y',
  });
  const gone = newId();

  const a = await notebook.docs.open(docIdFor('engagement', acme.id));
  addStakeholder(a, { name: 'Maria Lopez', role: 'Ops director', organisation: 'Acme Logistics' });
  const systemId = newId();
  applyMapChanges(a, [
    { op: 'addZone', zone: { name: 'Floor OT', kind: 'ot' } },
    { op: 'addSystem', system: { id: systemId, name: 'SAP ECC Reno', kind: 'application', vendor: 'SAP' } },
  ]);
  addGlossaryEntry(a, { term: 'green screen', kind: 'client', meaning: 'the AS/400 terminal' });
  const l1 = addLesson(
    a,
    {
      title: 'Acme Logistics: SAP ECC Reno locks at shift change',
      skillArea: 'Production debugging',
      classification: 'UNCLASSIFIED',
      tags: ['heron', 'locks'],
      industry: 'Acme Logistics retail',
      appliesTo: ['system:database'],
      context: 'Dana Whitfield was on site at Reno\nDC.',
      whatHappened: 'Maria **Lopez** called: the *green screen* froze.',
      rootCause: 'SAP ECC\nReno held a lock; Acme\nLogistics ops did not know.',
      whatWorked: 'Talking to Maria Lopez before touching Floor OT.',
      whatDidNot: 'Rebooting from the green\nscreen.',
      recommendation: 'Ask the HERON leads early.',
      evidence: [
        { kind: 'note', engagementId: acme.id, id: open.id, label: 'Reno DC outage with Maria Lopez' },
        { kind: 'note', engagementId: acme.id, id: cui.id, label: 'Quarantined incident sierra tango' },
        { kind: 'note', engagementId: acme.id, id: gone, label: 'Deleted note whiskey foxtrot' },
        { kind: 'system', engagementId: acme.id, id: systemId, label: 'SAP ECC Reno' },
      ],
    },
    { now: '2026-01-01T00:00:00.000Z' },
  );
  const l2 = addLesson(
    a,
    { title: 'HERON: CUI lesson about Floor OT', skillArea: 'Cloud and infrastructure' },
    { now: '2026-01-02T00:00:00.000Z' },
  );
  const l5 = addLesson(a, { title: 'Duplicate of the lock lesson', skillArea: 'Production debugging', classification: 'UNCLASSIFIED' });
  markMergedInto(a, l5, lessonRef(acme.id, l1));

  const m = await notebook.docs.open(docIdFor('engagement', muller.id));
  addStakeholder(m, { name: 'Jürgen Müller', role: 'QA lead', organisation: 'Müller Pharma GmbH' });
  const l3 = addLesson(m, { title: 'OSPREY: secret lesson', skillArea: 'Data pipeline engineering' });
  const l4 = addLesson(m, {
    title: 'ŁÓDŹ PLANT: batch drift',
    skillArea: 'Data pipeline engineering',
    classification: 'UNCLASSIFIED',
    tags: ['osprey'],
    industry: 'Pharma (Müller Pharma GmbH)',
    context: 'Zoë Kowalczyk met JÜRGEN MÜLLER.',
    whatHappened: 'Jürgen Mu\u0308ller said the clocks drifted at Łódź\nPlant.',
    recommendation: 'Keep OSPREY clocks in sync.',
  });
  await notebook.docs.flush();

  const playbookId = newId();
  await notebook.docs.create(docIdFor('playbook', playbookId), (doc) =>
    initPlaybookDoc(doc, playbookId, 'HERON and OSPREY playbook', '2026-11-01T00:00:00.000Z'),
  );
  const p = await notebook.docs.open(docIdFor('playbook', playbookId));
  updatePlaybook(p, { intro: 'What Acme Logistics and Müller Pharma GmbH taught us.' });
  const c1 = addChapter(p, 'Integrating with SAP ECC Reno');
  updateChapter(p, c1, { intro: 'At Reno DC the **green** screen ruled.' });
  placeLesson(p, c1, lessonRef(acme.id, l5));
  placeLesson(p, c1, lessonRef(acme.id, l2));
  const c2 = addChapter(p, 'Łódź Plant lessons');
  placeLesson(p, c2, lessonRef(muller.id, l3));
  placeLesson(p, c2, lessonRef(muller.id, l4));
  await notebook.docs.flush();
  return {
    acme: acme.id,
    muller: muller.id,
    playbookId,
    refs: {
      l1: lessonRef(acme.id, l1),
      l2: lessonRef(acme.id, l2),
      l3: lessonRef(muller.id, l3),
      l4: lessonRef(muller.id, l4),
      l5: lessonRef(acme.id, l5),
    },
    notes: { open: open.id, cui: cui.id, gone },
  };
}
